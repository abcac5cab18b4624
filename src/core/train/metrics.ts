/**
 * Scores of a model on labelled rows. Classification: accuracy, balanced accuracy, macro F1,
 * precision and recall per class, confusion matrix, log loss. Regression: R², RMSE, MAE.
 * Definitions follow scikit-learn's (zero division counts as 0).
 */
import type { ClassificationScores, MetricName, RegressionScores } from '../records';
import type { Task } from '../vocabulary';

export type { ClassificationScores, MetricName, RegressionScores };

/** The metrics a model can be ranked by, and which way is better. */
export const METRICS = {
  accuracy: { task: 'classification', label: 'Accuracy', higherIsBetter: true },
  balanced_accuracy: { task: 'classification', label: 'Balanced accuracy', higherIsBetter: true },
  f1_macro: { task: 'classification', label: 'Macro F1', higherIsBetter: true },
  log_loss: { task: 'classification', label: 'Log loss', higherIsBetter: false },
  r2: { task: 'regression', label: 'R²', higherIsBetter: true },
  rmse: { task: 'regression', label: 'RMSE', higherIsBetter: false },
  mae: { task: 'regression', label: 'MAE', higherIsBetter: false },
} as const satisfies Record<MetricName, { task: Task; label: string; higherIsBetter: boolean }>;

export function metricsFor(task: Task): MetricName[] {
  return (Object.keys(METRICS) as MetricName[]).filter((m) => METRICS[m].task === task);
}

const EPS = 1e-15;

/** Row i's log loss: probabilities clipped and the row renormalised, as scikit-learn's log_loss does. */
export function rowLogLoss(
  probabilities: ArrayLike<number>,
  i: number,
  truth: number,
  classes: number,
): number {
  let rowSum = 0;
  for (let c = 0; c < classes; c++)
    rowSum += Math.min(1 - EPS, Math.max(EPS, probabilities[i * classes + c]!));
  const pt = Math.min(1 - EPS, Math.max(EPS, probabilities[i * classes + truth]!));
  return -Math.log(pt / rowSum);
}

export function classificationScores(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  probabilities: Float64Array | null,
  classes: number,
): ClassificationScores {
  const n = truth.length;
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    confusion[t]![p]!++;
    if (t === p) correct++;
    if (probabilities) loss += rowLogLoss(probabilities, i, t, classes);
  }
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  let recallSum = 0;
  let present = 0;
  for (let c = 0; c < classes; c++) {
    const tp = confusion[c]![c]!;
    let predictedC = 0;
    let actualC = 0;
    for (let o = 0; o < classes; o++) {
      predictedC += confusion[o]![c]!;
      actualC += confusion[c]![o]!;
    }
    const pr = predictedC > 0 ? tp / predictedC : 0;
    const rc = actualC > 0 ? tp / actualC : 0;
    precision.push(pr);
    recall.push(rc);
    f1.push(pr + rc > 0 ? (2 * pr * rc) / (pr + rc) : 0);
    if (actualC > 0) {
      recallSum += rc;
      present++;
    }
  }
  // Macro averages over the classes present in truth or predictions, as scikit-learn's labels.
  const used = f1.filter(
    (_, c) => confusion[c]!.some((v) => v > 0) || confusion.some((row) => row[c]! > 0),
  );
  return {
    accuracy: n > 0 ? correct / n : 0,
    balanced_accuracy: present > 0 ? recallSum / present : 0,
    f1_macro: used.length > 0 ? used.reduce((a, b) => a + b, 0) / used.length : 0,
    log_loss: probabilities && n > 0 ? loss / n : NaN,
    precision,
    recall,
    f1,
    confusion,
  };
}

export function regressionScores(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
): RegressionScores {
  const n = truth.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += truth[i]!;
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  let abs = 0;
  for (let i = 0; i < n; i++) {
    const e = truth[i]! - predicted[i]!;
    ssRes += e * e;
    ssTot += (truth[i]! - mean) ** 2;
    abs += Math.abs(e);
  }
  return {
    // scikit-learn: a constant truth gives 1 for a perfect fit, else 0.
    r2: ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0,
    rmse: Math.sqrt(ssRes / n),
    mae: abs / n,
  };
}

/** The scalar metrics of a scores object, for ranking and tables. */
export function scalarScores(
  s: ClassificationScores | RegressionScores,
): Partial<Record<MetricName, number>> {
  if ('r2' in s) return { r2: s.r2, rmse: s.rmse, mae: s.mae };
  return {
    accuracy: s.accuracy,
    balanced_accuracy: s.balanced_accuracy,
    f1_macro: s.f1_macro,
    log_loss: s.log_loss,
  };
}

/** A version's hold-out score in a metric, or null when it has none (or it is not a number). */
export function holdoutValue(
  holdout: ClassificationScores | RegressionScores,
  metric: MetricName,
): number | null {
  const x = scalarScores(holdout)[metric];
  return x === undefined || Number.isNaN(x) ? null : x;
}

/** +1 when `x` beats `base` by the metric's direction, −1 when it is worse, 0 when equal or unknown. */
export function verdictOf(metric: MetricName, base: number | null, x: number | null): -1 | 0 | 1 {
  if (base === null || x === null || Number.isNaN(base) || Number.isNaN(x) || x === base) return 0;
  return x > base === METRICS[metric].higherIsBetter ? 1 : -1;
}
