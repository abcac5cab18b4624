/**
 * The decision tree's settings: what they are called, their defaults and ranges, the space a
 * search explores, and the capability tags a tree has.
 */
import type { Params, SearchSpace } from '../../records';
import type { Task } from '../../vocabulary';
import { commonTags, type ParamSpec } from '../learner';
import { TrainingError } from '../training';
import { DEFAULT_CART_PARAMS, type CartParams } from './cart';

export const TREE_PARAMETERS: readonly ParamSpec[] = [
  {
    name: 'criterion',
    label: 'Split quality',
    kind: 'choice',
    choices: [
      { value: 'gini', label: 'gini', tasks: ['classification'] },
      { value: 'entropy', label: 'entropy', tasks: ['classification'] },
      { value: 'squared_error', label: 'squared error', tasks: ['regression'] },
    ],
  },
  {
    name: 'maxDepth',
    label: 'Max depth',
    kind: 'int',
    min: 1,
    step: 1,
    nullLabel: 'unlimited',
  },
  { name: 'minSamplesSplit', label: 'Min rows to split', kind: 'int', min: 2, step: 1 },
  { name: 'minSamplesLeaf', label: 'Min rows per leaf', kind: 'int', min: 1, step: 1 },
  {
    name: 'minImpurityDecrease',
    label: 'Min impurity decrease',
    kind: 'float',
    min: 0,
    step: 0.001,
  },
  {
    name: 'maxFeatures',
    label: 'Features tried per split',
    kind: 'choice',
    choices: [
      { value: 'all', label: 'all' },
      { value: 'sqrt', label: '√ of the features (random, seeded)' },
      { value: 'log2', label: 'log₂ of the features (random, seeded)' },
    ],
  },
  {
    name: 'classWeight',
    label: 'Class weights',
    kind: 'choice',
    tasks: ['classification'],
    choices: [
      { value: 'none', label: 'equal' },
      { value: 'balanced', label: 'balanced (rare classes count more)' },
    ],
  },
];

export function treeDefaults(task: Task): CartParams {
  return { ...DEFAULT_CART_PARAMS, criterion: task === 'regression' ? 'squared_error' : 'gini' };
}

export function checkTreeParams(p: CartParams, task: Task): void {
  const int = (v: number, min: number, what: string): void => {
    if (!Number.isInteger(v) || v < min)
      throw new TrainingError(`${what} must be a whole number of at least ${min}.`);
  };
  if (p.maxDepth !== null) int(p.maxDepth, 1, 'Max depth');
  int(p.minSamplesSplit, 2, 'Min samples to split');
  int(p.minSamplesLeaf, 1, 'Min samples per leaf');
  if (!(p.minImpurityDecrease >= 0))
    throw new TrainingError('Min impurity decrease cannot be negative.');
  if ((task === 'regression') !== (p.criterion === 'squared_error'))
    throw new TrainingError(
      task === 'regression'
        ? 'Regression uses the squared-error criterion.'
        : 'Classification uses the gini or entropy criterion.',
    );
}

/**
 * The tree trainer's settings as a space. `maxDepth` 0 stands for "unlimited" so that depth
 * stays one integer range.
 */
export function defaultTreeSpace(task: Task): SearchSpace {
  const space: SearchSpace = {
    maxDepth: { kind: 'int', low: 1, high: 20, step: 1, log: false },
    minSamplesSplit: { kind: 'int', low: 2, high: 40, step: 1, log: true },
    minSamplesLeaf: { kind: 'int', low: 1, high: 30, step: 1, log: true },
    minImpurityDecrease: { kind: 'float', low: 0, high: 0.02, log: false },
    maxFeatures: { kind: 'categorical', choices: ['all', 'sqrt', 'log2'] },
  };
  if (task === 'classification') {
    space['criterion'] = { kind: 'categorical', choices: ['gini', 'entropy'] };
    space['classWeight'] = { kind: 'categorical', choices: ['none', 'balanced'] };
  }
  return space;
}

/** Trial parameters as trainer settings (anything not searched keeps its default). */
export function paramsToCart(params: Params, base: CartParams): CartParams {
  const out: CartParams = { ...base };
  const num = (k: string): number | undefined =>
    typeof params[k] === 'number' ? (params[k] as number) : undefined;
  if (num('maxDepth') !== undefined)
    out.maxDepth = num('maxDepth')! === 0 ? null : num('maxDepth')!;
  if (num('minSamplesSplit') !== undefined) out.minSamplesSplit = num('minSamplesSplit')!;
  if (num('minSamplesLeaf') !== undefined) out.minSamplesLeaf = num('minSamplesLeaf')!;
  if (num('minImpurityDecrease') !== undefined)
    out.minImpurityDecrease = num('minImpurityDecrease')!;
  if (typeof params['criterion'] === 'string')
    out.criterion = params['criterion'] as CartParams['criterion'];
  if (typeof params['maxFeatures'] === 'string')
    out.maxFeatures = params['maxFeatures'] as CartParams['maxFeatures'];
  if (typeof params['classWeight'] === 'string')
    out.classWeight = params['classWeight'] as CartParams['classWeight'];
  return out;
}

/**
 * What a tree can do, like scikit-learn's estimator tags; model audition matches them with a
 * dataset's requirements.
 */
export function treeCapabilities(task: Task, classes: number, params: CartParams): string[] {
  // Its probabilities are the class shares of each leaf's training rows.
  const tags = commonTags(task, classes, true);
  if (params.maxFeatures !== 'all') tags.push('seeded-randomness');
  return tags;
}
