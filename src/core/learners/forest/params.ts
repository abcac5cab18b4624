/**
 * The settings of the two forest families: the number of trees, the bootstrap, the features
 * tried per split, class weights, and every setting of the single tree. Defaults are
 * scikit-learn's (`RandomForestClassifier`, `ExtraTreesClassifier` and their regressors).
 */
import type { Params, SearchSpace } from '../../records';
import type { Task } from '../../vocabulary';
import type { ParamSpec } from '../learner';
import { DEFAULT_CART_PARAMS, type CartParams } from '../tree/cart';
import { checkTreeParams, paramsToCart, TREE_PARAMETERS } from '../tree/params';
import { TrainingError } from '../training';

export type ForestParams = Omit<CartParams, 'classWeight'> & {
  nTrees: number;
  bootstrap: 'yes' | 'no';
  classWeight: 'none' | 'balanced' | 'balanced_subsample';
};

/** The most trees a forest may have: beyond it, the store and the browser's memory suffer. */
export const MAX_TREES = 2000;

const MAX_FEATURES_CHOICES = [
  { value: 'sqrt', label: '√ of the features' },
  { value: 'log2', label: 'log₂ of the features' },
  { value: '0.3', label: '30 % of the features' },
  { value: '0.5', label: '50 % of the features' },
  { value: '0.7', label: '70 % of the features' },
  { value: 'all', label: 'all' },
] as const;

const CLASS_WEIGHT_CHOICES = [
  { value: 'none', label: 'equal' },
  { value: 'balanced', label: 'balanced over the rows trained on' },
  { value: 'balanced_subsample', label: 'balanced over each tree’s sample' },
] as const;

export function forestParameters(extraTrees: boolean): readonly ParamSpec[] {
  const tree = TREE_PARAMETERS.filter((p) => p.name !== 'maxFeatures' && p.name !== 'classWeight');
  return [
    {
      name: 'nTrees',
      label: 'Trees',
      hint: 'more trees: steadier, slower',
      kind: 'int',
      min: 1,
      step: 1,
    },
    {
      name: 'bootstrap',
      label: 'Bootstrap samples',
      hint: extraTrees
        ? 'off: each tree sees every row (as extra trees do by default)'
        : 'on: each tree sees rows drawn with replacement, and the rows it missed give the out-of-bag score',
      kind: 'choice',
      choices: [
        { value: 'yes', label: 'yes (seeded)' },
        { value: 'no', label: 'no: every tree sees every row' },
      ],
    },
    {
      name: 'maxFeatures',
      label: 'Features tried per split',
      hint: 'a fresh random subset at every split (seeded)',
      kind: 'choice',
      choices: MAX_FEATURES_CHOICES,
    },
    ...tree,
    {
      name: 'classWeight',
      label: 'Class weights',
      kind: 'choice',
      tasks: ['classification'],
      choices: CLASS_WEIGHT_CHOICES,
    },
  ];
}

export function forestDefaults(task: Task, extraTrees: boolean): ForestParams {
  return {
    ...DEFAULT_CART_PARAMS,
    criterion: task === 'regression' ? 'squared_error' : 'gini',
    // scikit-learn 1.2: √p features per split for classification, all of them for regression.
    maxFeatures: task === 'regression' ? 'all' : 'sqrt',
    nTrees: 100,
    bootstrap: extraTrees ? 'no' : 'yes',
    classWeight: 'none',
  };
}

export function checkForestParams(p: ForestParams, task: Task): void {
  if (!Number.isInteger(p.nTrees) || p.nTrees < 1 || p.nTrees > MAX_TREES)
    throw new TrainingError(
      `Trees must be a whole number from 1 to ${MAX_TREES}; it is ${p.nTrees}.`,
    );
  if (p.bootstrap !== 'yes' && p.bootstrap !== 'no')
    throw new TrainingError('Bootstrap samples must be yes or no.');
  if (!MAX_FEATURES_CHOICES.some((c) => c.value === p.maxFeatures))
    throw new TrainingError(
      `Features tried per split must be one of ${MAX_FEATURES_CHOICES.map((c) => c.value).join(', ')}.`,
    );
  if (!CLASS_WEIGHT_CHOICES.some((c) => c.value === p.classWeight))
    throw new TrainingError('Class weights must be equal, balanced or balanced per sample.');
  checkTreeParams({ ...p, classWeight: 'none' }, task);
}

export function defaultForestSpace(task: Task): SearchSpace {
  const space: SearchSpace = {
    nTrees: { kind: 'int', low: 20, high: 300, step: 1, log: true },
    maxDepth: { kind: 'int', low: 2, high: 30, step: 1, log: false },
    minSamplesLeaf: { kind: 'int', low: 1, high: 20, step: 1, log: true },
    maxFeatures: { kind: 'categorical', choices: MAX_FEATURES_CHOICES.map((c) => c.value) },
  };
  if (task === 'classification') {
    space['criterion'] = { kind: 'categorical', choices: ['gini', 'entropy'] };
    space['classWeight'] = {
      kind: 'categorical',
      choices: CLASS_WEIGHT_CHOICES.map((c) => c.value),
    };
  }
  return space;
}

export function paramsToForest(params: Params, base: ForestParams): ForestParams {
  const tree = paramsToCart(params, { ...base, classWeight: 'none' });
  const out: ForestParams = { ...base, ...tree, classWeight: base.classWeight };
  if (typeof params['nTrees'] === 'number') out.nTrees = params['nTrees'];
  if (params['bootstrap'] === 'yes' || params['bootstrap'] === 'no')
    out.bootstrap = params['bootstrap'];
  if (typeof params['classWeight'] === 'string')
    out.classWeight = params['classWeight'] as ForestParams['classWeight'];
  return out;
}
