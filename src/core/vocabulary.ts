/**
 * The words every part of Orpheus shares: tasks, column types and roles, metric names, the
 * cases of `train(data, model)`, samplers and trial states. A leaf module: it imports nothing
 * of Orpheus, so records, learners, search and data can all use it without a cycle. Each word
 * list is a valibot picklist, and its type is derived from it.
 */
import * as v from 'valibot';

/** How every long job reports how far it is: `done` of `total` steps. */
export type Progress = (done: number, total: number) => void;

export const TaskSchema = v.picklist(['classification', 'regression']);
export type Task = v.InferOutput<typeof TaskSchema>;

export const ColumnTypeSchema = v.picklist(['numeric', 'categorical', 'boolean', 'text-id']);
export type ColumnType = v.InferOutput<typeof ColumnTypeSchema>;

export const ColumnRoleSchema = v.picklist(['feature', 'target', 'ignored']);
export type ColumnRole = v.InferOutput<typeof ColumnRoleSchema>;

/** The longest column name, model or dataset name, id and free text Orpheus writes or reads. */
export const MAX_NAME = 1000;
export const MAX_ID = 200;
export const MAX_TEXT = 100_000;

export const ColumnSchemaSchema = v.strictObject({
  name: v.pipe(v.string(), v.maxLength(MAX_NAME)),
  type: ColumnTypeSchema,
  role: ColumnRoleSchema,
  /**
   * Category values that differ only by case, surrounding spaces or accents ("yes", "Yes",
   * " YES") are one category, spelled as its most frequent form. Applied when the version is
   * built and again to every value a model of it is asked to predict.
   */
  mergeVariants: v.optional(v.literal(true)),
});
export type ColumnSchema = v.InferOutput<typeof ColumnSchemaSchema>;

/** The metrics a model can be ranked by (their labels and directions are in `train/metrics`). */
export const METRIC_NAMES = [
  'accuracy',
  'balanced_accuracy',
  'f1_macro',
  'log_loss',
  'r2',
  'rmse',
  'mae',
] as const;
export const MetricNameSchema = v.picklist(METRIC_NAMES);
export type MetricName = v.InferOutput<typeof MetricNameSchema>;

/**
 * Which case of `train(data, model)` made a version: `search-new` (new data + new model: a
 * search, the best saved as v1), `retrain` (new data + existing model: the next version),
 * `train-new` (existing data + new model: the chosen settings as v1), `history` (existing data
 * + existing model: nothing trained).
 */
export const ScenarioSchema = v.picklist(['search-new', 'retrain', 'train-new', 'history']);
export type Scenario = v.InferOutput<typeof ScenarioSchema>;

export const SamplerKindSchema = v.picklist(['tpe', 'tpe-multivariate', 'random', 'grid', 'bohb']);
export type SamplerKind = v.InferOutput<typeof SamplerKindSchema>;

export const DirectionSchema = v.picklist(['maximize', 'minimize']);
export type Direction = v.InferOutput<typeof DirectionSchema>;

export type TrialState = 'running' | 'complete' | 'pruned' | 'failed';
/** Only finished trials are stored. */
export const StoredTrialStateSchema = v.picklist(['complete', 'pruned', 'failed']);

/** `paused` covers a study stopped by the person or interrupted by a closed tab: it can resume. */
export const StudyStateSchema = v.picklist(['running', 'paused', 'complete', 'cancelled']);
export type StudyState = v.InferOutput<typeof StudyStateSchema>;

/** The kinds of record an event can name. */
export const RecordKindSchema = v.picklist([
  'dataset',
  'datasetVersion',
  'model',
  'modelVersion',
  'study',
  'trial',
  'prediction',
  'setting',
]);
export type RecordKind = v.InferOutput<typeof RecordKindSchema>;
