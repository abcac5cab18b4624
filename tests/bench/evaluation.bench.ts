/**
 * The evaluation jobs of the version page and Compare, on a decision tree (max depth 8) and
 * 50k rows × 10 features, on 2 worker threads as the browser's pool would run them; against
 * scikit-learn 1.2 doing the same with n_jobs=2, in the same run. Prints:
 *   BENCH repeated_cv_10x10_seconds_50k <s>          10 × 10-fold, one job per repeat
 *   BENCH repeated_cv_10x10_ratio_vs_sklearn <x>     ours / cross_validate(RepeatedStratifiedKFold)
 *   BENCH validation_curve_seconds <s>               max depth 1…20 (10 values), 5 folds of
 *                                                    the 40k training rows (hold-out left out)
 *   BENCH validation_curve_ratio_vs_sklearn <x>      ours / validation_curve
 *   BENCH treeshap_rows_per_s_forest100 <rows/s>     exact TreeSHAP of a 100-tree forest (5k rows,
 *                                                    20 features, 3 classes), one thread
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { explainerFor } from '../../src/core/explain/contributions';
import { randomForest } from '../../src/core/learners/forest';
import type { Encoding } from '../../src/core/records';
import { seededRandom } from '../../src/core/random';
import { prepare } from '../../src/core/train/evaluate';
import { sweepValues } from '../../src/core/train/validation';
import { ensureSklearn, rowsOf, runPython, synthetic } from './shared';

ensureSklearn();
const WORKERS = 2;

/** Runs the jobs on `WORKERS` worker threads, each taking the next job when it is free. */
async function onWorkers(jobs: object[]): Promise<number> {
  const workers = Array.from(
    { length: WORKERS },
    () =>
      // Worker threads do not inherit tsx's loader: the worker loads the module through tsx's API.
      new Worker(
        `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(new URL('./evaluation-worker.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}));`,
        { eval: true },
      ),
  );
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    workers.map(async (w) => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        await new Promise((resolve) => {
          w.once('message', resolve);
          w.postMessage(job);
        });
      }
    }),
  );
  const ms = performance.now() - t0;
  await Promise.all(workers.map((w) => w.terminate()));
  return ms;
}

const repeatedMs = await onWorkers(
  Array.from({ length: 10 }, (_, repeat) => ({ kind: 'repeat', repeat })),
);
const depths = sweepValues({ kind: 'int', low: 1, high: 20, step: 1, log: false });
const validationMs = await onWorkers(depths.map((depth) => ({ kind: 'point', depth })));

const big = synthetic(50_000, 50);
const dir = mkdtempSync(join(tmpdir(), 'orpheus-evaluation-bench-'));
const file = join(dir, 'data.json');
// The validation curve runs on the version's training part (the hold-out left out): so does
// scikit-learn's.
const train = Array.from(prepare(big, { folds: 5, testFraction: 0.2, seed: 1 }).train);
writeFileSync(file, JSON.stringify({ x: rowsOf(big), y: Array.from(big.y), depths, train }));
const theirs = runPython<{ repeated: number; validation: number }>(
  `
import json, sys, time
import numpy as np
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold, cross_validate, validation_curve
from sklearn.tree import DecisionTreeClassifier
d = json.load(open(sys.argv[1]))
x = np.array(d["x"]); y = np.array(d["y"]).astype(int)
t0 = time.perf_counter()
cross_validate(DecisionTreeClassifier(max_depth=8, random_state=1), x, y,
               cv=RepeatedStratifiedKFold(n_splits=10, n_repeats=10, random_state=1), n_jobs=2)
repeated = time.perf_counter() - t0
t0 = time.perf_counter()
t = np.array(d["train"])
validation_curve(DecisionTreeClassifier(random_state=1), x[t], y[t], param_name="max_depth",
                 param_range=d["depths"], cv=StratifiedKFold(5, shuffle=True, random_state=1), n_jobs=2)
print(json.dumps({"repeated": repeated, "validation": time.perf_counter() - t0}))
`,
  file,
);

console.log(`BENCH repeated_cv_10x10_seconds_50k ${(repeatedMs / 1000).toFixed(2)} s (2 workers)`);
console.log(
  `BENCH repeated_cv_10x10_ratio_vs_sklearn ${(repeatedMs / 1000 / theirs.repeated).toFixed(2)} (scikit-learn ${theirs.repeated.toFixed(2)} s, n_jobs=2)`,
);
console.log(
  `BENCH validation_curve_seconds ${(validationMs / 1000).toFixed(2)} s (10 values, 5 folds, 50k rows, 2 workers)`,
);
console.log(
  `BENCH validation_curve_ratio_vs_sklearn ${(validationMs / 1000 / theirs.validation).toFixed(2)} (scikit-learn ${theirs.validation.toFixed(2)} s, n_jobs=2)`,
);

// TreeSHAP: a 100-tree forest on 20 features explains rows one by one, as the page does.
const random = seededRandom(20);
const wide = {
  x: new Float64Array(5000 * 20),
  rows: 5000,
  features: 20,
  y: new Float64Array(5000),
  classes: 3,
};
for (let r = 0; r < wide.rows; r++) {
  for (let f = 0; f < 20; f++) wide.x[r * 20 + f] = random() * 100;
  const score =
    wide.x[r * 20]! + 0.5 * wide.x[r * 20 + 1]! - 0.3 * wide.x[r * 20 + 2]! + 20 * random();
  wide.y[r] = score < 35 ? 0 : score < 65 ? 1 : 2;
}
const forest = randomForest.fit(
  wide,
  { ...randomForest.defaults('classification'), nTrees: 100 },
  { seed: 1 },
);
const encoding = {
  task: 'classification',
  target: 'y',
  classes: ['a', 'b', 'c'],
  features: Array.from({ length: 20 }, (_, f) => ({ name: `f${f}`, kind: 'numeric' })),
} as unknown as Encoding;
const { explain } = explainerFor('random-forest', forest.fitted, encoding, 1)!;
const row = (r: number): number[] => Array.from(wide.x.subarray(r * 20, (r + 1) * 20));
for (let r = 0; r < 20; r++) explain(row(r)); // warm up the JIT
const shapRows = 300;
const t1 = performance.now();
for (let r = 0; r < shapRows; r++) explain(row(r));
const perSecond = shapRows / ((performance.now() - t1) / 1000);
console.log(
  `BENCH treeshap_rows_per_s_forest100 ${perSecond.toFixed(0)} rows/s (${forest.size['nodes']!.toLocaleString('en')} nodes, 20 features, one thread)`,
);
