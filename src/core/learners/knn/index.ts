/**
 * k-nearest neighbours, as scikit-learn's `KNeighborsClassifier` and `KNeighborsRegressor`:
 * the k training rows closest to a row (Euclidean or Manhattan distance, after the model's
 * preprocessing: imputed, one-hot encoded, standardized, so that no feature dominates by its
 * unit), their votes or mean, uniform or weighted by 1 / distance (a row at distance 0 takes
 * all the weight). The search is exact, nearer ones first among equals by their order, as
 * ONNX's TopK breaks ties: every training row is measured, or, for many rows of few columns, a
 * k-d tree (`kdtree.ts`) skips the boxes of rows that cannot be among the nearest.
 */
import type { Encoding } from '../../records';
import { commonTags, type Fit, type Learner, type Prediction } from '../learner';
import {
  pipelineFacts,
  sameModel,
  unseenCategoryNote,
  fitDesign,
  PIPELINE_DEFAULTS,
  PIPELINE_PARAMETERS,
  pipelineSpace,
  pipelineProblem,
  transform,
  widthOf,
  type PipelineParams,
} from '../pipeline';
import { bySpecs, choice, type Bounded } from '../settings';
import { TrainingError } from '../training';
import { distanceUpTo, offer } from './closest';
import { buildKdTree, searchKdTree, type KdTree } from './kdtree';
import { NeighboursSchema, type Neighbours } from './model';

export type NeighboursParams = PipelineParams & {
  k: number;
  weights: 'uniform' | 'distance';
  metric: 'euclidean' | 'manhattan';
};

const PARAMETERS: readonly Bounded[] = [
  { name: 'k', label: 'Neighbours (k)', kind: 'int', min: 1, max: 10_000, step: 1 },
  choice('weights', 'Votes', [
    ['uniform', 'one per neighbour'],
    ['distance', 'weighted by 1 / distance'],
  ]),
  choice('metric', 'Distance', [
    ['euclidean', 'Euclidean'],
    ['manhattan', 'Manhattan'],
  ]),
  ...PIPELINE_PARAMETERS,
];

/** At most this many training rows are kept in a model (each is stored with it). */
export const MAX_NEIGHBOUR_ROWS = 200_000;

/** Each model's training rows as one typed array, made once per fitted model. */
const designs = new WeakMap<Neighbours, Float64Array>();

function designArray(m: Neighbours): Float64Array {
  let d = designs.get(m);
  if (!d) {
    d = Float64Array.from(m.design);
    designs.set(m, d);
  }
  return d;
}

/**
 * The k nearest training rows of one design row: indices and distances, nearest first; of
 * rows at equal distances, the earlier. Exact: every training row is measured, and a row's
 * sum stops as soon as it passes the k-th distance so far (it could no longer be among them).
 */
export function nearest(
  m: Neighbours,
  query: Float64Array,
  at: number,
  index: Int32Array,
  distance: Float64Array,
): void {
  const width = widthOf(m.pipeline);
  const rows = m.y.length;
  const k = Math.min(m.k, rows);
  const design = designArray(m);
  let filled = 0;
  let worst = Infinity;
  const manhattan = m.metric === 'manhattan';
  for (let r = 0; r < rows; r++) {
    const d = distanceUpTo(query, at, design, r * width, width, manhattan, worst);
    filled = offer(index, distance, k, filled, d, r);
    if (filled === k) worst = distance[k - 1]!;
  }
  if (!manhattan) for (let i = 0; i < k; i++) distance[i] = Math.sqrt(distance[i]!);
}

/** Each model's k-d tree, built on its first prediction (never stored: it is the rows again). */
const trees = new WeakMap<Neighbours, KdTree>();

/**
 * Whether a search goes through the k-d tree: for enough rows of few enough columns (in many
 * dimensions a box is near every query, and the tree only adds work). Same answer either way.
 */
export function usesTree(m: Neighbours): boolean {
  return m.y.length >= 1024 && widthOf(m.pipeline) <= 32 && m.k < m.y.length;
}

function treeOf(m: Neighbours): KdTree {
  let t = trees.get(m);
  if (!t) {
    t = buildKdTree(designArray(m), m.y.length, widthOf(m.pipeline));
    trees.set(m, t);
  }
  return t;
}

/** The neighbours' weights: 1 each, or 1 / distance (rows at distance 0 take all of it). */
function weightsOf(m: Neighbours, distance: Float64Array, k: number, out: Float64Array): void {
  if (m.weights === 'uniform') {
    out.fill(1, 0, k);
    return;
  }
  let zero = false;
  for (let i = 0; i < k; i++) if (distance[i] === 0) zero = true;
  for (let i = 0; i < k; i++) out[i] = zero ? (distance[i] === 0 ? 1 : 0) : 1 / distance[i]!;
}

/** Predicts every row; `seen`, when given, is shown each row's neighbours (nearest first). */
function predictNeighbours(
  m: Neighbours,
  x: Float64Array,
  rows: number,
  features: number,
  seen?: (index: Int32Array, distance: Float64Array) => void,
): Prediction {
  const design = transform(m.pipeline, x, rows, features);
  const width = widthOf(m.pipeline);
  const k = Math.min(m.k, m.y.length);
  const index = new Int32Array(k);
  const distance = new Float64Array(k);
  const w = new Float64Array(k);
  const predictions = new Float64Array(rows);
  const c = m.classes;
  const probabilities = c > 0 ? new Float64Array(rows * c) : null;
  const tree = usesTree(m) ? treeOf(m) : null;
  const stack = tree ? new Int32Array(tree.start.length + 1) : null;
  const manhattan = m.metric === 'manhattan';
  for (let r = 0; r < rows; r++) {
    if (tree) {
      searchKdTree(tree, k, manhattan, design, r * width, index, distance, stack!);
      if (!manhattan) for (let i = 0; i < k; i++) distance[i] = Math.sqrt(distance[i]!);
    } else nearest(m, design, r * width, index, distance);
    seen?.(index, distance);
    weightsOf(m, distance, k, w);
    let total = 0;
    for (let i = 0; i < k; i++) total += w[i]!;
    if (probabilities) {
      // Each class's weight summed, then divided once: three votes of five are 0.6 exactly.
      for (let i = 0; i < k; i++) probabilities[r * c + m.y[index[i]!]!]! += w[i]!;
      for (let j = 0; j < c; j++) probabilities[r * c + j] = probabilities[r * c + j]! / total;
      let best = 0;
      for (let j = 1; j < c; j++)
        if (probabilities[r * c + j]! > probabilities[r * c + best]!) best = j;
      predictions[r] = best;
    } else {
      let s = 0;
      for (let i = 0; i < k; i++) s += w[i]! * m.y[index[i]!]!;
      predictions[r] = s / total;
    }
  }
  return { predictions, probabilities };
}

export const nearestNeighbours: Learner<NeighboursParams, Neighbours> = {
  family: 'k-nearest-neighbours',
  label: 'k-nearest neighbours',
  noun: 'neighbours',
  algorithm: 'orpheus-knn-exact',
  tasks: ['classification', 'regression'],
  libraries: () => ({ trainer: '1' }),
  defaults: () => ({ k: 5, weights: 'uniform', metric: 'euclidean', ...PIPELINE_DEFAULTS }),
  ...bySpecs<NeighboursParams>(PARAMETERS),
  defaultSpace: () => ({
    k: { kind: 'int', low: 1, high: 50, step: 1, log: true },
    weights: { kind: 'categorical', choices: ['uniform', 'distance'] },
    metric: { kind: 'categorical', choices: ['euclidean', 'manhattan'] },
    ...pipelineSpace(),
  }),
  capabilities: (task, classes) => [
    ...commonTags(task, classes, true),
    'imputes-missing-values',
    'one-hot-categories',
    'explains-by-example',
  ],
  handlesMissing: () => true,
  unseenCategory: (m) => unseenCategoryNote(m.pipeline),
  importance: {
    label: 'Importance',
    what: '',
    none: 'Nearest neighbours has no importances of its own: every feature counts in the distance as much as its scale allows. The permutation importance below says which features its predictions rely on.',
  },
  preprocessing: (encoding) => [
    `Features in this order: ${encoding.features.map((f) => f.name).join(', ')}; missing values are imputed, categories one-hot encoded and numbers standardized as the version's settings say, each step fitted on the training rows only, before distances are measured.`,
  ],

  fit(set, params, context): Fit<Neighbours> {
    const rows = context.subset ?? new Int32Array(set.rows).map((_, i) => i);
    if (rows.length === 0) throw new TrainingError('There are no rows to train on.');
    if (params.k > rows.length)
      throw new TrainingError(
        `k is ${params.k}, but only ${rows.length} rows are trained on: choose a k of at most ${rows.length}.`,
      );
    if (rows.length > MAX_NEIGHBOUR_ROWS)
      throw new TrainingError(
        `Nearest neighbours keeps every training row in the model; ${rows.length.toLocaleString('en')} rows are more than the ${MAX_NEIGHBOUR_ROWS.toLocaleString('en')} it can keep. Filter the data to fewer rows, or use another family.`,
      );
    const { pipeline, design } = fitDesign(set, rows, params, context.shared);
    const p = set.features;
    return {
      fitted: {
        classes: set.classes,
        pipeline,
        k: params.k,
        weights: params.weights,
        metric: params.metric,
        design: Array.from(design),
        y: Array.from(rows, (r) => set.y[r]!),
      },
      importances: new Array<number>(p).fill(0),
      featuresUsed: [...Array(p).keys()],
      size: { rows: rows.length, columns: widthOf(pipeline) },
    };
  },

  predict: (m, x, rows, features) => predictNeighbours(m, x, rows, features),
  predictRow(m, x) {
    // One search: the path is the neighbours the prediction was made from.
    let path: string[] = [];
    const out = predictNeighbours(m, Float64Array.from(x), 1, x.length, (index, distance) => {
      path = Array.from(index, (r, i) => `neighbour:${r}:${distance[i]}:${m.y[r]}`);
    });
    return {
      value: out.predictions[0]!,
      probabilities: out.probabilities ? Array.from(out.probabilities) : null,
      path,
    };
  },
  explainRow(path, encoding: Encoding) {
    return path
      .filter((p) => p.startsWith('neighbour:'))
      .map((p) => {
        const [, row, d, y] = p.split(':');
        const answer = encoding.classes
          ? (encoding.classes[Number(y)] ?? y)
          : Number(Number(y).toPrecision(6));
        return `Training row ${Number(row) + 1} at distance ${Number(Number(d).toPrecision(3))}: ${encoding.target} ${answer}`;
      });
  },
  facts: (m, encoding) => [
    [
      'Neighbours',
      `${m.k}, by ${m.metric} distance, ${m.weights === 'uniform' ? 'one vote each' : 'weighted by 1 / distance'}, among ${m.y.length.toLocaleString('en')} training rows kept in the model`,
    ],
    ...pipelineFacts(m.pipeline, encoding),
  ],
  fittedSchema: NeighboursSchema,
  checkFitted(m, encoding) {
    const classes = encoding.classes?.length ?? 0;
    if (m.classes !== classes)
      return `is a model for ${m.classes} classes, but the version has ${classes}`;
    const problem = pipelineProblem(m.pipeline, encoding);
    if (problem) return `has preprocessing that ${problem}`;
    if (m.y.length === 0 || m.design.length !== m.y.length * widthOf(m.pipeline))
      return 'has training rows that do not match its columns';
    if (classes > 0 && m.y.some((c) => !Number.isInteger(c) || c < 0 || c >= classes))
      return 'has a training row of a class the version does not have';
    return null;
  },
  describeSize: (s) =>
    `${(s['rows'] ?? 0).toLocaleString('en')} training rows of ${s['columns'] ?? 0} columns`,
  same: sameModel,
  onnx: async (m) => (await import('./onnx')).neighboursOnnx(m),
};
