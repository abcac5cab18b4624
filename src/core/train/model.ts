/**
 * A training run from a dataset version to everything a model version records: the fitted
 * model, its size and importances, cross-validated and hold-out scores, the encoding that maps
 * raw rows, the capability tags. Any family, through its learner. This is what the worker
 * runs; the app saves the result.
 */
import { checkTrainable, type DatasetContent } from '../data/content';
import { toMatrix } from '../data/matrix';
import type { Fit } from '../learners/learner';
import { DEFAULT_FAMILY, learnerFor } from '../learners/registry';
import { TrainingError, type TrainingSet } from '../learners/training';
import type { DatasetProfile, Encoding, MetricName, Params } from '../records';
import type { Task } from '../vocabulary';
import { evaluate, type Evaluation, type EvaluationPlan, type Progress } from './evaluate';

/** How to train: the family and its settings, how to judge it, and which metric ranks it. */
export interface TrainSpec {
  /** The model family (the decision tree when absent). */
  family?: string;
  params: Params;
  plan: EvaluationPlan;
  metric: MetricName;
}

export interface TrainResult extends Omit<Evaluation, 'fit'> {
  family: string;
  /** The fitted model, plain data in the family's format. */
  fitted: unknown;
  importances: number[];
  featuresUsed: number[];
  size: Fit<unknown>['size'];
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

/** A family's default settings for a task. */
export function defaultParams(task: Task, family = DEFAULT_FAMILY): Params {
  return learnerFor(family).defaults(task);
}

/** The data set as the learners see it, after the checks that give a person a clear message. */
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

/** Trains one configuration: cross-validation, then the final model on the training part. */
export function trainModel(
  content: DatasetContent,
  spec: TrainSpec,
  onProgress: Progress = () => {},
): TrainResult {
  const family = spec.family ?? DEFAULT_FAMILY;
  const learner = learnerFor(family);
  const { set, encoding, droppedRows } = trainingSet(content);
  if (!learner.tasks.includes(encoding.task))
    throw new TrainingError(`A ${learner.label.toLowerCase()} cannot learn ${encoding.task}.`);
  learner.checkParams(spec.params, encoding.task);
  const { fit, ...e } = evaluate(set, learner, spec.params, spec.plan, onProgress);
  return {
    ...e,
    family,
    fitted: fit.fitted,
    importances: fit.importances,
    featuresUsed: fit.featuresUsed,
    size: fit.size,
    encoding,
    droppedRows,
    tags: learner.capabilities(encoding.task, encoding.classes?.length ?? 0, spec.params),
  };
}
