/**
 * How a model is trained and judged: a seeded, stratified hold-out split; stratified k-fold
 * cross-validation on the rest; the final tree fitted on the training part and scored on the
 * hold-out. The sorted feature orders are computed once and shared by every fit.
 */
import type { AnyLearner, Fit, FitContext, SharedWork } from '../learners/learner';
import { DEFAULT_FAMILY, learnerFor } from '../learners/registry';
import { TrainingError, type TrainingSet } from '../learners/training';
import { seededRandom, shuffle, type Random } from '../random';
import type {
  ClassificationScores,
  MetricName,
  Params,
  RegressionScores,
  Spread,
} from '../records';
import type { Progress } from '../vocabulary';
import { classificationScores, regressionScores, scalarScores, METRICS } from './metrics';
import { outputsOf, type ClassifierOutputs } from './curves';

export type { Spread };

export interface EvaluationPlan {
  /** Cross-validation folds, 2 … 20. */
  folds: number;
  /** Share of rows held out for the final score, 0.1 … 0.5. */
  testFraction: number;
  seed: number;
}

export const DEFAULT_PLAN: Omit<EvaluationPlan, 'seed'> = { folds: 5, testFraction: 0.2 };

export interface Evaluation {
  fit: Fit<unknown>;
  /** Cross-validated scalar metrics (mean ± std over folds). */
  cv: Partial<Record<MetricName, Spread>>;
  holdout: ClassificationScores | RegressionScores;
  /** The rows held out (indices into the training set) and what the model predicts for them. */
  holdoutRows: number[];
  holdoutPredictions: number[];
  trainRows: number;
  /** Time to fit the final model (cross-validation not included). */
  fitMs: number;
}

export type { Progress };

function groups(set: TrainingSet, rows: Int32Array | null): Int32Array[] {
  const all = rows ?? Int32Array.from({ length: set.rows }, (_, i) => i);
  if (set.classes === 0) return [all];
  const byClass: number[][] = Array.from({ length: set.classes }, () => []);
  for (const r of all) byClass[set.y[r]!]!.push(r);
  return byClass.map((g) => Int32Array.from(g));
}

/** A stratified split: about `fraction` of each class held out. */
export function holdoutSplit(
  set: TrainingSet,
  fraction: number,
  random: Random,
): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  for (const g of groups(set, null)) {
    shuffle(g, random);
    const k = g.length < 2 ? 0 : Math.max(1, Math.round(g.length * fraction));
    for (let i = 0; i < g.length; i++) (i < k ? test : train).push(g[i]!);
  }
  return {
    train: Int32Array.from(train).sort(),
    test: Int32Array.from(test).sort(),
  };
}

/** Fold number per row of `rows`, stratified by class and dealt round-robin after a shuffle. */
export function stratifiedFolds(
  set: TrainingSet,
  rows: Int32Array,
  k: number,
  random: Random,
): Int32Array[] {
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const g of groups(set, rows)) {
    shuffle(g, random);
    for (const r of g) {
      folds[next]!.push(r);
      next = (next + 1) % k;
    }
  }
  return folds.map((f) => Int32Array.from(f).sort());
}

export function checkPlan(set: TrainingSet, plan: EvaluationPlan): void {
  if (!Number.isInteger(plan.folds) || plan.folds < 2 || plan.folds > 20)
    throw new TrainingError('Cross-validation needs between 2 and 20 folds.');
  if (!(plan.testFraction >= 0.1 && plan.testFraction <= 0.5))
    throw new TrainingError('The hold-out share must be between 10 % and 50 %.');
  const trainRows = Math.floor(set.rows * (1 - plan.testFraction));
  if (trainRows < plan.folds * 2)
    throw new TrainingError(
      `${set.rows} rows are too few for ${plan.folds}-fold cross-validation with a hold-out; use fewer folds or more data.`,
    );
  if (set.classes > 0) {
    const seen = new Set(set.y);
    if (seen.size < 2)
      throw new TrainingError('The target has only one class: there is nothing to learn.');
  }
}

export function scoreRows(
  set: TrainingSet,
  learner: AnyLearner,
  fitted: unknown,
  rows: Int32Array,
): { scores: ClassificationScores | RegressionScores; predictions: Float64Array } {
  const p = set.features;
  const x = new Float64Array(rows.length * p);
  const y = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    x.set(set.x.subarray(r * p, (r + 1) * p), i * p);
    y[i] = set.y[r]!;
  });
  const { predictions, probabilities } = learner.predict(fitted, x, rows.length, p, set.classes);
  const scores =
    set.classes > 0
      ? classificationScores(y, predictions, probabilities, set.classes)
      : regressionScores(y, predictions);
  return { scores, predictions };
}

function spread(values: number[]): Spread {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance =
    values.length > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, std: Math.sqrt(variance), folds: values };
}

/** Shared by every fit on one data set: sorted orders, the hold-out split and the folds. */
export interface Prepared {
  set: TrainingSet;
  plan: EvaluationPlan;
  /** Work every family may share between its fits on this set (a tree's sorted orders). */
  shared: SharedWork;
  train: Int32Array;
  test: Int32Array;
  folds: Int32Array[];
}

export function prepare(set: TrainingSet, plan: EvaluationPlan): Prepared {
  checkPlan(set, plan);
  const random = seededRandom(plan.seed);
  const { train, test } = holdoutSplit(set, plan.testFraction, random);
  const folds = stratifiedFolds(set, train, plan.folds, random);
  return { set, plan, shared: new Map(), train, test, folds };
}

/** The rows fit `k` trains on: the training part without fold k, or all of it for the final fit (k = folds). */
export function fitContext(prep: Prepared, k: number): FitContext {
  const { set, shared, train, folds, plan } = prep;
  if (k >= folds.length) return { seed: plan.seed, subset: train, shared };
  const inFold = new Uint8Array(set.rows);
  for (const r of folds[k]!) inFold[r] = 1;
  return { seed: plan.seed, subset: train.filter((r) => !inFold[r]), shared };
}

/** Fold k's scalar metrics: a fit on the other folds, scored on this one. */
export function foldScores(
  prep: Prepared,
  learner: AnyLearner,
  params: Params,
  k: number,
): Partial<Record<MetricName, number>> {
  const { fitted } = learner.fit(prep.set, params, fitContext(prep, k));
  return scalarScores(scoreRows(prep.set, learner, fitted, prep.folds[k]!).scores);
}

/** Mean ± std of each metric over the folds' scores, in fold order (NaN folds left out). */
export function spreadOverFolds(
  perFold: readonly Partial<Record<MetricName, number>>[],
): Partial<Record<MetricName, Spread>> {
  const out: Partial<Record<MetricName, Spread>> = {};
  for (const m of Object.keys(perFold[0] ?? {}) as MetricName[]) {
    const values = perFold.map((s) => s[m]!).filter((v) => !Number.isNaN(v));
    if (values.length > 0) out[m] = spread(values);
  }
  return out;
}

/**
 * Fits the final model on the training part and scores it on the hold-out. `made` is that
 * fit when it was already made elsewhere (a forest's trees trained across workers), with
 * the time it took.
 */
export function fitAndScore(
  prep: Prepared,
  learner: AnyLearner,
  params: Params,
  made?: { fit: Fit<unknown>; ms: number },
): Omit<Evaluation, 'cv'> {
  const { set, train, test } = prep;
  const t0 = performance.now();
  const fit = made?.fit ?? learner.fit(set, params, fitContext(prep, prep.folds.length));
  const fitMs = made?.ms ?? performance.now() - t0;
  const { scores, predictions } = scoreRows(set, learner, fit.fitted, test);
  return {
    fit,
    holdout: scores,
    holdoutRows: Array.from(test),
    holdoutPredictions: Array.from(predictions),
    trainRows: train.length,
    fitMs,
  };
}

/** Better of two metric values for `metric` (ties keep the first). */
export function isBetter(metric: MetricName, a: number, b: number): boolean {
  return METRICS[metric].higherIsBetter ? a > b : a < b;
}

export interface CurvePoint {
  rows: number;
  train: number;
  test: number;
}

/** Score against training-set size: fits on growing shares of the training part. */
export function learningCurve(
  set: TrainingSet,
  params: Params,
  plan: EvaluationPlan,
  metric: MetricName,
  steps = 8,
  onProgress: Progress = () => {},
  family = DEFAULT_FAMILY,
): CurvePoint[] {
  const learner = learnerFor(family);
  const prep = prepare(set, plan);
  const order = shuffle(Int32Array.from(prep.train), seededRandom(plan.seed + 1));
  const points: CurvePoint[] = [];
  for (let s = 1; s <= steps; s++) {
    const size = Math.max(2, Math.round((order.length * s) / steps));
    const subset = order.slice(0, size).sort();
    const { fitted } = learner.fit(set, params, { seed: plan.seed, subset, shared: prep.shared });
    const onTrain = scalarScores(scoreRows(set, learner, fitted, subset).scores)[metric] ?? NaN;
    const onTest = scalarScores(scoreRows(set, learner, fitted, prep.test).scores)[metric] ?? NaN;
    points.push({ rows: size, train: onTrain, test: onTest });
    onProgress(s, steps);
  }
  return points;
}

/**
 * Cross-validated predictions: each training row (hold-out excluded) predicted by the model
 * fitted on the other folds, on the same split and folds as the version's cross-validation.
 * `rows` lists the rows in the order of the outputs, fold after fold (`foldSizes` rows each).
 */
export function outOfFold(
  set: TrainingSet,
  family: string,
  params: Params,
  plan: EvaluationPlan,
  onProgress: Progress = () => {},
): ClassifierOutputs & { rows: number[]; foldSizes: number[] } {
  const learner = learnerFor(family);
  const prep = prepare(set, plan);
  const parts: { rows: Int32Array; outputs: ClassifierOutputs }[] = [];
  prep.folds.forEach((fold, k) => {
    const { fitted } = learner.fit(set, params, fitContext(prep, k));
    const p = set.features;
    const x = new Float64Array(fold.length * p);
    fold.forEach((r, i) => x.set(set.x.subarray(r * p, (r + 1) * p), i * p));
    const prediction = learner.predict(fitted, x, fold.length, p, set.classes);
    const truth = Array.from(fold, (r) => set.y[r]!);
    parts.push({ rows: fold, outputs: outputsOf(prediction, truth, set.classes) });
    onProgress(k + 1, prep.folds.length);
  });
  const first = parts[0]!.outputs;
  return {
    rows: parts.flatMap((q) => Array.from(q.rows)),
    foldSizes: parts.map((q) => q.rows.length),
    truth: parts.flatMap((q) => q.outputs.truth),
    classes: set.classes,
    probabilities: first.probabilities ? parts.flatMap((q) => q.outputs.probabilities!) : null,
    decision: first.decision ? parts.flatMap((q) => q.outputs.decision!) : null,
    width: first.width,
  };
}
