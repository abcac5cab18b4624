/**
 * A saved version's predictions and score on the rows of a data version, encoded with the
 * version's own encoding. What the worker runs for Compare, Audition, Monitor and Re-verify.
 */
import type { DatasetContent } from '../data/content';
import { matrixFor } from '../data/matrix';
import { learnerFor } from '../learners/registry';
import type { MetricName } from '../records';
import { classificationScores, regressionScores, scalarScores } from '../train/metrics';
import type { Predictor } from './predict';

/** The rows `rows` of a row-major matrix with `p` columns, as a new matrix. */
export function sliceRows(x: Float64Array, p: number, rows: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length * p);
  rows.forEach((r, i) => out.set(x.subarray(r * p, (r + 1) * p), i * p));
  return out;
}

/** What the version predicts (class codes or values) for some rows of a data version. */
export function predictRows(
  version: Predictor,
  content: DatasetContent,
  rows: readonly number[],
): number[] {
  const m = matrixFor(content, version.encoding);
  const x = sliceRows(m.x, m.features, rows);
  const classes = version.encoding.classes?.length ?? 0;
  const learner = learnerFor(version.family);
  return Array.from(
    learner.predict(version.fitted, x, rows.length, m.features, classes).predictions,
  );
}

/** rows × k probabilities widened to rows × (k + 1), the extra class with probability 0. */
export function withExtraClass(probabilities: Float64Array, rows: number, k: number): Float64Array {
  const out = new Float64Array(rows * (k + 1));
  for (let r = 0; r < rows; r++) out.set(probabilities.subarray(r * k, (r + 1) * k), r * (k + 1));
  return out;
}

/**
 * The version's `metric` on a data version (rows whose class the version never saw count as
 * wrong predictions: they are scored with the class it predicts). Null with no labelled row.
 */
export function scoreOn(
  version: Predictor,
  content: DatasetContent,
  metric: MetricName,
): number | null {
  const m = matrixFor(content, version.encoding);
  if (m.rows === 0) return null;
  const classes = version.encoding.classes?.length ?? 0;
  const learner = learnerFor(version.family);
  const { predictions, probabilities } = learner.predict(
    version.fitted,
    m.x,
    m.rows,
    m.features,
    classes,
  );
  if (classes === 0) return scalarScores(regressionScores(m.y, predictions))[metric] ?? null;
  // A class the model never saw cannot be right: its truth becomes a code no prediction has.
  const truth = Array.from(m.y, (c) => (c < 0 ? classes : c));
  const padded = probabilities ? withExtraClass(probabilities, m.rows, classes) : null;
  return (
    scalarScores(classificationScores(truth, predictions, padded, classes + 1))[metric] ?? null
  );
}
