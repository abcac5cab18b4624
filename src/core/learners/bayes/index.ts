/**
 * Naive Bayes for mixed data, as scikit-learn's `GaussianNB` and `CategoricalNB` together:
 * numbers as a normal distribution per class (variances smoothed by `varSmoothing` times the
 * largest variance of any feature), categories as their frequencies per class with Laplace
 * smoothing `alpha`, the class priors from the training rows. The preprocessing is imputation
 * only (fitted on the training rows): a missing number becomes the mean (or as set), a missing
 * or unseen category the most frequent one.
 */
import type { Encoding } from '../../records';
import { commonTags, type Fit, type Learner, type Prediction } from '../learner';
import {
  pipelineFacts,
  sameModel,
  unseenCategoryNote,
  fitDesign,
  PIPELINE_PARAMETERS,
  pipelineSpace,
  pipelineProblem,
  transform,
  type PipelineParams,
} from '../pipeline';
import { bySpecs, type Bounded } from '../settings';
import { TrainingError } from '../training';
import { NaiveBayesSchema, type NaiveBayes } from './model';

export type BayesParams = Pick<PipelineParams, 'impute' | 'fillValue'> & {
  varSmoothing: number;
  alpha: number;
};

const PARAMETERS: readonly Bounded[] = [
  {
    name: 'varSmoothing',
    label: 'Variance smoothing',
    hint: 'added to every variance, as a share of the largest: keeps a constant column from dividing by zero',
    kind: 'float',
    min: 0,
    max: 1,
    step: 1e-9,
  },
  {
    name: 'alpha',
    label: 'Alpha (category smoothing)',
    hint: 'added to every category count, so an unseen pair is unlikely, not impossible',
    kind: 'float',
    min: 1e-10,
    max: 1e6,
    step: 0.1,
  },
  ...PIPELINE_PARAMETERS.filter((p) => p.name === 'impute' || p.name === 'fillValue'),
];

const LOG_2PI = Math.log(2 * Math.PI);

/** log of the normal density with this mean and variance at x: a numeric feature's term. */
export function gaussianLog(x: number, mean: number, variance: number): number {
  return -0.5 * (LOG_2PI + Math.log(variance) + ((x - mean) * (x - mean)) / variance);
}

/** log P(category `code` | class c) from a feature's table (categories × classes); an unseen code is all but impossible. */
export function categoricalLog(
  table: readonly number[],
  code: number,
  k: number,
  c: number,
): number {
  return table[code * k + c] ?? Math.log(1e-300);
}

/** Joint log-likelihood per row and class (rows × classes) of an imputed design. */
function jointLog(b: NaiveBayes, design: Float64Array, rows: number, width: number): Float64Array {
  const k = b.classes;
  const out = new Float64Array(rows * k);
  const g = b.gaussian;
  const gn = g.feature.length;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < k; c++) {
      let s = b.logPrior[c]!;
      for (let i = 0; i < gn; i++)
        s += gaussianLog(
          design[r * width + g.feature[i]!]!,
          g.mean[c * gn + i]!,
          g.variance[c * gn + i]!,
        );
      b.categorical.feature.forEach((j, i) => {
        s += categoricalLog(b.categorical.logProb[i]!, design[r * width + j]!, k, c);
      });
      out[r * k + c] = s;
    }
  }
  return out;
}

function predictBayes(b: NaiveBayes, x: Float64Array, rows: number, features: number): Prediction {
  const design = transform(b.pipeline, x, rows, features);
  const k = b.classes;
  const joint = jointLog(b, design, rows, features);
  const predictions = new Float64Array(rows);
  const probabilities = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    let top = -Infinity;
    for (let c = 0; c < k; c++) top = Math.max(top, joint[r * k + c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(joint[r * k + c]! - top);
    let best = 0;
    for (let c = 0; c < k; c++) {
      probabilities[r * k + c] = Math.exp(joint[r * k + c]! - top) / sum;
      if (probabilities[r * k + c]! > probabilities[r * k + best]!) best = c;
    }
    predictions[r] = best;
  }
  return { predictions, probabilities };
}

export const naiveBayes: Learner<BayesParams, NaiveBayes> = {
  family: 'naive-bayes',
  label: 'Naive Bayes',
  noun: 'naive Bayes',
  algorithm: 'orpheus-naive-bayes',
  tasks: ['classification'],
  libraries: () => ({ trainer: '1' }),
  defaults: () => ({ varSmoothing: 1e-9, alpha: 1, impute: 'mean', fillValue: 0 }),
  ...bySpecs<BayesParams>(PARAMETERS),
  defaultSpace: () => ({
    varSmoothing: { kind: 'float', low: 1e-12, high: 1e-1, log: true },
    alpha: { kind: 'float', low: 1e-3, high: 10, log: true },
    ...pipelineSpace(false),
  }),
  capabilities: (task, classes) => [
    ...commonTags(task, classes, true),
    'imputes-missing-values',
    'naive-bayes',
  ],
  importance: {
    label: 'Importance',
    what: '',
    none: 'Naive Bayes has no importances of its own: it weighs every feature by how likely its value is in each class. The permutation importance below says which features its predictions rely on.',
  },
  handlesMissing: () => true,
  unseenCategory: (m) => unseenCategoryNote(m.pipeline),
  preprocessing: (encoding) => [
    `Features in this order: ${encoding.features.map((f) => f.name).join(', ')}; a missing number is imputed as the version's settings say and a missing or unseen category becomes the most frequent one, both from the training rows. Numbers are modelled as a normal distribution per class, categories by their frequency per class.`,
  ],

  fit(set, params, context): Fit<NaiveBayes> {
    const rows = context.subset ?? new Int32Array(set.rows).map((_, i) => i);
    if (rows.length === 0) throw new TrainingError('There are no rows to train on.');
    const p = set.features;
    const k = set.classes;
    const { pipeline, design } = fitDesign(
      set,
      rows,
      {
        impute: params.impute,
        fillValue: params.fillValue,
        indicator: 'no',
        oneHot: 'no',
        scale: 'none',
      },
      context.shared,
    );
    const y = Array.from(rows, (r) => set.y[r]!);
    const count = new Array<number>(k).fill(0);
    for (const c of y) count[c]!++;
    const cats = set.categories ?? [];
    const gaussianFeatures = [...Array(p).keys()].filter((j) => !(cats[j]! > 0));
    const categoricalFeatures = [...Array(p).keys()].filter((j) => cats[j]! > 0);
    // Means and variances per class; the smoothing is a share of the largest variance overall.
    const gn = gaussianFeatures.length;
    const mean = new Array<number>(k * gn).fill(0);
    const variance = new Array<number>(k * gn).fill(0);
    let largest = 0;
    gaussianFeatures.forEach((j, i) => {
      let all = 0;
      for (let r = 0; r < rows.length; r++) all += design[r * p + j]!;
      all /= rows.length;
      let spread = 0;
      for (let r = 0; r < rows.length; r++) spread += (design[r * p + j]! - all) ** 2;
      largest = Math.max(largest, spread / rows.length);
      for (let r = 0; r < rows.length; r++) mean[y[r]! * gn + i]! += design[r * p + j]!;
      for (let c = 0; c < k; c++) if (count[c]! > 0) mean[c * gn + i]! /= count[c]!;
      for (let r = 0; r < rows.length; r++)
        variance[y[r]! * gn + i]! += (design[r * p + j]! - mean[y[r]! * gn + i]!) ** 2;
      for (let c = 0; c < k; c++) if (count[c]! > 0) variance[c * gn + i]! /= count[c]!;
    });
    const epsilon = params.varSmoothing * largest;
    for (let i = 0; i < variance.length; i++) variance[i]! += epsilon;
    if (gn > 0 && variance.some((s) => !(s > 0)))
      throw new TrainingError(
        'A numeric feature has the same value in every row of a class, and the variance smoothing is 0: raise Variance smoothing (1e-9 is the usual value), or leave that feature out.',
      );
    const logProb = categoricalFeatures.map((j) => {
      const kj = cats[j]!;
      const table = new Array<number>(kj * k).fill(0);
      for (let r = 0; r < rows.length; r++) table[design[r * p + j]! * k + y[r]!]!++;
      for (let v = 0; v < kj; v++)
        for (let c = 0; c < k; c++)
          table[v * k + c] = Math.log(
            (table[v * k + c]! + params.alpha) / (count[c]! + params.alpha * kj),
          );
      return table;
    });
    const logPrior = count.map((c) => (c > 0 ? Math.log(c / rows.length) : Math.log(1e-300)));
    return {
      fitted: {
        classes: k,
        pipeline,
        logPrior,
        gaussian: { feature: gaussianFeatures, mean, variance },
        categorical: { feature: categoricalFeatures, logProb },
      },
      importances: new Array<number>(p).fill(0),
      featuresUsed: [...Array(p).keys()],
      size: { classes: k, features: p },
    };
  },

  predict: (b, x, rows, features) => predictBayes(b, x, rows, features),
  predictRow(b, x) {
    const out = predictBayes(b, Float64Array.from(x), 1, x.length);
    return {
      value: out.predictions[0]!,
      probabilities: Array.from(out.probabilities!),
      path: ['bayes'],
    };
  },

  facts(b, encoding: Encoding) {
    const fmt = (x: number): string => Number(x.toPrecision(4)).toString();
    const classes = encoding.classes ?? [];
    const names = encoding.features.map((f) => f.name);
    const gn = b.gaussian.feature.length;
    const out: [string, string][] = [
      [
        'Class priors',
        b.logPrior.map((l, c) => `${classes[c] ?? c} ${fmt(Math.exp(l))}`).join(', '),
      ],
    ];
    b.gaussian.feature.forEach((j, i) =>
      out.push([
        `${names[j]} per class (mean ± sd)`,
        classes
          .map(
            (c, ci) =>
              `${c} ${fmt(b.gaussian.mean[ci * gn + i]!)} ± ${fmt(Math.sqrt(b.gaussian.variance[ci * gn + i]!))}`,
          )
          .join(', '),
      ]),
    );
    b.categorical.feature.forEach((j, i) => {
      const f = encoding.features[j];
      const cats = f?.kind === 'categorical' ? f.categories : [];
      const table = b.categorical.logProb[i]!;
      out.push([
        `${names[j]} per class`,
        classes
          .map(
            (c, ci) =>
              `${c}: ${cats.map((cat, v) => `${cat} ${fmt(Math.exp(table[v * b.classes + ci]!))}`).join(' ')}`,
          )
          .join('; '),
      ]);
    });
    return [...out, ...pipelineFacts(b.pipeline, encoding)];
  },
  fittedSchema: NaiveBayesSchema,
  checkFitted(b, encoding) {
    const classes = encoding.classes?.length ?? 0;
    if (b.classes !== classes)
      return `is a model for ${b.classes} classes, but the version has ${classes}`;
    const problem = pipelineProblem(b.pipeline, encoding);
    if (problem) return `has preprocessing that ${problem}`;
    const gn = b.gaussian.feature.length;
    if (b.logPrior.length !== classes) return 'has priors that do not match its classes';
    if (b.gaussian.mean.length !== gn * classes || b.gaussian.variance.length !== gn * classes)
      return 'has means or variances that do not match its classes';
    const n = encoding.features.length;
    for (const j of [...b.gaussian.feature, ...b.categorical.feature])
      if (j >= n) return `reads feature ${j + 1} of ${n}`;
    if (b.categorical.logProb.length !== b.categorical.feature.length)
      return 'has category tables that do not match its features';
    for (let i = 0; i < b.categorical.feature.length; i++) {
      const f = encoding.features[b.categorical.feature[i]!]!;
      if (
        f.kind !== 'categorical' ||
        b.categorical.logProb[i]!.length !== f.categories.length * classes
      )
        return 'has a category table that does not match its feature';
    }
    return null;
  },
  describeSize: (s) => `${s['classes'] ?? 0} classes over ${s['features'] ?? 0} features`,
  same: sameModel,
  onnx: async (b) => (await import('./onnx')).bayesOnnx(b),
};
