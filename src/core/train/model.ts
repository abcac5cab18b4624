/**
 * A training run from a dataset version to everything a model version records: the tree, its
 * shape and importances, cross-validated and hold-out scores, the encoding that maps raw rows,
 * the capability tags. This is what the worker runs; the app saves the result.
 */
import { checkTrainable, type DatasetContent } from '../data/content';
import { toMatrix, type Encoding } from '../data/matrix';
import type { DatasetProfile } from '../data/profile';
import type { Task } from '../records';
import { DEFAULT_CART_PARAMS, TrainingError, type CartParams, type TrainingSet } from './cart';
import { evaluate, type Evaluation, type EvaluationPlan, type ProgressFn } from './evaluate';
import type { MetricName } from './metrics';

/** Bumped whenever the trainer could build a different tree from the same data and settings. */
export const TRAINER_VERSION = '1';
export const ALGORITHM = 'orpheus-cart';

/** How to train: the tree's settings, how to judge it, and which metric ranks it. */
export interface TrainSpec {
  params: CartParams;
  plan: EvaluationPlan;
  metric: MetricName;
}

export interface TrainResult extends Omit<Evaluation, 'fitted'> {
  tree: Evaluation['fitted']['tree'];
  importances: number[];
  encoding: Encoding;
  /** Rows left out because their target was missing. */
  droppedRows: number;
  tags: string[];
}

/** The metric that ranks models by default: macro F1 when classes are unbalanced, else accuracy; R² for regression. */
export function defaultMetric(task: Task, profile: DatasetProfile | null): MetricName {
  if (task === 'regression') return 'r2';
  const counts = profile?.classBalance?.map((c) => c.count) ?? [];
  if (counts.length >= 2 && Math.max(...counts) > 1.5 * Math.min(...counts)) return 'f1_macro';
  return 'accuracy';
}

export function defaultParams(task: Task): CartParams {
  return { ...DEFAULT_CART_PARAMS, criterion: task === 'regression' ? 'squared_error' : 'gini' };
}

/**
 * What a version can do, like scikit-learn's estimator tags; model audition matches them with
 * a dataset's requirements.
 */
export function capabilityTags(task: Task, classes: number, params: CartParams): string[] {
  const tags = ['handles-missing-values', 'categorical-features', 'any-target-sign'];
  if (task === 'regression') tags.push('regression');
  else
    tags.push(
      'classification',
      'binary',
      'multiclass',
      classes > 2 ? 'trained-multiclass' : 'trained-binary',
    );
  if (params.maxFeatures !== 'all') tags.push('seeded-randomness');
  return tags;
}

/** The data set as the trainer sees it, after the checks that give a person a clear message. */
export function trainingSet(content: DatasetContent): {
  set: TrainingSet;
  encoding: Encoding;
  droppedRows: number;
} {
  checkTrainable(content);
  const m = toMatrix(content);
  if (m.rows === 0)
    throw new TrainingError('No row has a target value: there is nothing to learn from.');
  const classes = m.encoding.classes?.length ?? 0;
  return {
    set: { x: m.x, rows: m.rows, features: m.features, y: m.y, classes },
    encoding: m.encoding,
    droppedRows: m.droppedRows,
  };
}

function checkParams(p: CartParams, task: Task): void {
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

/** Trains one configuration: cross-validation, then the final tree on the training part. */
export function trainModel(
  content: DatasetContent,
  spec: TrainSpec,
  onProgress: ProgressFn = () => {},
): TrainResult {
  const { set, encoding, droppedRows } = trainingSet(content);
  checkParams(spec.params, encoding.task);
  const { fitted, ...e } = evaluate(set, spec.params, spec.plan, onProgress);
  return {
    ...e,
    tree: fitted.tree,
    importances: fitted.importances,
    encoding,
    droppedRows,
    tags: capabilityTags(encoding.task, encoding.classes?.length ?? 0, spec.params),
  };
}
