/**
 * Logistic regression, ridge and naive Bayes against scikit-learn 1.2, on the same data in the
 * same run, with the same preprocessing (numbers standardized, categories one-hot encoded for
 * the linear models; Gaussian and categorical naive Bayes together). Prints:
 *   BENCH logistic_accuracy_delta_vs_sklearn <points>  hold-out accuracy, ours − theirs, mean over
 *   BENCH nb_accuracy_delta_vs_sklearn <points>        5 splits of each classification sample and
 *   BENCH svm_accuracy_delta_vs_sklearn <points>       one of the generated 50k × 10 set
 *                                                      (LinearSVC, KNeighborsClassifier, k = 5)
 *   BENCH knn_accuracy_delta_vs_sklearn <points>
 *   BENCH knn_predict_10k_ratio_vs_sklearn <x>   10k rows against 50k, exact; ours / brute force
 *   BENCH logistic_coef_max_rel_error <x>   50k × 10, 3 classes, C = 1, on the same
 *     standardized columns: each side's default fit (and both to convergence, tol 1e-10)
 *   BENCH ridge_coef_max_rel_error <x>      50k × 10 regression, alpha = 1
 *   BENCH logistic_fit_50k_ratio_vs_sklearn <x>   ours / lbfgs, each with its default stopping
 *     (the fastest of three fits each, after one that warms up)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { naiveBayes } from '../../src/core/learners/bayes';
import { nearestNeighbours } from '../../src/core/learners/knn';
import { linearRegression, linearSvm, logisticRegression } from '../../src/core/learners/linear';
import { transform, widthOf } from '../../src/core/learners/pipeline';
import { fitLogistic, LOGISTIC_TOLERANCE } from '../../src/core/learners/linear/solve';
import { seededRandom } from '../../src/core/random';
import { holdoutSplit } from '../../src/core/train/evaluate';
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
const dir = mkdtempSync(join(tmpdir(), 'orpheus-linear-bench-'));
const big = synthetic(50_000, 50);
const regression = {
  ...big,
  classes: 0,
  y: Float64Array.from({ length: big.rows }, (_, r) => {
    let s = 0;
    for (let f = 0; f < big.features; f++) s += (f + 1) * big.x[r * big.features + f]!;
    return s + ((r * 7919) % 101) - 50;
  }),
};
logisticRegression.fit(synthetic(2000, 1), logisticRegression.defaults('classification'), {
  seed: 0,
}); // warm up
// The fastest of three fits on each side: a shared machine only ever makes a run slower.
const FITS = 3;
let oursMs = Infinity;
let lr = logisticRegression.fit(big, logisticRegression.defaults('classification'), { seed: 0 });
for (let i = 0; i < FITS; i++) {
  const t0 = performance.now();
  lr = logisticRegression.fit(big, logisticRegression.defaults('classification'), { seed: 0 });
  oursMs = Math.min(oursMs, performance.now() - t0);
}
const ridge = linearRegression.fit(regression, linearRegression.defaults('regression'), {
  seed: 0,
});
const standardized = transform(lr.fitted.pipeline, big.x, big.rows, big.features);
// Both to convergence for the coefficients: the solver with a tolerance of 1e-10, as theirs.
const exact = fitLogistic(
  { x: standardized, rows: big.rows, width: widthOf(lr.fitted.pipeline) },
  big.y,
  big.classes,
  new Float64Array(big.rows).fill(1),
  1,
  100_000,
  'l2',
  1e-10,
);
const queries = synthetic(10_000, 7);
const knn = nearestNeighbours.fit(big, nearestNeighbours.defaults('classification'), { seed: 0 });
const k0 = performance.now();
nearestNeighbours.predict(knn.fitted, queries.x, queries.rows, queries.features, 3);
const knnMs = performance.now() - k0;

// The bundled samples' splits, and one hold-out split of the generated 50k × 10 set.
const bigSplit = holdoutSplit(big, 0.2, seededRandom(0));
const splits = [
  ...(await sampleSplits()),
  { name: 'generated-50k#0', set: big, train: bigSplit.train, test: bigSplit.test },
];
const ours = splits.map((c, i) => {
  const score = (
    learner:
      typeof logisticRegression | typeof naiveBayes | typeof linearSvm | typeof nearestNeighbours,
  ): number => {
    const l = learner as typeof logisticRegression;
    const { fitted } = l.fit(c.set, l.defaults('classification'), { seed: i, subset: c.train });
    const p = l.predict(fitted, testMatrix(c), c.test.length, c.set.features, c.set.classes);
    return accuracyOn(c, p.predictions);
  };
  return {
    name: c.name,
    lr: score(logisticRegression),
    nb: score(naiveBayes),
    svm: score(linearSvm),
    knn: score(nearestNeighbours),
  };
});

const dataFile = join(dir, 'data.json');
writeFileSync(
  dataFile,
  JSON.stringify({
    big: { x: rowsOf(big), y: Array.from(big.y) },
    queries: rowsOf(queries),
    standardized: Array.from(standardized),
    width: big.features,
    ridgeY: Array.from(regression.y),
    cases: splits.map((c) => ({
      ...splitData(c),
      categorical: (c.set.categories ?? []).flatMap((k, j) => (k > 0 ? [j] : [])),
    })),
  }),
);
const script = `
import json, sys, time
import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import LinearSVC
from sklearn.naive_bayes import CategoricalNB, GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
d = json.load(open(sys.argv[1]))
X = np.array(d["big"]["x"]); y = np.array(d["big"]["y"])
out = {"cases": {}}
out["lr_fit"] = float("inf")
for i in range(4):
    t0 = time.perf_counter(); m = make_pipeline(StandardScaler(), LogisticRegression(C=1.0)).fit(X, y)
    if i > 0:  # the first warms up, as on our side
        out["lr_fit"] = min(out["lr_fit"], (time.perf_counter() - t0) * 1000)
out["lr_iterations"] = int(np.max(m[-1].n_iter_))
Z = np.array(d["standardized"]).reshape(-1, d["width"])
knn = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=5, algorithm="brute")).fit(X, y)
Q = np.array(d["queries"])
t0 = time.perf_counter(); knn.predict(Q); out["knn_predict"] = (time.perf_counter() - t0) * 1000
exact = LogisticRegression(C=1.0, tol=1e-10, max_iter=100000).fit(Z, y)
out["lr_coef"] = exact.coef_.ravel().tolist()
out["lr_default_coef"] = LogisticRegression(C=1.0).fit(Z, y).coef_.ravel().tolist()
r = Ridge(alpha=1.0).fit(Z, np.array(d["ridgeY"]))
out["ridge_coef"] = r.coef_.ravel().tolist()
for c in d["cases"]:
    Xtr = np.array(c["xTrain"]); Xte = np.array(c["xTest"]); ytr = np.array(c["yTrain"]); yte = np.array(c["yTest"])
    cat = c["categorical"]; num = [j for j in range(Xtr.shape[1]) if j not in cat]
    pre = ColumnTransformer([("num", StandardScaler(), num), ("cat", OneHotEncoder(handle_unknown="ignore"), cat)])
    lr = make_pipeline(pre, LogisticRegression(C=1.0, max_iter=1000)).fit(Xtr, ytr)
    res = {"lr": float((lr.predict(Xte) == yte).mean())}
    svm = make_pipeline(pre, LinearSVC(C=1.0, max_iter=1000, random_state=0)).fit(Xtr, ytr)
    res["svm"] = float((svm.predict(Xte) == yte).mean())
    knn = make_pipeline(pre, KNeighborsClassifier(n_neighbors=5)).fit(Xtr, ytr)
    res["knn"] = float((knn.predict(Xte) == yte).mean())
    # Gaussian on the numbers and categorical on the categories, one joint log-likelihood.
    classes = np.unique(ytr)
    jll = np.zeros((len(Xte), len(classes)))
    if num:
        g = GaussianNB().fit(Xtr[:, num], ytr); jll += g.predict_joint_log_proba(Xte[:, num])
    if cat:
        k = [int(max(Xtr[:, j].max(), Xte[:, j].max())) + 1 for j in cat]
        cnb = CategoricalNB(alpha=1.0, min_categories=k).fit(Xtr[:, cat].astype(int), ytr)
        jll += cnb.predict_joint_log_proba(Xte[:, cat].astype(int))
        if num: jll -= np.log(np.bincount(ytr.astype(int)) / len(ytr))
    res["nb"] = float((classes[np.argmax(jll, axis=1)] == yte).mean())
    out["cases"][c["name"]] = res
print(json.dumps(out))
`;
const sk = runPython<{
  lr_fit: number;
  lr_iterations: number;
  lr_coef: number[];
  lr_default_coef: number[];
  ridge_coef: number[];
  knn_predict: number;
  cases: Record<string, { lr: number; nb: number; svm: number; knn: number }>;
}>(script, dataFile, { OMP_NUM_THREADS: '1' });

const maxRel = (a: readonly number[], b: readonly number[]): number => {
  const scale = Math.max(...b.map(Math.abs));
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]!))) / scale;
};
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const samples = ours.filter((o) => o.name !== 'generated-50k#0');
const what = `${samples.length} splits of ${new Set(samples.map((o) => o.name.split('#')[0])).size} samples and one of the generated 50k × 10 set`;
/** The mean delta in points over every split, and the generated set's own. */
const delta = (family: 'lr' | 'nb' | 'svm' | 'knn'): string => {
  const d = (o: (typeof ours)[number]) => (o[family] - sk.cases[o.name]![family]) * 100;
  return `${mean(ours.map(d)).toFixed(2)} points (ours − scikit-learn ${sklearnVersion()}, mean over ${what}; on that set alone ${d(ours.at(-1)!).toFixed(2)}, ours at ${(ours.at(-1)![family] * 100).toFixed(2)} %)`;
};
console.log(`BENCH logistic_accuracy_delta_vs_sklearn ${delta('lr')}`);
console.log(`BENCH nb_accuracy_delta_vs_sklearn ${delta('nb')}`);
console.log(`BENCH svm_accuracy_delta_vs_sklearn ${delta('svm')}`);
console.log(`BENCH knn_accuracy_delta_vs_sklearn ${delta('knn')}`);
console.log(
  `BENCH knn_predict_10k_ratio_vs_sklearn ${(knnMs / sk.knn_predict).toFixed(2)} (ours ${knnMs.toFixed(0)} ms / scikit-learn brute force ${sk.knn_predict.toFixed(0)} ms, 10k rows against 50k, k = 5)`,
);
console.log(
  `BENCH logistic_coef_max_rel_error ${maxRel(lr.fitted.coef, sk.lr_default_coef).toExponential(2)} (50k × 10, 3 classes, C = 1, each side's defaults; both to convergence, tol 1e-10: ${maxRel(exact.coef, sk.lr_coef).toExponential(2)})`,
);
console.log(
  `BENCH ridge_coef_max_rel_error ${maxRel(ridge.fitted.coef, sk.ridge_coef).toExponential(2)} (50k × 10, alpha = 1)`,
);
console.log(
  `BENCH logistic_fit_50k_ratio_vs_sklearn ${(oursMs / sk.lr_fit).toFixed(2)} (ours ${oursMs.toFixed(0)} ms, ${lr.fitted.optimizer!.iterations} iterations to its tolerance ${LOGISTIC_TOLERANCE} / scikit-learn ${sk.lr_fit.toFixed(0)} ms, ${sk.lr_iterations} iterations to its default tol 1e-4)`,
);
