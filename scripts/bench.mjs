// npm run bench [-- NAME]: runs every benchmark in tests/bench/ (or the one named), each as
// its own Node process. A benchmark is bundled first (esbuild, beside its source, deleted after
// the run), as the app's code is bundled when it ships: run through tsx's loader instead, the
// same learners ran a third slower (gradient boosting on 50k rows: 4.4 s against 3.4 s), which
// measured the loader, not Orpheus. A benchmark's worker named after it (NAME-worker.ts) is
// bundled too, as .NAME-worker.bundle.mjs beside it: the cash benchmark starts its workers
// from that; the others still start theirs through tsx.
// Each benchmark prints its figures as lines `BENCH <name> <value> [unit or comparison]`.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { ensureDependencies, run } from './deps.mjs';

ensureDependencies();
const { buildSync } = await import('esbuild');
const wanted = process.argv[2];
const all = readdirSync('tests/bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const chosen = wanted ? all.filter((f) => f.replace(/\.bench\.ts$/, '') === wanted) : all;
if (chosen.length === 0) {
  console.error(
    wanted
      ? `No benchmark named "${wanted}". There are: ${all.map((f) => f.replace(/\.bench\.ts$/, '')).join(', ') || 'none yet'}.`
      : 'No benchmarks in tests/bench/ yet.',
  );
  process.exit(wanted ? 1 : 0);
}
let failed = 0;
for (const file of chosen) {
  console.log(`── ${file}`);
  const out = `tests/bench/.${file.replace(/\.ts$/, '')}.bundle.mjs`;
  // A benchmark's own worker (NAME-worker.ts), when it has one, is bundled beside it the same way.
  const worker = `tests/bench/${file.replace(/\.bench\.ts$/, '')}-worker.ts`;
  const workerOut = `tests/bench/.${file.replace(/\.bench\.ts$/, '')}-worker.bundle.mjs`;
  const bundles = existsSync(worker)
    ? [
        [`tests/bench/${file}`, out],
        [worker, workerOut],
      ]
    : [[`tests/bench/${file}`, out]];
  for (const [entry, outfile] of bundles)
    buildSync({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // What drives a browser or serves the page stays a package of its own; what a page
      // imports (by its address on the dev server) is the page's.
      external: ['vite', 'playwright-core', '/tests/*'],
      // Bundled CommonJS packages call require: give the module one.
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      logLevel: 'error',
    });
  try {
    if (run('node', [out]) !== 0) failed++;
  } finally {
    for (const [, outfile] of bundles) rmSync(outfile, { force: true });
  }
}
process.exit(failed === 0 ? 0 : 1);
