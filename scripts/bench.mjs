// npm run bench [-- NAME]: runs every benchmark in tests/bench/ (or the one named), each as
// its own Node process through tsx, so TypeScript sources run as they are.
// Each benchmark prints its figures as lines `BENCH <name> <value> [unit or comparison]`.
import { readdirSync } from 'node:fs';
import { ensureDependencies, run } from './deps.mjs';

ensureDependencies();
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
  if (run('npx', ['tsx', `tests/bench/${file}`]) !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
