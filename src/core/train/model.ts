/**
 * A training run from a dataset version to everything a model version records: the fitted
 * model, its size and importances, cross-validated and hold-out scores, the encoding that maps
 * raw rows, the capability tags. Any family, through its learner. This is what the worker
 * runs; the app saves the result.
 */
import { checkTrainable, type DatasetContent } from '../data/content';
import { toMatrix } from '../data/matrix';
import type { AnyLearner, Fit } from '../learners/learner';
import { DEFAULT_FAMILY, learnerFor } from '../learners/registry';
import { TrainingError, type TrainingSet } from '../learners/training';
import type { DatasetProfile, Encoding, MetricName, Params } from '../records';
import type { Task } from '../vocabulary';
import {
  fitAndScore,
  fitContext,
  foldScores,
  prepare,
  spreadOverFolds,
  type Evaluation,
  type EvaluationPlan,
  type Prepared,
  type Progress,
} from './evaluate';

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

/** Per feature of an encoding, its number of categories (0 for a number). */
export function categoriesOf(encoding: Encoding): number[] {
  return encoding.features.map((f) => (f.kind === 'categorical' ? f.categories.length : 0));
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
    set: {
      x: m.x,
      rows: m.rows,
      features: m.features,
      y: m.y,
      classes,
      categories: categoriesOf(m.encoding),
    },
    encoding: m.encoding,
    droppedRows: m.droppedRows,
  };
}

/** One training run's data, prepared once per worker: the set, its split and folds, the learner. */
export interface PreparedRun {
  learner: AnyLearner;
  spec: TrainSpec;
  family: string;
  prep: Prepared;
  encoding: Encoding;
  droppedRows: number;
}

/** Checks the spec against the data and prepares the split, folds and shared work. */
export function prepareRun(content: DatasetContent, spec: TrainSpec): PreparedRun {
  const family = spec.family ?? DEFAULT_FAMILY;
  const learner = learnerFor(family);
  const { set, encoding, droppedRows } = trainingSet(content);
  if (!learner.tasks.includes(encoding.task))
    throw new TrainingError(`A ${learner.label.toLowerCase()} cannot learn ${encoding.task}.`);
  learner.checkParams(spec.params, encoding.task);
  return { learner, spec, family, prep: prepare(set, spec.plan), encoding, droppedRows };
}

/** A group of units [from, to) of the final fit (trees of a forest), trained as one job. */
export interface FinalPiece {
  from: number;
  to: number;
}

/**
 * How the final fit of a run splits into `groups` jobs, or null when its family fits in one
 * piece. Each fold is a job of its own either way.
 */
export function finalPieces(spec: TrainSpec, groups: number): FinalPiece[] | null {
  const pieces = learnerFor(spec.family ?? DEFAULT_FAMILY).pieces;
  if (!pieces || groups < 2) return null;
  const n = pieces.count(spec.params);
  if (n < 2) return null;
  const size = Math.ceil(n / Math.min(groups, n));
  const out: FinalPiece[] = [];
  for (let from = 0; from < n; from += size) out.push({ from, to: Math.min(n, from + size) });
  return out;
}

/** Fold k of a run: fitted on the other folds, scored on this one. */
export function runFold(run: PreparedRun, k: number): Partial<Record<MetricName, number>> {
  return foldScores(run.prep, run.learner, run.spec.params, k);
}

/** Units [from, to) of the run's final fit, with the time they took. */
export function runPiece(run: PreparedRun, piece: FinalPiece): { part: unknown; ms: number } {
  const t0 = performance.now();
  const { learner, spec, prep } = run;
  const part = learner.pieces!.fit(
    prep.set,
    spec.params,
    fitContext(prep, prep.folds.length),
    piece.from,
    piece.to,
  );
  return { part, ms: performance.now() - t0 };
}

/** Everything of a run but its cross-validation: the final fit and its hold-out score. */
export type FinalFit = Omit<TrainResult, 'cv'>;

/**
 * The final fit of a run, scored on the hold-out; from `parts` (in piece order) when it was
 * trained in pieces, which gives the same model as one worker does.
 */
export function runFinal(
  run: PreparedRun,
  parts: readonly { part: unknown; ms: number }[] | null,
): FinalFit {
  const { learner, spec, prep, encoding } = run;
  const made = parts
    ? {
        fit: learner.pieces!.join(
          prep.set,
          spec.params,
          parts.map((p) => p.part),
        ),
        ms: parts.reduce((a, p) => a + p.ms, 0),
      }
    : undefined;
  const { fit, ...final } = fitAndScore(prep, learner, spec.params, made);
  return {
    ...final,
    family: run.family,
    fitted: fit.fitted,
    importances: fit.importances,
    featuresUsed: fit.featuresUsed,
    size: fit.size,
    encoding,
    droppedRows: run.droppedRows,
    tags: learner.capabilities(encoding.task, encoding.classes?.length ?? 0, spec.params),
  };
}

/** The run's result: its final fit with the folds' scores (in fold order) as its cross-validation. */
export function withFolds(
  final: FinalFit,
  perFold: readonly Partial<Record<MetricName, number>>[],
): TrainResult {
  return { ...final, cv: spreadOverFolds(perFold) };
}

/** Trains one configuration in one place: cross-validation, then the final model on the training part. */
export function trainModel(
  content: DatasetContent,
  spec: TrainSpec,
  onProgress: Progress = () => {},
): TrainResult {
  const run = prepareRun(content, spec);
  const total = spec.plan.folds + 1;
  const perFold = run.prep.folds.map((_, k) => {
    const scores = runFold(run, k);
    onProgress(k + 1, total);
    return scores;
  });
  const result = withFolds(runFinal(run, null), perFold);
  onProgress(total, total);
  return result;
}
