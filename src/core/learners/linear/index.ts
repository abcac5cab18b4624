/**
 * The linear families, each with its preprocessing as part of the model (`pipeline.ts`):
 * logistic regression (binary with the logistic, multinomial with the softmax, L2 with
 * strength C, class weights; L-BFGS to convergence, its iterations and final gradient
 * recorded) and linear regression (ordinary least squares, or ridge with `alpha`, solved
 * exactly). Coefficients are per design column: a number after imputation and
 * standardization, a missing-value indicator, or one category.
 */
import type { Encoding } from '../../records';
import type { Task } from '../../vocabulary';
import {
  commonTags,
  type BarChart,
  type Fit,
  type FitContext,
  type Learner,
  type Prediction,
} from '../learner';
import {
  columnNames,
  pipelineFacts,
  sameModel,
  unseenCategoryNote,
  fitDesign,
  PIPELINE_DEFAULTS,
  PIPELINE_PARAMETERS,
  pipelineSpace,
  pipelineProblem,
  sourceOf,
  transform,
  unknownCategories,
  widthOf,
  type PipelineParams,
} from '../pipeline';
import { bySpecs, choice, type Bounded } from '../settings';
import { TrainingError, type TrainingSet } from '../training';
import { LinearSchema, type LinearModel } from './model';
import { seededRandom } from '../../random';
import { fitLogistic, fitRidge, fitSvm } from './solve';

export const LINEAR_TRAINER_VERSION = '1';
/**
 * Logistic regression's own. 2: it stops by scikit-learn's rule (the mean loss's largest
 * gradient component at most `LOGISTIC_TOLERANCE`, or SciPy's ftol); 1 went on until the
 * gradient was 10⁻⁹ of the start's (10⁻⁷ with L1).
 */
export const LOGISTIC_TRAINER_VERSION = '2';

export type { LinearModel };

export type LogisticParams = PipelineParams & {
  C: number;
  penalty: 'l2' | 'l1';
  classWeight: 'none' | 'balanced';
  maxIterations: number;
};
export type RidgeParams = PipelineParams & { alpha: number };
export type SvmParams = PipelineParams & {
  C: number;
  loss: 'hinge' | 'squared_hinge';
  maxIterations: number;
};

/** The inverse regularization strength C, with what it does to this family. */
function strengthC(hint: string): Bounded {
  return {
    name: 'C',
    label: 'C (inverse regularization)',
    hint,
    kind: 'float',
    min: 1e-6,
    max: 1e6,
    step: 0.1,
  };
}

const LOGISTIC_PARAMETERS: readonly Bounded[] = [
  strengthC('small: simpler, smoother; large: fits the training rows more closely'),
  choice(
    'penalty',
    'Penalty',
    [
      ['l2', 'L2 (squared coefficients)'],
      ['l1', 'L1 (absolute coefficients)'],
    ],
    'L1 sets the coefficients of features that do not help to exactly zero',
  ),
  choice('classWeight', 'Class weights', [
    ['none', 'equal'],
    ['balanced', 'balanced (rare classes count more)'],
  ]),
  { name: 'maxIterations', label: 'Max iterations', kind: 'int', min: 10, max: 100_000, step: 10 },
  ...PIPELINE_PARAMETERS,
];

const SVM_PARAMETERS: readonly Bounded[] = [
  strengthC('small: a wider margin, more rows inside it; large: fewer training mistakes'),
  choice('loss', 'Loss', [
    ['squared_hinge', 'squared hinge'],
    ['hinge', 'hinge'],
  ]),
  { name: 'maxIterations', label: 'Max passes', kind: 'int', min: 1, max: 100_000, step: 10 },
  ...PIPELINE_PARAMETERS,
];

const RIDGE_PARAMETERS: readonly Bounded[] = [
  {
    name: 'alpha',
    label: 'Alpha (ridge penalty)',
    hint: '0 is ordinary least squares',
    kind: 'float',
    min: 0,
    max: 1e9,
    step: 0.1,
  },
  ...PIPELINE_PARAMETERS,
];

function rowsOf(set: TrainingSet, subset: Int32Array | undefined): Int32Array {
  const rows = subset ?? new Int32Array(set.rows).map((_, i) => i);
  if (rows.length === 0) throw new TrainingError('There are no rows to train on.');
  return rows;
}

/** Per input feature, the share of the coefficients' absolute values on its columns. */
function importancesOf(m: LinearModel, features: number): number[] {
  const source = sourceOf(m.pipeline);
  const width = source.length;
  const out = new Array<number>(features).fill(0);
  m.coef.forEach((c, i) => (out[source[i % width]!]! += Math.abs(c)));
  const total = out.reduce((a, b) => a + b, 0);
  return out.map((x) => (total > 0 ? x / total : 0));
}

function scores(m: LinearModel, design: Float64Array, rows: number): Float64Array {
  const width = widthOf(m.pipeline);
  const k = m.intercept.length;
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < k; c++) {
      let s = m.intercept[c]!;
      for (let j = 0; j < width; j++) s += m.coef[c * width + j]! * design[r * width + j]!;
      out[r * k + c] = s;
    }
  return out;
}

function predictLinear(
  m: LinearModel,
  x: Float64Array,
  rows: number,
  features: number,
): Prediction {
  const z = scores(m, transform(m.pipeline, x, rows, features), rows);
  const predictions = new Float64Array(rows);
  if (m.classes === 0) return { predictions: z, probabilities: null };
  const k = m.classes;
  if (m.decision) {
    // The class whose decision value is largest (two classes: the second when positive).
    const width = m.intercept.length;
    for (let r = 0; r < rows; r++) {
      if (width === 1) predictions[r] = z[r]! > 0 ? 1 : 0;
      else {
        let best = 0;
        for (let c = 1; c < width; c++) if (z[r * width + c]! > z[r * width + best]!) best = c;
        predictions[r] = best;
      }
    }
    return { predictions, probabilities: null, decision: z };
  }
  const probabilities = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    if (k === 2) {
      const t = z[r]!;
      const p1 = t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
      probabilities[r * 2] = 1 - p1;
      probabilities[r * 2 + 1] = p1;
    } else {
      let top = -Infinity;
      for (let c = 0; c < k; c++) top = Math.max(top, z[r * k + c]!);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(z[r * k + c]! - top);
      for (let c = 0; c < k; c++) probabilities[r * k + c] = Math.exp(z[r * k + c]! - top) / sum;
    }
    let best = 0;
    for (let c = 1; c < k; c++)
      if (probabilities[r * k + c]! > probabilities[r * k + best]!) best = c;
    predictions[r] = best;
  }
  return { predictions, probabilities };
}

/** The largest coefficients as [label, value] facts: what pushes a prediction most. */
function coefficientFacts(m: LinearModel, encoding: Encoding): [string, string][] {
  const names = columnNames(m.pipeline, encoding);
  const width = names.length;
  const rows = m.intercept.length;
  const fmt = (x: number): string => Number(x.toPrecision(4)).toString();
  const out: [string, string][] = [];
  for (let c = 0; c < rows; c++) {
    const which =
      m.classes > 2
        ? ` for ${encoding.classes?.[c] ?? c}`
        : m.classes === 2
          ? ` for ${encoding.classes?.[1] ?? 1}`
          : '';
    const top = names
      .map((n, j) => ({ n, w: m.coef[c * width + j]! }))
      .sort((a, b) => Math.abs(b.w) - Math.abs(a.w))
      .slice(0, 5)
      .map((t) => `${t.n} ${t.w >= 0 ? '+' : '−'}${fmt(Math.abs(t.w))}`);
    out.push([
      `Largest coefficients${which}`,
      `${top.join(', ')}; intercept ${fmt(m.intercept[c]!)}`,
    ]);
  }
  return out;
}

/** Coefficients shown per chart at most (the largest in magnitude). */
const BARS_SHOWN = 20;

/** The coefficients as signed bars, one chart per row of them, largest magnitude first. */
function coefficientBars(m: LinearModel, encoding: Encoding): BarChart[] {
  const names = columnNames(m.pipeline, encoding);
  const width = names.length;
  const scaled = m.pipeline.values.scale.some(
    (s, i) => s !== 1 || m.pipeline.values.center[i] !== 0,
  );
  return m.intercept.map((b, c) => {
    const which =
      m.classes > 2
        ? `for ${encoding.classes?.[c] ?? c}${m.decision ? ' against the rest' : ''}`
        : m.classes === 2
          ? `toward ${encoding.classes?.[1] ?? 1}`
          : `of ${encoding.target}`;
    const items = names
      .map((label, j) => ({ label, value: m.coef[c * width + j]! }))
      .sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
    return {
      title: `Coefficients ${which}`,
      caption: `${items.length > BARS_SHOWN ? `The ${BARS_SHOWN} largest of ${items.length}` : `All ${items.length}`} coefficients ${scaled ? 'on standardized numbers (per standard deviation)' : 'on the numbers as they are'}; a category's is for being that category. Intercept ${Number(b.toPrecision(4))}.`,
      items: items.slice(0, BARS_SHOWN),
    };
  });
}

function linearPath(m: LinearModel, x: readonly number[]): string[] {
  const unknown = unknownCategories(m.pipeline, x);
  return unknown.length > 0 ? [`unknown:${unknown.join(',')}`] : ['linear'];
}

function explainLinear(path: readonly string[], encoding: Encoding): string[] {
  const p = path[0] ?? '';
  if (!p.startsWith('unknown:')) return [];
  const names = p
    .slice(8)
    .split(',')
    .map((j) => encoding.features[Number(j)]?.name ?? j);
  return [
    `${names.join(', ')}: missing or not a category seen in training, so its one-hot columns are all zeros.`,
  ];
}

function shared(extra: Pick<Learner<PipelineParams, LinearModel>, 'family'>) {
  return {
    libraries: () => ({ trainer: LINEAR_TRAINER_VERSION }),
    handlesMissing: () => true,
    preprocessing: (encoding: Encoding) => [
      `Features in this order: ${encoding.features.map((f) => f.name).join(', ')}; missing values are imputed, categories one-hot encoded and numbers standardized as the version's settings say, each step fitted on the training rows only.`,
    ],
    predict: (m: LinearModel, x: Float64Array, rows: number, features: number) =>
      predictLinear(m, x, rows, features),
    predictRow(m: LinearModel, x: readonly number[]) {
      const p = predictLinear(m, Float64Array.from(x), 1, x.length);
      return {
        value: p.predictions[0]!,
        probabilities: p.probabilities ? Array.from(p.probabilities) : null,
        path: linearPath(m, x),
      };
    },
    explainRow: explainLinear,
    bars: coefficientBars,
    unseenCategory: (m: LinearModel) => unseenCategoryNote(m.pipeline),
    importance: {
      label: 'Share of the absolute coefficients',
      what: 'Share (%) of the absolute coefficients on each feature’s columns (its value, its missing-value column, its categories), after standardization: how strongly the model leans on it.',
      none: 'Every coefficient is zero: the model answers from the intercept alone.',
    },
    fittedSchema: LinearSchema,
    checkFitted(m: LinearModel, encoding: Encoding) {
      const classes = encoding.classes?.length ?? 0;
      if (m.classes !== classes)
        return `is a model for ${m.classes} classes, but the version has ${classes}`;
      const problem = pipelineProblem(m.pipeline, encoding);
      if (problem) return `has preprocessing that ${problem}`;
      const rows = classes > 2 ? classes : 1;
      if (m.intercept.length !== rows || m.coef.length !== rows * widthOf(m.pipeline))
        return 'has coefficients that do not match its classes and columns';
      return null;
    },
    describeSize: (s: Readonly<Record<string, number>>) =>
      `${s['coefficients'] ?? 0} coefficients over ${s['columns'] ?? 0} columns`,
    same: sameModel,
    onnx: async (m: LinearModel, encoding: Encoding) =>
      (await import('./onnx')).linearOnnx(m, encoding, extra.family),
  };
}

/** The training rows, the steps fitted on them, their design matrix and their targets. */
function linearData(set: TrainingSet, params: PipelineParams, context: FitContext) {
  const rows = rowsOf(set, context.subset);
  const { pipeline, design: x } = fitDesign(set, rows, params, context.shared);
  return {
    rows,
    pipeline,
    x,
    width: widthOf(pipeline),
    y: Float64Array.from(rows, (r) => set.y[r]!),
  };
}

/** A fitted linear model with its importances, the features it uses and its size. */
function linearFit(model: LinearModel, features: number): Fit<LinearModel> {
  const importances = importancesOf(model, features);
  return {
    fitted: model,
    importances,
    featuresUsed: importances.flatMap((v, i) => (v > 0 ? [i] : [])),
    size: sizeOf(model),
  };
}

/** The linear families' capability tags. */
function linearTags(task: Task, classes: number, probabilistic: boolean): string[] {
  return [
    ...commonTags(task, classes, probabilistic),
    'linear',
    'imputes-missing-values',
    'one-hot-categories',
  ];
}

function pipelineDefaults(): PipelineParams {
  return { ...PIPELINE_DEFAULTS };
}

function sizeOf(m: LinearModel): Record<string, number> {
  return { coefficients: m.coef.length, columns: widthOf(m.pipeline) };
}

export const logisticRegression: Learner<LogisticParams, LinearModel> = {
  family: 'logistic-regression',
  label: 'Logistic regression',
  noun: 'logistic regression',
  algorithm: 'orpheus-logistic-lbfgs',
  tasks: ['classification'],
  defaults: () => ({
    C: 1,
    penalty: 'l2',
    classWeight: 'none',
    maxIterations: 1000,
    ...pipelineDefaults(),
  }),
  ...bySpecs<LogisticParams>(LOGISTIC_PARAMETERS),
  defaultSpace: () => ({
    C: { kind: 'float', low: 1e-3, high: 1e3, log: true },
    penalty: { kind: 'categorical', choices: ['l2', 'l1'] },
    classWeight: { kind: 'categorical', choices: ['none', 'balanced'] },
    ...pipelineSpace(),
  }),
  capabilities: (task: Task, classes: number) => linearTags(task, classes, true),
  ...shared({ family: 'logistic-regression' }),
  libraries: () => ({ trainer: LOGISTIC_TRAINER_VERSION }),

  fit(set, params, context): Fit<LinearModel> {
    const { rows, pipeline, x, width, y } = linearData(set, params, context);
    const weights = new Float64Array(rows.length).fill(1);
    if (params.classWeight === 'balanced') {
      const counts = new Float64Array(set.classes);
      for (const c of y) counts[c]!++;
      y.forEach((c, i) => (weights[i] = rows.length / (set.classes * counts[c]!)));
    }
    const { coef, intercept, minimum } = fitLogistic(
      { x, rows: rows.length, width },
      y,
      set.classes,
      weights,
      params.C,
      params.maxIterations,
      params.penalty,
    );
    const model: LinearModel = {
      classes: set.classes,
      pipeline,
      coef,
      intercept,
      ...(params.penalty === 'l1' ? { l1: true as const } : {}),
      optimizer: {
        iterations: minimum.iterations,
        gradientNorm: minimum.gradientNorm,
        converged: minimum.converged,
      },
    };
    if (separates(model, x, y)) model.separable = true;
    return linearFit(model, set.features);
  },

  facts(m, encoding) {
    const o = m.optimizer!;
    return [
      [
        'Fitted',
        o.converged
          ? `converged after ${o.iterations} iterations of ${m.l1 ? 'OWL-QN (L-BFGS for an L1 penalty)' : 'L-BFGS'} (largest gradient component ${o.gradientNorm.toExponential(2)})${m.l1 ? `; ${m.coef.filter((c) => c === 0).length} of ${m.coef.length} coefficients are exactly zero` : ''}`
          : `did NOT converge within ${o.iterations} iterations (largest gradient component ${o.gradientNorm.toExponential(2)}): raise Max iterations, or lower C`,
      ],
      ...(m.separable
        ? [
            [
              'Separable',
              `the training rows' classes are separated perfectly by the coefficients' scores. The log loss keeps falling as the coefficients grow, so without a penalty they would grow without bound; the penalty (C) held the largest at ${Math.max(...m.coef.map(Math.abs)).toPrecision(3)}. Probabilities near 0 and 1 on these rows say little about new rows: a smaller C gives smoother ones, and the test scores say how well it separates rows it did not train on.`,
            ] as [string, string],
          ]
        : []),
      ...coefficientFacts(m, encoding),
      ...pipelineFacts(m.pipeline, encoding),
    ];
  },
};

/**
 * Whether every training row's own class has the highest score (two classes: the row's side
 * of zero, strictly): the classes are linearly separable, and the fit was held finite by the
 * penalty alone.
 */
function separates(m: LinearModel, design: Float64Array, y: Float64Array): boolean {
  const n = y.length;
  const z = scores(m, design, n);
  const k = m.intercept.length;
  for (let i = 0; i < n; i++) {
    const own = y[i]!;
    if (k === 1) {
      if ((own === 1 ? z[i]! : -z[i]!) <= 0) return false;
    } else {
      for (let c = 0; c < k; c++) if (c !== own && z[i * k + c]! >= z[i * k + own]!) return false;
    }
  }
  return n > 0;
}

export const linearRegression: Learner<RidgeParams, LinearModel> = {
  family: 'linear-regression',
  label: 'Linear regression',
  noun: 'linear regression',
  algorithm: 'orpheus-ridge-exact',
  tasks: ['regression'],
  defaults: () => ({ alpha: 1, ...pipelineDefaults() }),
  ...bySpecs<RidgeParams>(RIDGE_PARAMETERS),
  defaultSpace: () => ({
    alpha: { kind: 'float', low: 1e-3, high: 1e3, log: true },
    ...pipelineSpace(),
  }),
  capabilities: (task: Task, classes: number) => linearTags(task, classes, false),
  ...shared({ family: 'linear-regression' }),

  fit(set, params, context): Fit<LinearModel> {
    const { rows, pipeline, x, width, y } = linearData(set, params, context);
    const { coef, intercept } = fitRidge(
      { x, rows: rows.length, width },
      y,
      new Float64Array(rows.length).fill(1),
      params.alpha,
    );
    const model: LinearModel = {
      classes: 0,
      pipeline,
      coef,
      intercept: [intercept],
      optimizer: null,
    };
    return linearFit(model, set.features);
  },

  facts: (m, encoding) => [
    ['Fitted', 'solved exactly (the normal equations, through an eigendecomposition)'],
    ...coefficientFacts(m, encoding),
    ...pipelineFacts(m.pipeline, encoding),
  ],
};

export const linearSvm: Learner<SvmParams, LinearModel> = {
  family: 'linear-svm',
  label: 'Linear SVM',
  noun: 'linear SVM',
  algorithm: 'orpheus-linear-svm-dual-cd',
  tasks: ['classification'],
  defaults: () => ({ C: 1, loss: 'squared_hinge', maxIterations: 1000, ...pipelineDefaults() }),
  ...bySpecs<SvmParams>(SVM_PARAMETERS),
  defaultSpace: () => ({
    C: { kind: 'float', low: 1e-3, high: 1e3, log: true },
    loss: { kind: 'categorical', choices: ['squared_hinge', 'hinge'] },
    ...pipelineSpace(),
  }),
  capabilities: (task: Task, classes: number) => linearTags(task, classes, false),
  ...shared({ family: 'linear-svm' }),

  fit(set, params, context): Fit<LinearModel> {
    const { rows, pipeline, x, width, y } = linearData(set, params, context);
    // Two classes: one problem (the second class positive); more: one against the rest each.
    const problems = set.classes > 2 ? set.classes : 1;
    const random = seededRandom(context.seed);
    const coef: number[] = [];
    const intercept: number[] = [];
    let passes = 0;
    let spread = 0;
    let converged = true;
    for (let c = 0; c < problems; c++) {
      const positive = problems === 1 ? 1 : c;
      const sign = Float64Array.from(y, (v) => (v === positive ? 1 : -1));
      const r = fitSvm(
        { x, rows: rows.length, width },
        sign,
        params.C,
        params.loss,
        1e-4,
        params.maxIterations,
        random,
      );
      coef.push(...r.coef);
      intercept.push(r.intercept);
      passes = Math.max(passes, r.passes);
      spread = Math.max(spread, r.spread);
      converged &&= r.converged;
    }
    const model: LinearModel = {
      classes: set.classes,
      pipeline,
      coef,
      intercept,
      decision: true,
      optimizer: { iterations: passes, gradientNorm: spread, converged },
    };
    if (separates(model, x, y)) model.separable = true;
    return linearFit(model, set.features);
  },

  facts(m, encoding) {
    const o = m.optimizer!;
    return [
      [
        'Fitted',
        o.converged
          ? `converged after ${o.iterations} passes of dual coordinate descent (projected gradients within ${o.gradientNorm.toExponential(2)})`
          : `did NOT converge within ${o.iterations} passes (projected gradients ${o.gradientNorm.toExponential(2)} apart): raise Max passes, or lower C`,
      ],
      [
        'Probabilities',
        'none: an SVM gives decision values (which side of the margin, how far), not probabilities; they would need calibrating on held-out rows, which this version does not do',
      ],
      ...coefficientFacts(m, encoding),
      ...pipelineFacts(m.pipeline, encoding),
    ];
  },
};
