/**
 * Import of a generated 100k × 20 CSV: parse + schema + encode + hash + profile (the whole
 * path a file takes before it is stored), against papaparse's bare parse of the same text in
 * the same run. Prints:
 *   BENCH import_100k_seconds <s>
 *   BENCH import_100k_peak_mb <MB>            (peak resident memory of the process, over all
 *                                             three rounds, so more than one import's)
 *   BENCH import_100k_ratio_vs_papaparse <x>  (ours / papaparse's bare parse)
 *   BENCH import_100k_step_<parse|schema|encode|hash|profile>_seconds <s>
 * Each figure is the fastest of three rounds.
 */
import Papa from 'papaparse';
import { buildContent, contentHash } from '../../src/core/data/content';
import { suggestSchema } from '../../src/core/data/infer';
import { parseTable } from '../../src/core/data/parse';
import { profileContent } from '../../src/core/data/profile';
import { seededRandom } from '../../src/core/random';

const ROWS = 100_000;
const NUMERIC = 18;

function makeCsv(): string {
  const r = seededRandom(42);
  const header = [...Array.from({ length: NUMERIC }, (_, i) => `x${i}`), 'colour', 'label'];
  const lines = [header.join(',')];
  const colours = ['red', 'green', 'blue', 'yellow'];
  for (let i = 0; i < ROWS; i++) {
    const row: string[] = [];
    for (let j = 0; j < NUMERIC; j++) row.push(r() < 0.01 ? 'NA' : (r() * 100).toFixed(3));
    row.push(colours[Math.floor(r() * 4)]!);
    row.push(r() < 0.3 ? 'yes' : 'no');
    lines.push(row.join(','));
  }
  return lines.join('\n');
}

const text = makeCsv();

/**
 * papaparse's bare parse of the text, in seconds. Its rows are dropped when it returns, so
 * that each side runs with only its own data alive in the heap (the garbage collector's work
 * grows with what is alive).
 */
function papaparseSeconds(): number {
  const t0 = performance.now();
  const bare = Papa.parse<string[]>(text, { skipEmptyLines: true });
  const seconds = (performance.now() - t0) / 1000;
  if (bare.data.length !== ROWS + 1) throw new Error(`papaparse read ${bare.data.length} rows`);
  return seconds;
}

// Three rounds, papaparse and ours in turn; the fastest of each counts, since a shared
// machine only ever makes a run slower.
const ROUNDS = 3;
let papaSeconds = Infinity;
let seconds = Infinity;
const best = new Map<string, number>();
for (let round = 0; round < ROUNDS; round++) {
  papaSeconds = Math.min(papaSeconds, papaparseSeconds());

  const step = async <T>(name: string, run: () => T | Promise<T>): Promise<T> => {
    const start = performance.now();
    const out = await run();
    const took = (performance.now() - start) / 1000;
    best.set(name, Math.min(best.get(name) ?? Infinity, took));
    return out;
  };
  const t0 = performance.now();
  const raw = await step('parse', () => parseTable(text, { fileName: 'bench.csv' }));
  const s = await step('schema', () => suggestSchema(raw));
  const content = await step('encode', () =>
    buildContent(raw.columns, s.columns, s.task, raw.rowCount),
  );
  const id = await step('hash', () => contentHash(content));
  const profile = await step('profile', () => profileContent(content));
  seconds = Math.min(seconds, (performance.now() - t0) / 1000);
  if (profile.rowCount !== ROWS || id.length !== 64) throw new Error('the import went wrong');
}

const peakMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `BENCH import_100k_seconds ${seconds.toFixed(2)} s (${(text.length / 1e6).toFixed(1)} MB of CSV)`,
);
console.log(
  `BENCH import_100k_peak_mb ${peakMb.toFixed(0)} MB (peak resident memory of the process over three rounds)`,
);
console.log(`BENCH import_100k_papaparse_seconds ${papaSeconds.toFixed(2)} s`);
console.log(
  `BENCH import_100k_ratio_vs_papaparse ${(seconds / papaSeconds).toFixed(2)} (ours / papaparse bare parse)`,
);
for (const [name, secs] of best) {
  console.log(`BENCH import_100k_step_${name}_seconds ${secs.toFixed(2)} s`);
}
