/**
 * How a classifier's scores rank and how honest its probabilities are, on labelled rows: ROC
 * and precision-recall curves (one-vs-rest per class, with the macro and micro averages), the
 * reliability diagram, the Brier score, and what a decision threshold does to the counts and
 * the cost. Definitions follow scikit-learn 1.2 (`roc_curve` with its intermediate points
 * dropped, `roc_auc_score`, `precision_recall_curve`, `average_precision_score`,
 * `calibration_curve` with uniform bins, `brier_score_loss`, `log_loss`).
 */
import { rowLogLoss } from './metrics';

/** What a classifier says about some rows: the truth and, per class, a score or probability. */
export interface ClassifierOutputs {
  /** True class code per row. */
  truth: number[];
  classes: number;
  /** rows × classes probabilities, or null for a model without them. */
  probabilities: number[] | null;
  /**
   * rows × width decision values when there are no probabilities (a linear SVM): width 1 for
   * two classes (positive means the second class), else one per class.
   */
  decision: number[] | null;
  width: number;
}

/** A learner's prediction for rows whose true class codes are `truth`, as curves read it. */
export function outputsOf(
  prediction: { probabilities: Float64Array | null; decision?: Float64Array },
  truth: ArrayLike<number>,
  classes: number,
): ClassifierOutputs {
  const n = truth.length;
  const decision = prediction.probabilities ? null : (prediction.decision ?? null);
  return {
    truth: Array.from(truth),
    classes,
    probabilities: prediction.probabilities ? Array.from(prediction.probabilities) : null,
    decision: decision ? Array.from(decision) : null,
    width: decision && n > 0 ? decision.length / n : 0,
  };
}

/** Points of a binary curve at each distinct score, highest first, as scikit-learn counts them. */
function binaryCounts(
  positive: ArrayLike<boolean>,
  score: ArrayLike<number>,
): { tps: number[]; fps: number[]; thresholds: number[] } {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]!);
  const tps: number[] = [];
  const fps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let i = 0; i < n; i++) {
    if (positive[order[i]!]) tp++;
    const s = score[order[i]!]!;
    if (i === n - 1 || score[order[i + 1]!]! !== s) {
      tps.push(tp);
      fps.push(i + 1 - tp);
      thresholds.push(s);
    }
  }
  return { tps, fps, thresholds };
}

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** The score at or above which a row counts as positive; the first is above every score. */
  thresholds: number[];
  /** Area under the curve; NaN when the rows hold only one of the two sides. */
  auc: number;
}

/** The trapezoidal area under a curve whose x never decreases. */
function area(x: readonly number[], y: readonly number[]): number {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return a;
}

/** scikit-learn's `roc_curve(..., drop_intermediate=True)` and the area under it. */
export function rocCurve(positive: ArrayLike<boolean>, score: ArrayLike<number>): RocCurve {
  let { tps, fps, thresholds } = binaryCounts(positive, score);
  if (tps.length > 2) {
    // Points on a straight line between their neighbours add nothing to the curve.
    const keep = tps.map(
      (_, i) =>
        i === 0 ||
        i === tps.length - 1 ||
        fps[i + 1]! - 2 * fps[i]! + fps[i - 1]! !== 0 ||
        tps[i + 1]! - 2 * tps[i]! + tps[i - 1]! !== 0,
    );
    tps = tps.filter((_, i) => keep[i]);
    fps = fps.filter((_, i) => keep[i]);
    thresholds = thresholds.filter((_, i) => keep[i]);
  }
  tps.unshift(0);
  fps.unshift(0);
  thresholds.unshift(Infinity);
  const p = tps.at(-1)!;
  const f = fps.at(-1)!;
  const fpr = fps.map((v) => (f > 0 ? v / f : NaN));
  const tpr = tps.map((v) => (p > 0 ? v / p : NaN));
  return { fpr, tpr, thresholds, auc: p > 0 && f > 0 ? area(fpr, tpr) : NaN };
}

export interface PrCurve {
  /** Recall falling from 1 to 0, with the precision at each threshold (scikit-learn's order). */
  precision: number[];
  recall: number[];
  /** Average precision: Σ (Rₙ − Rₙ₋₁) Pₙ; NaN without a positive row. */
  ap: number;
}

/** scikit-learn's `precision_recall_curve` and `average_precision_score`. */
export function prCurve(positive: ArrayLike<boolean>, score: ArrayLike<number>): PrCurve {
  const { tps, fps } = binaryCounts(positive, score);
  const p = tps.at(-1) ?? 0;
  const precision = tps.map((t, i) => (t + fps[i]! > 0 ? t / (t + fps[i]!) : 0)).reverse();
  const recall = tps.map((t) => (p > 0 ? t / p : 1)).reverse();
  precision.push(1);
  recall.push(0);
  let ap = 0;
  for (let i = 0; i + 1 < recall.length; i++) ap -= (recall[i + 1]! - recall[i]!) * precision[i]!;
  return { precision, recall, ap: p > 0 ? ap : NaN };
}

export interface Reliability {
  /** Per non-empty bin: the mean predicted probability, the observed share of positives, the row count. */
  bins: { predicted: number; observed: number; rows: number }[];
}

/** scikit-learn's `calibration_curve(..., n_bins, strategy='uniform')`, with each bin's rows. */
export function reliability(
  positive: ArrayLike<boolean>,
  probability: ArrayLike<number>,
  nBins = 10,
): Reliability {
  const sums = new Float64Array(nBins);
  const hits = new Float64Array(nBins);
  const counts = new Float64Array(nBins);
  const step = 1 / nBins;
  for (let i = 0; i < probability.length; i++) {
    const p = probability[i]!;
    // numpy's searchsorted(edges[1:-1], p), side left: the number of inner edges below p,
    // the edges as linspace makes them (i × step).
    let b = 0;
    while (b < nBins - 1 && (b + 1) * step < p) b++;
    sums[b] = sums[b]! + p;
    hits[b] = hits[b]! + (positive[i] ? 1 : 0);
    counts[b] = counts[b]! + 1;
  }
  const bins: Reliability['bins'] = [];
  for (let b = 0; b < nBins; b++)
    if (counts[b]! > 0)
      bins.push({
        predicted: sums[b]! / counts[b]!,
        observed: hits[b]! / counts[b]!,
        rows: counts[b]!,
      });
  return { bins };
}

/**
 * The Brier score: two classes, the mean squared gap between the second class's probability
 * and the truth (scikit-learn's `brier_score_loss`, 0 to 1); more classes, the squared gaps
 * summed over the classes and averaged over rows (Brier's own definition, 0 to 2).
 */
export function brierScore(o: ClassifierOutputs): number {
  const { truth, classes, probabilities } = o;
  if (!probabilities || truth.length === 0) return NaN;
  let s = 0;
  for (let r = 0; r < truth.length; r++) {
    if (classes === 2) s += (probabilities[r * 2 + 1]! - (truth[r] === 1 ? 1 : 0)) ** 2;
    else
      for (let c = 0; c < classes; c++)
        s += (probabilities[r * classes + c]! - (truth[r] === c ? 1 : 0)) ** 2;
  }
  return s / truth.length;
}

/** Each row's score for class `c` against the rest (a decision value when there are no probabilities). */
export function classScore(o: ClassifierOutputs, c: number): number[] {
  const n = o.truth.length;
  if (o.probabilities)
    return Array.from({ length: n }, (_, r) => o.probabilities![r * o.classes + c]!);
  const d = o.decision ?? [];
  if (o.width === 1) return Array.from({ length: n }, (_, r) => (c === 1 ? d[r]! : -d[r]!));
  return Array.from({ length: n }, (_, r) => d[r * o.width + c]!);
}

export interface ClassCurves {
  roc: RocCurve;
  pr: PrCurve;
  /** Null without probabilities. */
  reliability: Reliability | null;
}

export interface CurveSet {
  rows: number;
  /** One per class, one-vs-rest (two classes: the second class is the positive one). */
  perClass: ClassCurves[];
  /** Mean AUC and average precision over the classes that have positive and negative rows. */
  macroAuc: number;
  macroAp: number;
  /** The curves over every (row, class) pair pooled, for more than two classes. */
  micro: { roc: RocCurve; pr: PrCurve } | null;
  brier: number;
  /** Mean log loss; NaN without probabilities. */
  logLoss: number;
  hasProbabilities: boolean;
}

function meanOfFinite(values: number[]): number {
  const ok = values.filter(Number.isFinite);
  return ok.length > 0 ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
}

/** Every curve and summary of a classifier on its rows. */
export function curveSet(o: ClassifierOutputs, nBins = 10): CurveSet {
  const perClass: ClassCurves[] = [];
  const pooledPositive: boolean[] = [];
  const pooledScore: number[] = [];
  for (let c = 0; c < o.classes; c++) {
    const positive = o.truth.map((t) => t === c);
    const score = classScore(o, c);
    perClass.push({
      roc: rocCurve(positive, score),
      pr: prCurve(positive, score),
      reliability: o.probabilities ? reliability(positive, score, nBins) : null,
    });
    if (o.classes > 2)
      for (let r = 0; r < positive.length; r++) {
        pooledPositive.push(positive[r]!);
        pooledScore.push(score[r]!);
      }
  }
  const binary = o.classes === 2;
  return {
    rows: o.truth.length,
    perClass,
    macroAuc: binary ? perClass[1]!.roc.auc : meanOfFinite(perClass.map((k) => k.roc.auc)),
    macroAp: binary ? perClass[1]!.pr.ap : meanOfFinite(perClass.map((k) => k.pr.ap)),
    micro: binary
      ? null
      : { roc: rocCurve(pooledPositive, pooledScore), pr: prCurve(pooledPositive, pooledScore) },
    brier: brierScore(o),
    logLoss:
      o.probabilities && o.truth.length > 0
        ? o.truth.reduce((a, t, r) => a + rowLogLoss(o.probabilities!, r, t, o.classes), 0) /
          o.truth.length
        : NaN,
    hasProbabilities: o.probabilities !== null,
  };
}

export interface ThresholdCounts {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  /** fp × cost of a false positive + fn × cost of a false negative. */
  cost: number;
}

/** What calling a row positive when its score is at least `threshold` gives, and what it costs. */
export function atThreshold(
  positive: ArrayLike<boolean>,
  score: ArrayLike<number>,
  threshold: number,
  costs: { fp: number; fn: number },
): ThresholdCounts {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < score.length; i++) {
    const said = score[i]! >= threshold;
    if (positive[i]) {
      if (said) tp++;
      else fn++;
    } else if (said) fp++;
    else tn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { threshold, tp, fp, tn, fn, precision, recall, f1, cost: fp * costs.fp + fn * costs.fn };
}

/**
 * The threshold with the lowest cost on these rows, among every distinct score (and one above
 * them all, which calls nothing positive); the lowest such threshold on a tie.
 */
export function cheapestThreshold(
  positive: ArrayLike<boolean>,
  score: ArrayLike<number>,
  costs: { fp: number; fn: number },
): ThresholdCounts {
  const { tps, fps, thresholds } = binaryCounts(positive, score);
  const p = tps.at(-1) ?? 0;
  // Calling nothing positive: every positive row is a false negative.
  let best = { i: -1, cost: p * costs.fn };
  for (let i = 0; i < thresholds.length; i++) {
    const cost = fps[i]! * costs.fp + (p - tps[i]!) * costs.fn;
    if (cost <= best.cost) best = { i, cost };
  }
  const threshold = best.i < 0 ? Infinity : thresholds[best.i]!;
  return atThreshold(positive, score, threshold, costs);
}
