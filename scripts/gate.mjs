// npm test: the whole gate, in order. Installs what it needs (npm packages; Debian's chromium and
// python3-onnx, python3-optuna and python3-sklearn),
// then typecheck, lint, format check, unit tests, build, end-to-end tests in Chromium.
// Every step runs even when an earlier one failed (but e2e needs a build), and the run ends
// with one line that sums all suites: "N passed, N failed".
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureChromium, ensureOnnxChecker, ensureOptuna } from './chromium.mjs';
import { ensureDependencies, run } from './deps.mjs';

const RESULTS = '.test-results';
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

ensureDependencies();
ensureChromium();
ensureOnnxChecker();
ensureOptuna();

/** A check that is not a test runner counts as one test: passed or failed. */
const checks = [
  [
    'typecheck: page (svelte-check)',
    ['svelte-check', '--tsconfig', './tsconfig.app.json', '--fail-on-warnings'],
  ],
  ['typecheck: workers and core (tsc)', ['tsc', '-p', 'tsconfig.worker.json']],
  ['typecheck: tests and configs (tsc)', ['tsc', '-p', 'tsconfig.node.json']],
  ['lint (eslint, zero warnings)', ['eslint', '--max-warnings', '0', '.']],
  [
    'import cycles (dependency-cruiser)',
    ['depcruise', 'src', 'workers', '--config', '.dependency-cruiser.cjs'],
  ],
  ['format (prettier --check)', ['prettier', '--check', '.']],
];

const rows = [];
let passed = 0;
let failed = 0;

function step(name, args) {
  const t0 = Date.now();
  console.log(`\n── ${name}`);
  const status = run('npx', args);
  const seconds = (Date.now() - t0) / 1000;
  return { status, seconds };
}

for (const [name, args] of checks) {
  const { status, seconds } = step(name, args);
  if (status === 0) passed++;
  else failed++;
  rows.push([name, status === 0 ? 'ok' : 'FAILED', seconds]);
}

/** Runs a Vitest suite and counts its tests from the JSON report. */
function vitestSuite(name, config) {
  const out = `${RESULTS}/${name}.json`;
  const { status, seconds } = step(`${name} tests (vitest)`, [
    'vitest',
    'run',
    '--config',
    config,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ]);
  let p = 0;
  let f = 1; // no report means the runner failed before running tests
  try {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    p = report.numPassedTests;
    f = report.numFailedTests;
  } catch (e) {
    console.error(`No test report from ${name}: ${e.message}`);
  }
  if (status !== 0 && f === 0) f = 1; // a failed file or setup, with no failed test to show for it
  if (p + f === 0) f = 1; // a suite that ran no test is a failure, not a pass
  passed += p;
  failed += f;
  rows.push([`${name} tests`, `${p} passed, ${f} failed`, seconds]);
}

vitestSuite('unit', 'vitest.config.ts');

const build = step('build (vite build)', ['vite', 'build']);
rows.push(['build', build.status === 0 ? 'ok' : 'FAILED', build.seconds]);
if (build.status === 0) {
  passed++;
  vitestSuite('e2e', 'vitest.e2e.config.ts');
} else {
  failed += 2; // the build, and the e2e suite that could not run without it
  rows.push(['e2e tests', 'not run: the build failed', 0]);
}

console.log('\n── summary');
for (const [name, result, seconds] of rows) {
  console.log(`${name.padEnd(40)} ${String(result).padEnd(24)} ${seconds.toFixed(1)} s`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
