/**
 * The baseline family: what guessing scores, as scikit-learn's `DummyClassifier` and
 * `DummyRegressor` (and Weka's ZeroR) do. It ignores the features: a classifier answers the
 * most common class of its training rows, with their class shares as probabilities ("prior")
 * or all of the probability on that class ("most_frequent"); a regressor answers their mean
 * or median. Every other model should beat it; one that does not has learned nothing.
 */
import * as v from 'valibot';
import type { Params, SearchSpace } from '../../records';
import type { Task } from '../../vocabulary';
import { commonTags, type Fit, type Learner, type ParamSpec, type Prediction } from '../learner';
import { TrainingError } from '../training';

export type BaselineStrategy = 'prior' | 'most_frequent' | 'mean' | 'median';
export type BaselineParams = { strategy: BaselineStrategy };

export interface Baseline {
  /** Classes (0 for regression). */
  classes: number;
  strategy: BaselineStrategy;
  /** Class probabilities it answers (classification). */
  probabilities: number[];
  /** The value it answers (regression), or the class code. */
  value: number;
}

const PARAMETERS: readonly ParamSpec[] = [
  {
    name: 'strategy',
    label: 'Answer',
    kind: 'choice',
    choices: [
      {
        value: 'prior',
        label: 'the most common class, with the class shares as probabilities',
        tasks: ['classification'],
      },
      {
        value: 'most_frequent',
        label: 'the most common class, with certainty',
        tasks: ['classification'],
      },
      { value: 'mean', label: 'the mean of the target', tasks: ['regression'] },
      { value: 'median', label: 'the median of the target', tasks: ['regression'] },
    ],
  },
];

const BaselineSchema = v.strictObject({
  classes: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000)),
  strategy: v.picklist(['prior', 'most_frequent', 'mean', 'median']),
  probabilities: v.array(v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1))),
  value: v.pipe(v.number(), v.finite()),
});

function median(values: number[]): number {
  const s = values.sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function predictBaseline(b: Baseline, rows: number, classes: number): Prediction {
  const predictions = new Float64Array(rows).fill(b.value);
  if (classes === 0) return { predictions, probabilities: null };
  const probabilities = new Float64Array(rows * classes);
  for (let r = 0; r < rows; r++) probabilities.set(b.probabilities, r * classes);
  return { predictions, probabilities };
}

export const baseline: Learner<BaselineParams, Baseline> = {
  family: 'baseline',
  label: 'Baseline (guessing)',
  noun: 'baseline',
  algorithm: 'orpheus-baseline',
  tasks: ['classification', 'regression'],
  libraries: () => ({ trainer: '1' }),
  parameters: PARAMETERS,
  defaults: (task: Task) => ({ strategy: task === 'regression' ? 'mean' : 'prior' }),
  withParams: (params: Params, base: BaselineParams) =>
    typeof params['strategy'] === 'string'
      ? { strategy: params['strategy'] as BaselineStrategy }
      : base,
  checkParams(p, task) {
    const allowed = task === 'regression' ? ['mean', 'median'] : ['prior', 'most_frequent'];
    if (!allowed.includes(p.strategy))
      throw new TrainingError(
        `The baseline's answer for ${task} is ${allowed.join(' or ')}, not "${p.strategy}".`,
      );
  },
  defaultSpace: (task): SearchSpace => ({
    strategy: {
      kind: 'categorical',
      choices: task === 'regression' ? ['mean', 'median'] : ['prior', 'most_frequent'],
    },
  }),
  capabilities: (task, classes) => [...commonTags(task, classes, true), 'baseline'],
  handlesMissing: () => true,
  preprocessing: (encoding) => [
    `It does not look at the features (${encoding.features.map((f) => f.name).join(', ')}): every row gets the same answer.`,
    `Rows without a value for "${encoding.target}" are not used.`,
  ],

  fit(set, params, context): Fit<Baseline> {
    const rows = context.subset ?? new Int32Array(set.rows).map((_, i) => i);
    if (rows.length === 0) throw new TrainingError('There are no rows to train on.');
    if (set.classes === 0) {
      const ys = Array.from(rows, (r) => set.y[r]!);
      const value =
        params.strategy === 'median' ? median(ys) : ys.reduce((a, b) => a + b, 0) / ys.length;
      return {
        fitted: { classes: 0, strategy: params.strategy, probabilities: [], value },
        importances: new Array<number>(set.features).fill(0),
        featuresUsed: [],
        size: { rows: rows.length },
      };
    }
    const counts = new Array<number>(set.classes).fill(0);
    for (const r of rows) counts[set.y[r]!]!++;
    // The first of the most common classes, as scikit-learn's argmax picks it.
    const top = counts.indexOf(Math.max(...counts));
    const probabilities =
      params.strategy === 'most_frequent'
        ? counts.map((_, c) => (c === top ? 1 : 0))
        : counts.map((c) => c / rows.length);
    return {
      fitted: { classes: set.classes, strategy: params.strategy, probabilities, value: top },
      importances: new Array<number>(set.features).fill(0),
      featuresUsed: [],
      size: { rows: rows.length },
    };
  },
  predict: (b, _x, rows, _features, classes) => predictBaseline(b, rows, classes),
  predictRow(b, _x, classes) {
    const p = predictBaseline(b, 1, classes);
    return {
      value: b.value,
      probabilities: p.probabilities ? Array.from(p.probabilities) : null,
      path: ['constant'],
    };
  },
  explainRow: () => ['A baseline gives every row the same answer, whatever its values.'],
  facts: (b, encoding) => [
    [
      'Answers',
      b.classes === 0
        ? `${b.strategy === 'median' ? 'the median' : 'the mean'}, ${b.value.toPrecision(4)}, for every row`
        : `${encoding.classes?.[b.value] ?? `class ${b.value + 1}`} for every row${b.strategy === 'prior' ? ', with the class shares of its training rows as probabilities' : ''}`,
    ],
  ],
  fittedSchema: BaselineSchema,
  checkFitted(b, encoding) {
    const classes = encoding.classes?.length ?? 0;
    if (b.classes !== classes)
      return `is a baseline for ${b.classes} classes, but the version has ${classes}`;
    if (
      classes > 0 &&
      (b.probabilities.length !== classes ||
        !Number.isInteger(b.value) ||
        b.value < 0 ||
        b.value >= classes)
    )
      return 'has class probabilities or a class that do not match its classes';
    return null;
  },
  describeSize: (s) => `a constant answer, from ${s['rows'] ?? 0} rows`,
  same: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  onnx: async (b, encoding) =>
    (await import('../forest/onnx')).ensembleOnnx(
      [
        {
          feature: [-1],
          threshold: [0],
          left: [-1],
          right: [-1],
          missingLeft: [0],
          samples: [0],
          value: b.classes > 0 ? b.probabilities : [b.value],
        },
      ],
      encoding,
      'a baseline (the same answer for every row) made in Orpheus',
    ),
};
