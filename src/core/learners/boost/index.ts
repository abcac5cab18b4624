/**
 * The gradient-boosted trees family, after scikit-learn's HistGradientBoosting: squared error
 * for regression, log loss for two classes (one tree per round), softmax for more (one tree
 * per class per round); a learning rate, leaf-wise trees from binned histograms (`grow.ts`),
 * L2 on leaf values, seeded row and feature subsampling, and early stopping on a validation
 * share of the training rows with a patience. The fitted model keeps its trees flat, the
 * starting scores, and the loss after every round on the rows it trained on and on the
 * validation rows, so its version page draws the loss curve with the round it stopped at.
 */
import * as v from 'valibot';
import { seededRandom, shuffle } from '../../random';
import type { Encoding, Params, SearchSpace } from '../../records';
import type { Task } from '../../vocabulary';
import {
  compactProblem,
  CompactTreeSchema,
  ensembleSize,
  featuresUsedBy,
  FiniteNumbers,
  leafOf,
  pathOf,
  toTreeModel,
  type CompactTree,
} from '../forest/compact';
import {
  commonTags,
  type Fit,
  type Learner,
  type ParamSpec,
  type Prediction,
  type SharedWork,
} from '../learner';
import { TrainingError, type TrainingSet } from '../training';
import { binCounts, binnedOf, featureSubset, growTree, rootHistograms } from './grow';
import type { Boosted, BoostParams } from './model';

export type { Boosted, BoostParams };

const MAX_ROUNDS = 5000;

const PARAMETERS: readonly ParamSpec[] = [
  {
    name: 'rounds',
    label: 'Boosting rounds',
    hint: 'trees added one after the other',
    kind: 'int',
    min: 1,
    step: 1,
  },
  {
    name: 'learningRate',
    label: 'Learning rate',
    hint: 'how much each tree corrects',
    kind: 'float',
    min: 0.001,
    step: 0.01,
  },
  { name: 'maxLeaves', label: 'Max leaves per tree', kind: 'int', min: 2, step: 1 },
  { name: 'maxDepth', label: 'Max depth', kind: 'int', min: 1, step: 1, nullLabel: 'unlimited' },
  { name: 'minSamplesLeaf', label: 'Min rows per leaf', kind: 'int', min: 1, step: 1 },
  { name: 'l2', label: 'L2 on leaf values', kind: 'float', min: 0, step: 0.1 },
  {
    name: 'subsample',
    label: 'Rows per round',
    hint: 'share of the rows, drawn each round (seeded)',
    kind: 'float',
    min: 0.05,
    step: 0.05,
  },
  {
    name: 'featureFraction',
    label: 'Features per tree',
    hint: 'share of the features, drawn per tree (seeded)',
    kind: 'float',
    min: 0.05,
    step: 0.05,
  },
  {
    name: 'earlyStopping',
    label: 'Early stopping',
    kind: 'choice',
    choices: [
      { value: 'auto', label: 'above 10,000 rows (as scikit-learn)' },
      { value: 'yes', label: 'yes' },
      { value: 'no', label: 'no' },
    ],
  },
  {
    name: 'validationFraction',
    label: 'Validation share',
    hint: 'rows kept out to decide when to stop',
    kind: 'float',
    min: 0.05,
    step: 0.05,
  },
  {
    name: 'patience',
    label: 'Patience (rounds)',
    hint: 'rounds without improvement before stopping',
    kind: 'int',
    min: 1,
    step: 1,
  },
];

const DEFAULTS: BoostParams = {
  rounds: 100,
  learningRate: 0.1,
  maxLeaves: 31,
  maxDepth: null,
  minSamplesLeaf: 20,
  l2: 0,
  subsample: 1,
  featureFraction: 1,
  earlyStopping: 'auto',
  validationFraction: 0.1,
  patience: 10,
};

function checkBoostParams(p: BoostParams): void {
  const int = (x: number, lo: number, hi: number, what: string): void => {
    if (!Number.isInteger(x) || x < lo || x > hi)
      throw new TrainingError(`${what} must be a whole number from ${lo} to ${hi}; it is ${x}.`);
  };
  const share = (x: number, what: string, lo = 0): void => {
    if (!(x > lo && x <= 1))
      throw new TrainingError(`${what} must be more than ${lo} and at most 1; it is ${x}.`);
  };
  int(p.rounds, 1, MAX_ROUNDS, 'Boosting rounds');
  if (!(p.learningRate > 0 && p.learningRate <= 1))
    throw new TrainingError(
      `The learning rate must be more than 0 and at most 1; it is ${p.learningRate}.`,
    );
  int(p.maxLeaves, 2, 4096, 'Max leaves per tree');
  if (p.maxDepth !== null) int(p.maxDepth, 1, 100, 'Max depth');
  int(p.minSamplesLeaf, 1, 1_000_000, 'Min rows per leaf');
  if (!(p.l2 >= 0) || !Number.isFinite(p.l2))
    throw new TrainingError(`L2 on leaf values cannot be negative; it is ${p.l2}.`);
  share(p.subsample, 'Rows per round');
  share(p.featureFraction, 'Features per tree');
  if (!['auto', 'yes', 'no'].includes(p.earlyStopping))
    throw new TrainingError('Early stopping must be auto, yes or no.');
  share(p.validationFraction, 'The validation share');
  if (p.validationFraction >= 1) throw new TrainingError('The validation share must be below 1.');
  int(p.patience, 1, 1000, 'Patience');
}

function withParams(params: Params, base: BoostParams): BoostParams {
  const out: BoostParams = { ...base };
  for (const k of Object.keys(base) as (keyof BoostParams)[]) {
    const x = params[k];
    if (x === undefined) continue;
    if (k === 'maxDepth') out.maxDepth = x === null || x === 0 ? null : (x as number);
    else if (k === 'earlyStopping') out.earlyStopping = x as BoostParams['earlyStopping'];
    else if (typeof x === 'number') (out[k] as number) = x;
  }
  return out;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Raw scores (rows × outputs) of the first `trees` trees. */
function rawScores(b: Boosted, x: Float64Array, rows: number, features: number): Float64Array {
  const k = b.base.length;
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) for (let c = 0; c < k; c++) out[r * k + c] = b.base[c]!;
  b.trees.forEach((t, i) => {
    const c = i % k;
    for (let r = 0; r < rows; r++) out[r * k + c]! += t.value[leafOf(t, x, r * features)]!;
  });
  return out;
}

/** Probabilities from raw scores: the logistic for two classes, softmax for more. */
function probabilitiesOf(raw: Float64Array, rows: number, classes: number): Float64Array {
  const p = new Float64Array(rows * classes);
  if (classes === 2) {
    for (let r = 0; r < rows; r++) {
      const s = sigmoid(raw[r]!);
      p[r * 2] = 1 - s;
      p[r * 2 + 1] = s;
    }
    return p;
  }
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let c = 0; c < classes; c++) m = Math.max(m, raw[r * classes + c]!);
    let z = 0;
    for (let c = 0; c < classes; c++) z += p[r * classes + c] = Math.exp(raw[r * classes + c]! - m);
    for (let c = 0; c < classes; c++) p[r * classes + c]! /= z;
  }
  return p;
}

function predictBoosted(
  b: Boosted,
  x: Float64Array,
  rows: number,
  features: number,
  classes: number,
): Prediction {
  const raw = rawScores(b, x, rows, features);
  const predictions = new Float64Array(rows);
  if (classes === 0) {
    predictions.set(raw);
    return { predictions, probabilities: null };
  }
  const probabilities = probabilitiesOf(raw, rows, classes);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if (probabilities[r * classes + c]! > probabilities[r * classes + best]!) best = c;
    predictions[r] = best;
  }
  return { predictions, probabilities };
}

/**
 * The mean loss of the current raw scores on `rows` (half squared error, or log loss) and,
 * when `g` and `h` are given, each row's gradient and hessian, from the same exponentials.
 * `raw` is class by class: row `r`'s score of class `c` at `c · set.rows + r`.
 */
function lossAndGradients(
  set: TrainingSet,
  raw: Float64Array,
  k: number,
  rows: Int32Array,
  g: Float64Array[] | null = null,
  h: Float64Array[] | null = null,
): number {
  if (rows.length === 0) return NaN;
  const y = set.y;
  const n = set.rows;
  if (k === 3) return softmaxThree(raw, n, y, rows, g, h);
  const e = new Float64Array(k);
  let s = 0;
  for (const r of rows) {
    if (set.classes === 0) {
      s += 0.5 * (raw[r]! - y[r]!) ** 2;
      if (g && h) {
        g[0]![r] = raw[r]! - y[r]!;
        h[0]![r] = 1;
      }
    } else if (set.classes === 2) {
      const z = raw[r]!;
      const u = Math.exp(-z);
      // log(1 + e^z) − y·z, computed without overflow.
      s += (z > 0 ? z + Math.log1p(u) : Math.log1p(Math.exp(z))) - y[r]! * z;
      if (g && h) {
        const p = 1 / (1 + u); // the sigmoid
        g[0]![r] = p - y[r]!;
        h[0]![r] = Math.max(p * (1 - p), 1e-16);
      }
    } else {
      let top = 0;
      for (let c = 1; c < k; c++) if (raw[c * n + r]! > raw[top * n + r]!) top = c;
      const m = raw[top * n + r]!;
      let z = 0;
      // e^0 is 1: the largest score needs no exponential.
      for (let c = 0; c < k; c++) z += e[c] = c === top ? 1 : Math.exp(raw[c * n + r]! - m);
      s += m + Math.log(z) - raw[y[r]! * n + r]!;
      if (g && h)
        for (let c = 0; c < k; c++) {
          const p = e[c]! / z;
          g[c]![r] = p - (y[r] === c ? 1 : 0);
          h[c]![r] = Math.max(p * (1 - p), 1e-16);
        }
    }
  }
  return s / rows.length;
}

/**
 * `lossAndGradients` for three classes, a row's scores in locals: the general loop's
 * gradients (the same numbers) and its loss to the last digits or so, in less time.
 */
function softmaxThree(
  raw: Float64Array,
  n: number,
  y: Float64Array,
  rows: Int32Array,
  g: Float64Array[] | null,
  h: Float64Array[] | null,
): number {
  let s = 0;
  // Σ log z as the log of products of z (each in [1, 3]: 600 of them stay below 1e287), one
  // logarithm per 600 rows.
  let product = 1;
  let inProduct = 0;
  for (const r of rows) {
    const a = raw[r]!;
    const b = raw[n + r]!;
    const c = raw[2 * n + r]!;
    let top = 0;
    let m = a;
    if (b > m) {
      top = 1;
      m = b;
    }
    if (c > m) {
      top = 2;
      m = c;
    }
    const ea = top === 0 ? 1 : Math.exp(a - m);
    const eb = top === 1 ? 1 : Math.exp(b - m);
    const ec = top === 2 ? 1 : Math.exp(c - m);
    const z = 0 + ea + eb + ec;
    const yr = y[r]!;
    s += m - (yr === 0 ? a : yr === 1 ? b : c);
    product *= z;
    if (++inProduct === 600) {
      s += Math.log(product);
      product = 1;
      inProduct = 0;
    }
    if (g && h) {
      const pa = ea / z;
      const pb = eb / z;
      const pc = ec / z;
      g[0]![r] = pa - (yr === 0 ? 1 : 0);
      g[1]![r] = pb - (yr === 1 ? 1 : 0);
      g[2]![r] = pc - (yr === 2 ? 1 : 0);
      h[0]![r] = Math.max(pa * (1 - pa), 1e-16);
      h[1]![r] = Math.max(pb * (1 - pb), 1e-16);
      h[2]![r] = Math.max(pc * (1 - pc), 1e-16);
    }
  }
  return (s + Math.log(product)) / rows.length;
}

function fitBoosted(
  set: TrainingSet,
  p: BoostParams,
  seed: number,
  subset?: Int32Array,
  shared?: SharedWork,
  standsFor?: number,
): Fit<Boosted> {
  const random = seededRandom(seed);
  const all = subset ? Int32Array.from(subset) : new Int32Array(set.rows).map((_, i) => i);
  if (all.length === 0) throw new TrainingError('There are no rows to train on.');
  const stop =
    p.earlyStopping === 'yes' || (p.earlyStopping === 'auto' && (standsFor ?? all.length) > 10_000);
  let train = all;
  let valid = new Int32Array(0);
  if (stop) {
    const shuffled = shuffle(Int32Array.from(all), random);
    const nValid = Math.max(1, Math.floor(p.validationFraction * all.length));
    valid = shuffled.slice(0, nValid).sort();
    train = shuffled.slice(nValid).sort();
  }
  const k = set.classes > 2 ? set.classes : 1;
  // Starting scores: the mean, the log-odds, or the log of each class's share.
  const base: number[] = [];
  if (set.classes === 0) base.push(train.reduce((a, r) => a + set.y[r]!, 0) / train.length);
  else {
    const counts = new Array<number>(Math.max(2, set.classes)).fill(0);
    for (const r of train) counts[set.y[r]!]!++;
    const share = counts.map((c) => Math.min(Math.max(c / train.length, 1e-15), 1 - 1e-15));
    if (set.classes === 2) base.push(Math.log(share[1]! / share[0]!));
    else for (const s of share) base.push(Math.log(s));
  }
  const binned = binnedOf(set, train, shared);
  // Class by class (each class's scores together, where a tree adds its leaf values).
  const raw = new Float64Array(set.rows * k);
  for (let c = 0; c < k; c++) raw.fill(base[c]!, c * set.rows, (c + 1) * set.rows);
  const g = Array.from({ length: k }, () => new Float64Array(set.rows));
  const h = Array.from({ length: k }, () => new Float64Array(set.rows));
  const gains = new Float64Array(set.features);
  const trees: CompactTree[] = [];
  const trainLoss: number[] = [];
  const validLoss: number[] = [];
  let best = Infinity;
  let sinceBest = 0;
  const scratch = new Int32Array(train.length);
  const inTree = new Uint8Array(set.rows);
  const histograms: Float64Array[] = [];
  for (let round = 0; round < p.rounds; round++) {
    // The training loss after the round before comes with this round's gradients.
    const lossBefore = lossAndGradients(set, raw, k, train, g, h);
    if (round > 0) trainLoss.push(lossBefore);
    let rows = train;
    if (p.subsample < 1) {
      const n = Math.max(2, Math.floor(p.subsample * train.length));
      rows = shuffle(Int32Array.from(train), random).subarray(0, n);
    }
    // The round's trees all start from these rows: their roots are counted together.
    const roots =
      k > 1 && p.featureFraction >= 1
        ? rootHistograms(
            binned,
            set.features,
            rows,
            g,
            h,
            histograms,
            rows === train
              ? (binned.counts ??= binCounts(binned, set.features, train))
              : binCounts(binned, set.features, rows),
          )
        : null;
    for (let c = 0; c < k; c++) {
      scratch.set(rows);
      const tree = growTree(
        binned,
        set.features,
        scratch,
        rows.length,
        g[c]!,
        h[c]!,
        {
          maxLeaves: p.maxLeaves,
          maxDepth: p.maxDepth,
          minSamplesLeaf: p.minSamplesLeaf,
          l2: p.l2,
          learningRate: p.learningRate,
          features: featureSubset(set.features, p.featureFraction, random),
          minHessian: 1e-3,
        },
        gains,
        { scores: raw, stride: 1, offset: c * set.rows },
        histograms,
        roots?.[c],
      );
      trees.push(tree);
      // Rows this tree trained on got their leaf values while it grew; the others walk it.
      if (rows.length < all.length) {
        inTree.fill(0);
        for (const r of rows) inTree[r] = 1;
        for (const r of all)
          if (!inTree[r])
            raw[c * set.rows + r]! += tree.value[leafOf(tree, set.x, r * set.features)]!;
      }
    }
    if (stop) {
      const vl = lossAndGradients(set, raw, k, valid);
      validLoss.push(vl);
      if (vl < best - 1e-7) {
        best = vl;
        sinceBest = 0;
      } else if (++sinceBest >= p.patience) break;
    }
  }
  // The last round's training loss (rounds are at least 1).
  trainLoss.push(lossAndGradients(set, raw, k, train));
  const total = gains.reduce((a, b) => a + b, 0);
  return {
    fitted: {
      classes: set.classes,
      base,
      trees,
      loss: { train: trainLoss, validation: stop ? validLoss : null, validationRows: valid.length },
    },
    importances: Array.from(gains, (x) => (total > 0 ? x / total : 0)),
    featuresUsed: featuresUsedBy(trees),
    size: { rounds: trees.length / k, ...ensembleSize(trees) },
  };
}

const BoostedSchema = v.strictObject({
  classes: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000)),
  base: FiniteNumbers,
  trees: v.pipe(v.array(CompactTreeSchema), v.minLength(1), v.maxLength(MAX_ROUNDS * 1000)),
  loss: v.strictObject({
    train: FiniteNumbers,
    validation: v.nullable(FiniteNumbers),
    validationRows: v.pipe(v.number(), v.integer(), v.minValue(0)),
  }),
});

export const gradientBoosting: Learner<BoostParams, Boosted> = {
  family: 'gradient-boosting',
  label: 'Gradient-boosted trees',
  noun: 'boosted trees',
  algorithm: 'orpheus-hist-gradient-boosting',
  tasks: ['classification', 'regression'],
  libraries: () => ({ trainer: '1' }),
  parameters: PARAMETERS,
  defaults: (_task: Task) => ({ ...DEFAULTS }),
  withParams,
  checkParams: (p) => checkBoostParams(p),
  defaultSpace: (): SearchSpace => ({
    rounds: { kind: 'int', low: 20, high: 300, step: 1, log: true },
    learningRate: { kind: 'float', low: 0.01, high: 0.5, log: true },
    maxLeaves: { kind: 'int', low: 4, high: 63, step: 1, log: true },
    minSamplesLeaf: { kind: 'int', low: 1, high: 50, step: 1, log: true },
    l2: { kind: 'float', low: 0.0001, high: 10, log: true },
  }),
  capabilities: (task, classes) => [...commonTags(task, classes, true), 'ensemble', 'boosting'],
  handlesMissing: () => true,
  preprocessing: (encoding: Encoding) => [
    `Features in this order: ${encoding.features.map((f) => f.name).join(', ')}; each cut into at most 255 bins from the training rows.`,
    ...encoding.features.flatMap((f) =>
      f.kind === 'categorical'
        ? [
            `"${f.name}" is coded 0 … ${f.categories.length - 1} in the order ${f.categories.join(', ')}; an unseen value counts as missing.`,
          ]
        : [],
    ),
    'Missing values are kept as missing; each split sends them to the side learned in training.',
    `Rows without a value for "${encoding.target}" are not used.`,
  ],
  fit: (set, params, context) =>
    fitBoosted(set, params, context.seed, context.subset, context.shared, context.standsFor),
  predict: predictBoosted,
  predictRow(b, x, classes) {
    const p = predictBoosted(b, Float64Array.from(x), 1, x.length, classes);
    return {
      value: p.predictions[0]!,
      probabilities: p.probabilities ? Array.from(p.probabilities) : null,
      path: [`rounds:${b.trees.length / b.base.length}`],
    };
  },
  explainRow: (path) => {
    const n = path[0]?.startsWith('rounds:') ? path[0].slice(7) : '?';
    return [
      `The starting score, corrected by ${n} rounds of trees, each fitted to what the rounds before it got wrong.`,
    ];
  },
  facts(b) {
    const k = b.base.length;
    const out: [string, string][] = [
      ['Rounds', `${b.trees.length / k}${k > 1 ? ` (${k} trees each, one per class)` : ''}`],
    ];
    const v = b.loss.validation;
    if (v && v.length > 0) {
      const bestAt = v.indexOf(Math.min(...v));
      out.push([
        'Early stopping',
        `stopped after round ${v.length}; the validation loss was lowest at round ${bestAt + 1} (${v[bestAt]!.toPrecision(4)} on ${b.loss.validationRows} rows kept out of training)`,
      ]);
    }
    return out;
  },
  curves: (b) => [
    {
      title: 'Loss after each round',
      xLabel: 'round',
      yLabel: b.classes === 0 ? 'half squared error' : 'log loss',
      series: [
        { name: 'rows trained on', points: b.loss.train.map((y, i) => ({ x: i + 1, y })) },
        ...(b.loss.validation
          ? [
              {
                name: `validation (${b.loss.validationRows} rows)`,
                points: b.loss.validation.map((y, i) => ({ x: i + 1, y })),
              },
            ]
          : []),
      ],
    },
  ],
  trees: {
    count: (b) => b.trees.length,
    draw: (b, _encoding, index) => toTreeModel(b.trees[index]!, 1, true),
    path: (b, index, x) => pathOf(b.trees[index]!, x),
    caption: (b, encoding, index) => {
      const k = b.base.length;
      const round = Math.floor(index / k) + 1;
      const cls = k > 1 ? `, for class ${encoding.classes?.[index % k] ?? index % k}` : '';
      return `this one is round ${round}${cls}: its leaves add to the raw score (before the ${b.classes === 0 ? 'value' : k > 1 ? 'softmax' : 'logistic'})`;
    },
  },
  estimateBytes: (p, rows, classes) => {
    const perTree = 2 * Math.min(p.maxLeaves, Math.ceil(rows / p.minSamplesLeaf)) - 1;
    return perTree * p.rounds * Math.max(1, classes > 2 ? classes : 1) * 9 * 7;
  },
  fittedSchema: BoostedSchema,
  checkFitted(b, encoding) {
    const classes = encoding.classes?.length ?? 0;
    if (b.classes !== classes)
      return `is boosting for ${b.classes} classes, but the version has ${classes}`;
    const k = classes > 2 ? classes : 1;
    if (b.base.length !== k) return `has ${b.base.length} starting scores for ${k} outputs`;
    if (b.trees.length % k !== 0) return 'has a round with a tree missing';
    for (const t of b.trees) {
      const p = compactProblem(t, encoding.features.length, 1);
      if (p) return p;
    }
    return null;
  },
  describeSize: (s) =>
    `${s['rounds']} rounds, ${s['trees']} trees, ${(s['nodes'] ?? 0).toLocaleString('en')} nodes`,
  same: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  onnx: async (b, encoding) => (await import('./onnx')).boostedOnnx(b, encoding),
};
