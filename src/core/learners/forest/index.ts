/**
 * The forest families: random forest and extra trees, the same learner with two sets of
 * defaults and one difference in how a split is chosen (the best threshold of a random subset
 * of features, or one random threshold per feature). Trees are trained by Orpheus's CART with
 * bootstrap counts as row weights; the fitted forest keeps its trees in the flat form of
 * `compact.ts`.
 */
import * as v from 'valibot';
import {
  commonTags,
  type Fit,
  type FitContext,
  type Learner,
  type Prediction,
  type RowOutcome,
} from '../learner';
import { ordersOf, treePreprocessing } from '../tree';
import { TrainingError, type TrainingSet } from '../training';
import {
  compactProblem,
  CompactTreeSchema,
  ensembleSize,
  featuresUsedBy,
  leafClass,
  leafOf,
  pathOf,
  toTreeModel,
  type CompactTree,
} from './compact';
import {
  fitForestTree,
  meanImportances,
  outOfBagScore,
  sumLeaves,
  type Forest,
  type ForestOptions,
  type TreeFit,
} from './fit';
import {
  checkForestParams,
  defaultForestSpace,
  forestDefaults,
  forestParameters,
  paramsToForest,
  type ForestParams,
} from './params';

/** Bumped whenever the forest trainer could build a different forest from the same data and settings. */
export const FOREST_TRAINER_VERSION = '1';

/** What one number of a node takes in the store (a double and its tag), roughly. */
const BYTES_PER_NODE = 9;

/** More nodes than this in one forest are refused: the store and a tab's memory would suffer. */
export const MAX_FOREST_NODES = 20_000_000;

export const ForestSchema = v.strictObject({
  classes: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000)),
  trees: v.pipe(v.array(CompactTreeSchema), v.minLength(1), v.maxLength(2000)),
  oob: v.nullable(
    v.strictObject({
      score: v.pipe(v.number(), v.finite()),
      rows: v.pipe(v.number(), v.integer(), v.minValue(0)),
    }),
  ),
});

function options(p: ForestParams, extraTrees: boolean): ForestOptions {
  return {
    trees: p.nTrees,
    bootstrap: p.bootstrap === 'yes',
    classWeight: p.classWeight,
    randomThresholds: extraTrees,
    tree: { ...p, classWeight: 'none' },
  };
}

/**
 * One row through every tree once: the mean of the leaves' probabilities (or values), and
 * for the path the votes per class ("votes:3,95,2"), each tree voting its leaf's class.
 */
function forestRow(forest: Forest, x: readonly number[], classes: number): RowOutcome {
  const width = Math.max(1, classes);
  const sums = new Float64Array(width);
  const votes = new Array<number>(width).fill(0);
  for (const t of forest.trees) {
    const leaf = leafOf(t, x);
    for (let c = 0; c < width; c++) sums[c]! += t.value[leaf * width + c]!;
    if (classes > 0) votes[leafClass(t, leaf, width)]!++;
  }
  const n = forest.trees.length;
  if (classes === 0) return { value: sums[0]! / n, probabilities: null, path: [`trees:${n}`] };
  const probabilities = Array.from(sums, (x) => x / n);
  let best = 0;
  for (let c = 1; c < classes; c++) if (probabilities[c]! > probabilities[best]!) best = c;
  return { value: best, probabilities, path: [`votes:${votes.join(',')}`] };
}

/** The mean of the trees' leaf probabilities (the most probable class), or of their values. */
function predictForest(
  forest: Forest,
  x: Float64Array,
  rows: number,
  features: number,
  classes: number,
): Prediction {
  const width = Math.max(1, classes);
  const sums = sumLeaves(forest.trees, x, rows, features, width);
  const n = forest.trees.length;
  for (let i = 0; i < sums.length; i++) sums[i] = sums[i]! / n;
  const predictions = new Float64Array(rows);
  if (classes === 0) {
    predictions.set(sums);
    return { predictions, probabilities: null };
  }
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if (sums[r * classes + c]! > sums[r * classes + best]!) best = c;
    predictions[r] = best;
  }
  return { predictions, probabilities: sums };
}

function tooMany(trees: number): TrainingError {
  return new TrainingError(
    `This forest would have more than ${MAX_FOREST_NODES.toLocaleString('en')} nodes after ${trees} trees, more than a browser can keep. Use fewer trees, a max depth or more rows per leaf.`,
  );
}

/** Trees [from, to) of a forest; each depends only on the seed and its own number. */
function fitTrees(
  extraTrees: boolean,
  set: TrainingSet,
  params: ForestParams,
  context: FitContext,
  from: number,
  to: number,
): TreeFit[] {
  const rows = context.subset
    ? Int32Array.from(context.subset)
    : new Int32Array(set.rows).map((_, i) => i);
  if (rows.length === 0) throw new TrainingError('There are no rows to train on.');
  const opts = options(params, extraTrees);
  // Extra trees draw their thresholds and need no sorted orders.
  const orders = extraTrees ? undefined : ordersOf(set, context.shared);
  const fits: TreeFit[] = [];
  let nodes = 0;
  for (let t = from; t < to; t++) {
    const f = fitForestTree(set, rows, opts, context.seed, t, orders);
    nodes += f.tree.feature.length;
    if (nodes > MAX_FOREST_NODES) throw tooMany(t + 1);
    fits.push(f);
  }
  return fits;
}

/** The forest from its trees' fits, in tree order: the out-of-bag score needs them all. */
function joinTrees(set: TrainingSet, parts: readonly TreeFit[][]): Fit<Forest> {
  const fits = parts.flat();
  const trees = fits.map((f) => f.tree);
  const size = ensembleSize(trees);
  if (size['nodes']! > MAX_FOREST_NODES) throw tooMany(trees.length);
  return {
    fitted: { classes: set.classes, trees, oob: outOfBagScore(set, fits) },
    importances: meanImportances(fits, set.features),
    featuresUsed: featuresUsedBy(trees),
    size,
  };
}

function forestLearner(extraTrees: boolean): Learner<ForestParams, Forest> {
  const label = extraTrees ? 'Extra trees' : 'Random forest';
  const someTrees = (
    set: TrainingSet,
    params: ForestParams,
    context: FitContext,
    from: number,
    to: number,
  ): TreeFit[] => fitTrees(extraTrees, set, params, context, from, to);
  return {
    family: extraTrees ? 'extra-trees' : 'random-forest',
    label,
    noun: extraTrees ? 'extra trees' : 'forest',
    algorithm: extraTrees ? 'orpheus-extra-trees' : 'orpheus-random-forest',
    tasks: ['classification', 'regression'],
    libraries: () => ({ trainer: FOREST_TRAINER_VERSION }),
    parameters: forestParameters(extraTrees),
    defaults: (task) => forestDefaults(task, extraTrees),
    withParams: paramsToForest,
    checkParams: checkForestParams,
    defaultSpace: defaultForestSpace,
    capabilities(task, classes, params) {
      const tags = [...commonTags(task, classes, true), 'ensemble'];
      if (params.bootstrap === 'yes' || params.maxFeatures !== 'all' || extraTrees)
        tags.push('seeded-randomness');
      return tags;
    },
    handlesMissing: () => true,
    preprocessing: (encoding) =>
      treePreprocessing(
        encoding,
        'Missing values are kept as missing; each split of each tree sends them to the side learned in training.',
      ),

    fit(set, params, context): Fit<Forest> {
      return joinTrees(set, [someTrees(set, params, context, 0, params.nTrees)]);
    },

    pieces: {
      count: (params) => params.nTrees,
      fit: someTrees,
      join: (set, _params, parts) => joinTrees(set, parts as TreeFit[][]),
    },

    predict: predictForest,

    predictRow: forestRow,

    explainRow(path, encoding) {
      const votes = path[0]?.startsWith('votes:') ? path[0].slice(6).split(',').map(Number) : null;
      if (!votes || !encoding.classes) return [];
      const total = votes.reduce((a, b) => a + b, 0);
      return votes
        .map((n, c) => ({ n, c }))
        .filter((x) => x.n > 0)
        .sort((a, b) => b.n - a.n)
        .map((x) => `${x.n} of ${total} trees vote ${encoding.classes![x.c]}`);
    },

    estimateBytes(p, rows, classes) {
      // Every leaf holds at least `minSamplesLeaf` rows, and a depth limit caps the nodes too.
      const byRows = 2 * Math.ceil(rows / Math.max(1, p.minSamplesLeaf)) - 1;
      const byDepth = p.maxDepth === null ? Infinity : 2 ** (p.maxDepth + 1) - 1;
      const nodes = Math.min(byRows, byDepth) * p.nTrees;
      return nodes * BYTES_PER_NODE * (6 + Math.max(1, classes));
    },

    facts(forest) {
      const out: [string, string][] = [['Trees', String(forest.trees.length)]];
      if (forest.oob)
        out.push([
          'Out-of-bag score',
          `${forest.oob.score.toPrecision(4)} (${forest.classes > 0 ? 'accuracy' : 'R²'} on ${forest.oob.rows} training rows, each judged only by the trees whose sample left it out)`,
        ]);
      return out;
    },

    trees: {
      count: (forest) => forest.trees.length,
      draw: (forest, encoding, index) =>
        toTreeModel(forest.trees[index]!, Math.max(1, forest.classes), encoding.classes === null),
      path: (forest, index, x) => pathOf(forest.trees[index]!, x),
      caption: () =>
        extraTrees
          ? 'each trained on every row, with random thresholds'
          : 'each trained on its own sample of rows, with features drawn at every split',
    },

    fittedSchema: ForestSchema,
    checkFitted(forest, encoding) {
      const classes = encoding.classes?.length ?? 0;
      if (forest.classes !== classes)
        return `is a forest for ${forest.classes} classes, but the version has ${classes}`;
      let nodes = 0;
      for (const t of forest.trees) {
        nodes += t.feature.length;
        if (nodes > MAX_FOREST_NODES) return `has more than ${MAX_FOREST_NODES} nodes`;
        const p = compactProblem(t, encoding.features.length, Math.max(1, classes));
        if (p) return p;
      }
      return null;
    },
    describeSize: (s) =>
      `${s['trees']} trees, ${(s['nodes'] ?? 0).toLocaleString('en')} nodes, ${(s['leaves'] ?? 0).toLocaleString('en')} leaves, deepest ${s['depth']}`,
    same: (a, b) => JSON.stringify(a) === JSON.stringify(b),
    onnx: async (forest, encoding) =>
      (await import('./onnx')).ensembleOnnx(
        forest.trees,
        encoding,
        `a ${label.toLowerCase()} of ${forest.trees.length} trees trained in Orpheus`,
      ),
  };
}

export const randomForest = forestLearner(false);
export const extraTrees = forestLearner(true);

export type { CompactTree, Forest };
