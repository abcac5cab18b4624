/**
 * The trainer against ml-cart's own train and scikit-learn's DecisionTreeClassifier, on the
 * same data in the same run. Prints:
 *   BENCH fit_1k_ms / fit_10k_ms / fit_50k_ms   ours, 10 numeric features, 3 classes, full depth
 *   BENCH fit_4k_ratio_vs_mlcart <x>            ours (ml-cart rules, same tree) / ml-cart's train
 *   BENCH fit_50k_ratio_vs_sklearn <x>          ours / scikit-learn, same data and settings
 *   BENCH holdout_accuracy_delta_vs_sklearn <points>  ours − scikit-learn on the bundled
 *                                               classification samples (5 seeded splits each)
 * scikit-learn is Debian's python3-sklearn (installed with apt-get when missing); both sides
 * read the same data from one JSON file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecisionTreeClassifier } from 'ml-cart';
import { DEFAULT_CART_PARAMS, fitCart } from '../../src/core/learners/tree/cart';
import { fitMlCart } from '../oracle/mlCartRules';
import { predictTree } from '../../src/core/learners/tree/tree';
import {
  accuracyOn,
  ensureSklearn,
  PYTHON,
  rowsOf,
  sampleSplits,
  sklearnVersion,
  splitData,
  synthetic,
  testMatrix,
  timeMs,
} from './shared';

ensureSklearn();
const dir = mkdtempSync(join(tmpdir(), 'orpheus-bench-'));

// Fit times.
const sizes = [1000, 10_000, 50_000];
const sets = new Map(sizes.map((n) => [n, synthetic(n, n)]));
fitCart(sets.get(1000)!); // warm up the JIT
const ours = new Map(
  sizes.map((n) => [n, timeMs(() => fitCart(sets.get(n)!), n >= 50_000 ? 3 : 5)]),
);

// ml-cart at 4k rows: its own train against our trainer under its rules (the same tree).
const four = synthetic(4000, 4);
const mlRows = rowsOf(four);
const mlY = Array.from(four.y);
const mlCartMs = timeMs(() => new DecisionTreeClassifier({}).train(mlRows, mlY), 1);
const oursMlRulesMs = timeMs(() => fitMlCart(four, { minNumSamples: 3, maxDepth: null }), 3);

// Holdout accuracy on the bundled samples, at equal settings (defaults, full depth).
const splits = await sampleSplits();
const cases = splits.map((c, seed) => {
  const fitted = fitCart(c.set, DEFAULT_CART_PARAMS, { subset: c.train, seed: seed % 5 });
  const pred = predictTree(
    fitted.tree,
    testMatrix(c),
    c.test.length,
    c.set.features,
    c.set.classes,
  );
  return { ...splitData(c), ours: accuracyOn(c, pred.predictions) };
});

const dataFile = join(dir, 'data.json');
writeFileSync(
  dataFile,
  JSON.stringify({
    fits: sizes.map((n) => ({ n, x: rowsOf(sets.get(n)!), y: Array.from(sets.get(n)!.y) })),
    cases: cases.map(({ ours: _ours, ...c }) => c),
  }),
);
const script = `
import json, sys, time
import numpy as np
from sklearn.tree import DecisionTreeClassifier
d = json.load(open(sys.argv[1]))
out = {"fits": {}, "cases": {}}
for f in d["fits"]:
    X = np.array(f["x"]); y = np.array(f["y"])
    DecisionTreeClassifier(random_state=0).fit(X, y)
    times = []
    for _ in range(3 if f["n"] >= 50000 else 5):
        t0 = time.perf_counter(); DecisionTreeClassifier(random_state=0).fit(X, y); times.append(time.perf_counter() - t0)
    out["fits"][str(f["n"])] = sorted(times)[len(times)//2] * 1000
for c in d["cases"]:
    m = DecisionTreeClassifier(random_state=0).fit(np.array(c["xTrain"]), np.array(c["yTrain"]))
    out["cases"][c["name"]] = float((m.predict(np.array(c["xTest"])) == np.array(c["yTest"])).mean())
print(json.dumps(out))
`;
const scriptFile = join(dir, 'sklearn_bench.py');
writeFileSync(scriptFile, script);
const sk = JSON.parse(
  execFileSync(PYTHON, [scriptFile, dataFile], { encoding: 'utf8', maxBuffer: 1 << 28 }),
) as {
  fits: Record<string, number>;
  cases: Record<string, number>;
};

for (const n of sizes) {
  const label = n >= 1000 ? `${n / 1000}k` : String(n);
  console.log(
    `BENCH fit_${label}_ms ${ours.get(n)!.toFixed(1)} ms (scikit-learn ${sk.fits[String(n)]!.toFixed(1)} ms)`,
  );
}
console.log(
  `BENCH fit_4k_ratio_vs_mlcart ${(oursMlRulesMs / mlCartMs).toFixed(4)} (ours with ml-cart's rules ${oursMlRulesMs.toFixed(1)} ms / ml-cart ${mlCartMs.toFixed(0)} ms, same tree)`,
);
console.log(
  `BENCH fit_50k_ratio_vs_sklearn ${(ours.get(50_000)! / sk.fits['50000']!).toFixed(2)} (ours / scikit-learn ${sklearnVersion()})`,
);
const deltas = cases.map((c) => (c.ours - sk.cases[c.name]!) * 100);
const delta = deltas.reduce((a, b) => a + b, 0) / deltas.length;
console.log(
  `BENCH holdout_accuracy_delta_vs_sklearn ${delta.toFixed(2)} points (ours − scikit-learn, mean over ${cases.length} splits of ${new Set(cases.map((c) => c.name.split('#')[0])).size} samples)`,
);
