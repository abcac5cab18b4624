/**
 * The decision boundary: a version's predictions over a plane of two of its features, the others
 * held at chosen values (a slice of the model, not a projection of it). Each cell of a size × size
 * grid gets the predicted class and how sure the model is (its largest probability; 1 for a
 * family without probabilities), or, for regression, the predicted value. The grid is one batch
 * through the family's own predict, so a tree's 200 × 200 grid is one pass over 40,000 rows.
 */
import type { DatasetContent } from '../data/content';
import { matrixFor } from '../data/matrix';
import { learnerFor } from '../learners/registry';
import { applyThreshold, type Predictor } from '../predict/predict';
import type { Params } from '../records';
import { prepare, scoreRows, type EvaluationPlan } from '../train/evaluate';
import { scalarScores, type MetricName } from '../train/metrics';
import { trainingSet } from '../train/model';

export interface Plane {
  /** The features on the axes (indices into the version's encoding). */
  x: number;
  y: number;
  /** The ranges shown, low to high. */
  xRange: [number, number];
  yRange: [number, number];
  /** Cells per side. */
  size: number;
  /** One encoded row: the values of every other feature (the axes' entries are ignored). */
  base: readonly number[];
}

export interface Boundary {
  size: number;
  /** Per cell, row by row from the bottom (y low) up: the class code (classification). */
  classes: Uint8Array | null;
  /** Per cell: the largest probability (classification), or the value (regression). */
  strength: Float32Array;
  /** The values' range, for regression's colour scale. */
  low: number;
  high: number;
}

/** The largest number of cells per side (a 400 × 400 grid is 160,000 predictions). */
export const MAX_GRID = 400;

/** The cell centres of a range: `size` values from low to high. */
export function axisValues(range: readonly [number, number], size: number): Float64Array {
  const [lo, hi] = range;
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++)
    out[i] = size === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * i) / (size - 1);
  return out;
}

export function boundary(version: Predictor, plane: Plane): Boundary {
  const size = Math.max(2, Math.min(MAX_GRID, Math.round(plane.size)));
  const p = version.encoding.features.length;
  if (plane.base.length !== p)
    throw new Error(`The row has ${plane.base.length} values for ${p} features.`);
  if (plane.x === plane.y) throw new Error('Choose two different features for the axes.');
  const xs = axisValues(plane.xRange, size);
  const ys = axisValues(plane.yRange, size);
  const rows = size * size;
  const x = new Float64Array(rows * p);
  for (let r = 0; r < rows; r++) {
    const o = r * p;
    for (let j = 0; j < p; j++) x[o + j] = plane.base[j]!;
    x[o + plane.x] = xs[r % size]!;
    x[o + plane.y] = ys[Math.floor(r / size)]!;
  }
  const k = version.encoding.classes?.length ?? 0;
  const pred = learnerFor(version.family).predict(version.fitted, x, rows, p, k);
  const strength = new Float32Array(rows);
  if (k === 0) {
    let low = Infinity;
    let high = -Infinity;
    for (let r = 0; r < rows; r++) {
      const v = pred.predictions[r]!;
      strength[r] = v;
      if (v < low) low = v;
      if (v > high) high = v;
    }
    return { size, classes: null, strength, low, high };
  }
  applyThreshold(pred.predictions, pred.probabilities, version.decision?.threshold);
  const classes = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const c = pred.predictions[r]!;
    classes[r] = c;
    strength[r] = pred.probabilities ? pred.probabilities[r * k + c]! : 1;
  }
  return { size, classes, strength, low: 0, high: 1 };
}

/** The rows drawn over the plane: their encoded values, truth and the version's own prediction. */
export interface BoundaryPoints {
  /** rows × features, as the version encodes them (NaN for missing). */
  x: Float64Array;
  rows: number;
  features: number;
  /** Class codes or values. */
  truth: Float64Array;
  /** The version's prediction for each row with all of its own values. */
  predicted: Float64Array;
  /** 1 for a hold-out row (never seen in training), 0 for a training row. */
  holdout: Uint8Array;
}

/** A data version's rows (those with a target) as the boundary view draws them. */
export function boundaryPoints(
  version: Predictor,
  content: DatasetContent,
  holdoutRows: readonly number[],
): BoundaryPoints {
  const m = matrixFor(content, version.encoding);
  const k = version.encoding.classes?.length ?? 0;
  const pred = learnerFor(version.family).predict(version.fitted, m.x, m.rows, m.features, k);
  applyThreshold(pred.predictions, pred.probabilities, version.decision?.threshold);
  const holdout = new Uint8Array(m.rows);
  for (const r of holdoutRows) if (r < m.rows) holdout[r] = 1;
  return {
    x: m.x,
    rows: m.rows,
    features: m.features,
    truth: m.y,
    predicted: pred.predictions,
    holdout,
  };
}

/** A refit with other settings, seen on the plane: the "what if" of the boundary view. */
export interface Refit {
  grid: Boundary;
  /** Its prediction of each row (in the rows' order of `boundaryPoints`). */
  predicted: Float64Array;
  /** Its score on the rows it was fitted on, and on the hold-out rows it never saw. */
  train: number;
  holdout: number;
}

/**
 * The family refitted with `params` on the version's own training rows (the plan's split of the
 * data version), and its boundary over the plane: how a setting changes the picture and the gap
 * between the training and the hold-out score.
 */
export function refitBoundary(
  content: DatasetContent,
  family: string,
  params: Params,
  plan: EvaluationPlan,
  metric: MetricName,
  plane: Plane,
): Refit {
  const { set, encoding } = trainingSet(content);
  const learner = learnerFor(family);
  const prep = prepare(set, plan);
  const { fitted } = learner.fit(set, params, {
    seed: plan.seed,
    subset: prep.train,
    shared: prep.shared,
  });
  const score = (rows: Int32Array) =>
    scalarScores(scoreRows(set, learner, fitted, rows).scores)[metric] ?? NaN;
  const version = { family, fitted, encoding };
  const pred = learner.predict(fitted, set.x, set.rows, set.features, set.classes);
  return {
    grid: boundary(version, plane),
    predicted: pred.predictions,
    train: score(prep.train),
    holdout: score(prep.test),
  };
}
