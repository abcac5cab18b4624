/**
 * A saved version's predictions and score on the rows of a data version, encoded with the
 * version's own encoding. What the worker runs for Compare, Audition, Monitor and Re-verify.
 */
import { cellText, type DatasetContent } from '../data/content';
import { matrixFor } from '../data/matrix';
import { learnerFor } from '../learners/registry';
import type { MetricName } from '../records';
import { classificationScores, regressionScores, scalarScores } from '../train/metrics';
import { applyThreshold, type Predictor } from './predict';
import { outputsOf, type ClassifierOutputs } from '../train/curves';

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
  const { predictions, probabilities } = learner.predict(
    version.fitted,
    x,
    rows.length,
    m.features,
    classes,
  );
  return Array.from(applyThreshold(predictions, probabilities, version.decision?.threshold));
}

/** What a classifier version says for some training-set rows of a data version, and their truth. */
export function classifierOutputs(
  version: Predictor,
  content: DatasetContent,
  rows: readonly number[],
): ClassifierOutputs {
  const m = matrixFor(content, version.encoding);
  const x = sliceRows(m.x, m.features, rows);
  const classes = version.encoding.classes?.length ?? 0;
  const prediction = learnerFor(version.family).predict(
    version.fitted,
    x,
    rows.length,
    m.features,
    classes,
  );
  return outputsOf(
    prediction,
    rows.map((r) => m.y[r]!),
    classes,
  );
}

/** rows × k probabilities widened to rows × (k + 1), the extra class with probability 0. */
export function withExtraClass(probabilities: Float64Array, rows: number, k: number): Float64Array {
  const out = new Float64Array(rows * (k + 1));
  for (let r = 0; r < rows; r++) out.set(probabilities.subarray(r * k, (r + 1) * k), r * (k + 1));
  return out;
}

/** Rows with a value in `target`, in order: the rows a matrix of the content holds. */
export function rowsWithTarget(content: DatasetContent, target: string): number[] {
  const ti = content.schema.findIndex((c) => c.name === target);
  const col = content.columns[ti];
  const out: number[] = [];
  if (!col) return out;
  for (let r = 0; r < content.rowCount; r++) if (cellText(col, r) !== null) out.push(r);
  return out;
}

/** A row as text over the columns a version reads, to recognise it in another data version. */
function rowKey(content: DatasetContent, names: readonly string[], r: number): string {
  return JSON.stringify(
    names.map((n) => {
      const c = content.columns[content.schema.findIndex((s) => s.name === n)];
      return c ? cellText(c, r) : null;
    }),
  );
}

/** What a version predicts and the truth, on the matrix rows `rows`, scored by `metric`. */
function scoreRows(
  version: Predictor,
  m: { x: Float64Array; y: Float64Array; features: number },
  rows: readonly number[],
  metric: MetricName,
): number | null {
  if (rows.length === 0) return null;
  const classes = version.encoding.classes?.length ?? 0;
  const x = sliceRows(m.x, m.features, rows);
  const y = Float64Array.from(rows, (r) => m.y[r]!);
  const learner = learnerFor(version.family);
  const { predictions, probabilities } = learner.predict(
    version.fitted,
    x,
    rows.length,
    m.features,
    classes,
  );
  if (classes === 0) return scalarScores(regressionScores(y, predictions))[metric] ?? null;
  applyThreshold(predictions, probabilities, version.decision?.threshold);
  // A class the model never saw cannot be right: its truth becomes a code no prediction has.
  const truth = Array.from(y, (c) => (c < 0 ? classes : c));
  const padded = probabilities ? withExtraClass(probabilities, rows.length, classes) : null;
  return (
    scalarScores(classificationScores(truth, predictions, padded, classes + 1))[metric] ?? null
  );
}

/** The rows of a data version a version did not train on, and how many were left out. */
export interface UnseenRows {
  /** Row numbers (in the data version) with a target that the version never trained on. */
  rows: number[];
  /** Rows with a target left out because the version trained on them (matched by content). */
  leftOut: number;
  /** Every row with a target, in order: the rows of the content's matrix. */
  withTarget: number[];
  /** Why no row can be used, for the person; null when some can. */
  reason: string | null;
}

/**
 * The rows of `content` a version never trained on: a row of its own training rows (its data
 * version's rows with a target, less its hold-out) found again by content is left out, wherever
 * it appears. Without the training data (not in this browser) no row can be told apart.
 */
export function unseenRows(
  version: Predictor & { holdout: { rows: readonly number[] } },
  content: DatasetContent,
  trainedOn: DatasetContent | null,
): UnseenRows {
  const { encoding } = version;
  if (!trainedOn)
    return {
      rows: [],
      leftOut: 0,
      withTarget: [],
      reason:
        'the data it was trained on is not in this browser, so the rows it trained on cannot be left out',
    };
  const names = [...encoding.features.map((f) => f.name), encoding.target];
  const heldOut = new Set(version.holdout.rows);
  const trained = new Set(
    rowsWithTarget(trainedOn, encoding.target)
      .filter((_, i) => !heldOut.has(i))
      .map((r) => rowKey(trainedOn, names, r)),
  );
  const kept = rowsWithTarget(content, encoding.target);
  const rows = kept.filter((r) => !trained.has(rowKey(content, names, r)));
  const leftOut = kept.length - rows.length;
  const reason =
    rows.length > 0
      ? null
      : kept.length === 0
        ? 'no row of this data version has a target value'
        : `it trained on every one of these ${kept.length} rows: a score on them would not say how it does on new data`;
  return { rows, leftOut, withTarget: kept, reason };
}

/** A score measured only on rows the version never trained on. */
export interface HonestScore {
  score: number | null;
  /** Rows scored. */
  scored: number;
  /** Rows left out because the version trained on them (matched by their content). */
  leftOut: number;
  /** Why there is no score, for the person. */
  reason: string | null;
}

/** The version's `metric` on a data version, on the rows it did not train on only. */
export function scoreOnUnseen(
  version: Predictor & { holdout: { rows: readonly number[] } },
  content: DatasetContent,
  trainedOn: DatasetContent | null,
  metric: MetricName,
): HonestScore {
  const u = unseenRows(version, content, trainedOn);
  if (u.reason) return { score: null, scored: 0, leftOut: u.leftOut, reason: u.reason };
  const m = matrixFor(content, version.encoding);
  // Matrix rows are the content's rows with a target, in order.
  const index = new Map(u.withTarget.map((r, i) => [r, i]));
  const rows = u.rows.map((r) => index.get(r)!);
  return {
    score: scoreRows(version, m, rows, metric),
    scored: rows.length,
    leftOut: u.leftOut,
    reason: null,
  };
}
