/**
 * Random forest and extra trees against scikit-learn 1.2's RandomForestClassifier and
 * ExtraTreesClassifier (n_jobs=1), on the same data in the same run. Prints:
 *   BENCH forest_fit_50k_ratio_vs_sklearn <x>        100 trees, 50k × 10, defaults; ours / theirs
 *   BENCH extratrees_fit_50k_ratio_vs_sklearn <x>
 *   BENCH forest_speedup_2_workers <x>              that forest on 1 worker thread / on 2, the
 *                                                   trees split in two jobs and joined
 *   BENCH forest_predict_100k_ratio_vs_sklearn <x>   that forest predicting 100k rows
 *   BENCH forest_accuracy_delta_vs_sklearn <points>  hold-out accuracy, ours − theirs, mean over
 *   BENCH extratrees_accuracy_delta_vs_sklearn <points>  5 splits of each classification sample
 *   BENCH forest_bytes_per_node <bytes>              the fitted forest as JSON (backup, link)
 *   BENCH forest_100_trees_50k_mb <MB>               beside the size of scikit-learn's pickle of its
 *                                                   forest (the file a Python user would keep)
 * Both sides use one thread and read the same data from one JSON file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { extraTrees, randomForest } from '../../src/core/learners/forest';
import {
  accuracyOn,
  ensureSklearn,
  rowsOf,
  runPython,
  sampleSplits,
  sklearnVersion,
  splitData,
  synthetic,
  testMatrix,
} from './shared';

ensureSklearn();
const dir = mkdtempSync(join(tmpdir(), 'orpheus-forest-bench-'));
const TREES = 100;

const big = synthetic(50_000, 50);
const wide = synthetic(100_000, 7);
randomForest.fit(
  synthetic(2000, 1),
  { ...randomForest.defaults('classification'), nTrees: 5 },
  {
    seed: 0,
  },
); // warm up the JIT

function fitMs(learner: typeof randomForest) {
  const t0 = performance.now();
  const fit = learner.fit(
    big,
    { ...learner.defaults('classification'), nTrees: TREES },
    { seed: 1 },
  );
  return { ms: performance.now() - t0, fit };
}
const rf = fitMs(randomForest);
const et = fitMs(extraTrees);
const t0 = performance.now();
randomForest.predict(rf.fit.fitted, wide.x, wide.rows, wide.features, wide.classes);
const predictMs = performance.now() - t0;

// The same forest trained by one worker thread, then by two (half the trees each), joined.
async function onWorkers(count: number): Promise<number> {
  const workers = Array.from(
    { length: count },
    () =>
      // Worker threads do not inherit tsx's loader: the worker loads the module through tsx's API.
      new Worker(
        `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(new URL('./forest-worker.ts', import.meta.url).href)}, ${JSON.stringify(import.meta.url)}));`,
        { eval: true },
      ),
  );
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const t0 = performance.now();
  const per = Math.ceil(TREES / count);
  const parts = await Promise.all(
    workers.map(
      (w, i) =>
        new Promise<unknown>((resolve) => {
          w.once('message', resolve);
          w.postMessage({ trees: TREES, from: i * per, to: Math.min(TREES, (i + 1) * per) });
        }),
    ),
  );
  const joined = randomForest.pieces!.join(
    big,
    { ...randomForest.defaults('classification'), nTrees: TREES },
    parts,
  );
  const ms = performance.now() - t0;
  await Promise.all(workers.map((w) => w.terminate()));
  if (JSON.stringify(joined.fitted) !== JSON.stringify(rf.fit.fitted))
    throw new Error(
      `The forest trained on ${count} workers differs from the one trained in one piece.`,
    );
  return ms;
}
const oneWorker = await onWorkers(1);
const twoWorkers = await onWorkers(2);

const json = JSON.stringify(rf.fit.fitted);
const nodes = rf.fit.size['nodes']!;

// Hold-out accuracy on the bundled samples at equal settings (defaults, 100 trees).
const splits = await sampleSplits();
const ours = splits.map((c, i) => {
  const score = (learner: typeof randomForest): number => {
    const { fitted } = learner.fit(
      c.set,
      { ...learner.defaults('classification'), nTrees: TREES },
      { seed: i, subset: c.train },
    );
    const p = learner.predict(fitted, testMatrix(c), c.test.length, c.set.features, c.set.classes);
    return accuracyOn(c, p.predictions);
  };
  return { name: c.name, rf: score(randomForest), et: score(extraTrees) };
});

const dataFile = join(dir, 'data.json');
writeFileSync(
  dataFile,
  JSON.stringify({
    big: { x: rowsOf(big), y: Array.from(big.y) },
    wide: { x: rowsOf(wide) },
    cases: splits.map(splitData),
    trees: TREES,
  }),
);
const script = `
import json, pickle, sys, time
import numpy as np
from sklearn.ensemble import RandomForestClassifier, ExtraTreesClassifier
d = json.load(open(sys.argv[1]))
X = np.array(d["big"]["x"]); y = np.array(d["big"]["y"]); W = np.array(d["wide"]["x"])
out = {"cases": {}}
for name, cls in (("rf", RandomForestClassifier), ("et", ExtraTreesClassifier)):
    t0 = time.perf_counter(); m = cls(n_estimators=d["trees"], n_jobs=1, random_state=0).fit(X, y)
    out[name + "_fit"] = (time.perf_counter() - t0) * 1000
    if name == "rf":
        t0 = time.perf_counter(); m.predict(W); out["rf_predict"] = (time.perf_counter() - t0) * 1000
        out["rf_pickle_bytes"] = len(pickle.dumps(m))
        out["rf_nodes"] = int(sum(e.tree_.node_count for e in m.estimators_))
for c in d["cases"]:
    r = {}
    for name, cls in (("rf", RandomForestClassifier), ("et", ExtraTreesClassifier)):
        m = cls(n_estimators=d["trees"], n_jobs=1, random_state=0).fit(np.array(c["xTrain"]), np.array(c["yTrain"]))
        r[name] = float((m.predict(np.array(c["xTest"])) == np.array(c["yTest"])).mean())
    out["cases"][c["name"]] = r
print(json.dumps(out))
`;
const sk = runPython<{
  rf_fit: number;
  et_fit: number;
  rf_predict: number;
  rf_pickle_bytes: number;
  rf_nodes: number;
  cases: Record<string, { rf: number; et: number }>;
}>(script, dataFile, { OMP_NUM_THREADS: '1' });

const version = sklearnVersion();
console.log(
  `BENCH forest_fit_50k_ratio_vs_sklearn ${(rf.ms / sk.rf_fit).toFixed(2)} (ours ${(rf.ms / 1000).toFixed(1)} s / scikit-learn ${version} ${(sk.rf_fit / 1000).toFixed(1)} s, ${TREES} trees, one thread)`,
);
console.log(
  `BENCH extratrees_fit_50k_ratio_vs_sklearn ${(et.ms / sk.et_fit).toFixed(2)} (ours ${(et.ms / 1000).toFixed(1)} s / scikit-learn ${(sk.et_fit / 1000).toFixed(1)} s)`,
);
console.log(
  `BENCH forest_speedup_2_workers ${(oneWorker / twoWorkers).toFixed(2)} (${(oneWorker / 1000).toFixed(1)} s on one worker thread, ${(twoWorkers / 1000).toFixed(1)} s on two; the same forest)`,
);
console.log(
  `BENCH forest_predict_100k_ratio_vs_sklearn ${(predictMs / sk.rf_predict).toFixed(2)} (ours ${predictMs.toFixed(0)} ms / scikit-learn ${sk.rf_predict.toFixed(0)} ms)`,
);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const rfDelta = mean(ours.map((o) => (o.rf - sk.cases[o.name]!.rf) * 100));
const etDelta = mean(ours.map((o) => (o.et - sk.cases[o.name]!.et) * 100));
const what = `${ours.length} splits of ${new Set(ours.map((o) => o.name.split('#')[0])).size} samples`;
console.log(
  `BENCH forest_accuracy_delta_vs_sklearn ${rfDelta.toFixed(2)} points (ours − scikit-learn, mean over ${what})`,
);
console.log(`BENCH extratrees_accuracy_delta_vs_sklearn ${etDelta.toFixed(2)} points (${what})`);
console.log(
  `BENCH forest_bytes_per_node ${(json.length / nodes).toFixed(1)} bytes (JSON, ${nodes.toLocaleString('en')} nodes)`,
);
console.log(
  `BENCH forest_100_trees_50k_mb ${(json.length / 1e6).toFixed(1)} MB (JSON; scikit-learn's pickle of its forest: ${(sk.rf_pickle_bytes / 1e6).toFixed(1)} MB, ${(sk.rf_pickle_bytes / sk.rf_nodes).toFixed(1)} bytes a node over ${sk.rf_nodes.toLocaleString('en')} nodes)`,
);
