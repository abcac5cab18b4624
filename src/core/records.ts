import type { DatasetContent, StoredColumn } from './data/content';
import type { VersionChange } from './data/derive';
import type { Encoding } from './data/matrix';
import type { DatasetProfile } from './data/profile';
import type { CartParams } from './train/cart';
import type { EvaluationPlan, Spread } from './train/evaluate';
import type { ClassificationScores, MetricName, RegressionScores } from './train/metrics';
import type { MonitorSettings } from './predict/monitor';
import type { Halving } from './search/pruning';
import type { Direction, SamplerKind, TrialState } from './search/samplers';
import type { Params, SearchSpace } from './search/space';
import type { Scenario } from './train/scenario';
import type { TreeModel } from './train/tree';

/**
 * The records Orpheus keeps. Each kind has exactly one TypeScript type, here in the pure
 * core, and the store (IndexedDB) and the backup format both use it.
 *
 * Identifiers are strings. Times are ISO-8601 strings in UTC, so records compare,
 * sort and serialize the same everywhere. `author` is the person's name from settings
 * at the moment the record was made.
 */

/** Fields every stored record carries. */
export interface Authored {
  /** Who made the record (the person's name in settings when it was written). */
  author: string;
  /** When it was made, ISO-8601 UTC. */
  createdAt: string;
}

export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'text-id';
export type ColumnRole = 'feature' | 'target' | 'ignored';
export type Task = 'classification' | 'regression';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  role: ColumnRole;
}

/** A named dataset; its content lives in immutable versions. */
export interface DatasetRecord extends Authored {
  id: string;
  name: string;
  description: string;
}

/** An immutable version of a dataset, keyed by the SHA-256 of its canonical content. */
export interface DatasetVersionRecord extends Authored, Omit<DatasetContent, 'columns'> {
  /** SHA-256 (hex) of the canonical serialization of rows and schema (`contentHash`). */
  id: string;
  datasetId: string;
  /** 1, 2, 3 … within its dataset. */
  number: number;
  /** The version this one was derived from, or null for an import. */
  parentId: string | null;
  /** Where it came from: a file name, a bundled sample, an edit. */
  source: string;
  /** Counts, missing values, ranges, class balance. */
  profile: DatasetProfile;
  /** What changed relative to the parent (or `import`). */
  change: VersionChange;
}

/**
 * The rows of a dataset version, column by column (typed arrays for numbers), kept apart
 * from the version's description so that listing versions never loads their data.
 */
export interface DatasetColumnsRecord {
  /** The dataset version's id. */
  id: string;
  /** One per schema column, in the same order. */
  columns: StoredColumn[];
}

/** What people say about a version: versions never change, their notes and tags can. */
export interface VersionNote {
  note: string;
  tags: string[];
}

/** A named model; its trained trees live in immutable versions. */
export interface ModelRecord extends Authored {
  id: string;
  name: string;
  task: Task;
  /** The metric that ranks this model's versions (e.g. macro F1 for unbalanced classes). */
  metric: MetricName;
  /** Alias name (`champion`, `challenger`, free names) → model version id. Aliases move; versions never change. */
  aliases: Record<string, string>;
  /** Notes and free tags per version id. */
  notes: Record<string, VersionNote>;
  /** Retrain triggers and the promotion gate (defaults when absent). */
  monitor?: MonitorSettings;
  /** What the model is for, in its owner's words (the model card's first section). */
  intendedUse?: string;
}

/** Sizes and parts of a trained tree. */
export interface ModelParameters {
  depth: number;
  nodes: number;
  leaves: number;
  featuresUsed: string[];
  /** Feature name → share of the total impurity decrease. */
  importances: Record<string, number>;
}

/** An immutable, numbered version of a model (v1, v2 …). */
export interface ModelVersionRecord extends Authored {
  id: string;
  modelId: string;
  number: number;
  /** The version this one was retrained from, or null for v1. */
  parentId: string | null;
  datasetVersionId: string;
  /** Which case of train(data, model) made it. */
  scenario: Scenario;
  algorithm: string;
  /** `orpheus` (the app), `trainer`, `ml-cart` (the tree format and predictor). */
  libraryVersions: Record<string, string>;
  /** Every hyperparameter, defaults included. */
  hyperparameters: CartParams;
  /** How it was judged: folds and hold-out share (the seed is `seed`). */
  evaluation: Omit<EvaluationPlan, 'seed'>;
  metric: MetricName;
  /** The serialized tree: JSON data, never code (ml-cart's format). */
  tree: TreeModel;
  /** How raw rows become the tree's inputs: feature order, category codes, class labels. */
  encoding: Encoding;
  /** What happens to a raw row before the tree sees it, in words. */
  preprocessing: string[];
  modelParameters: ModelParameters;
  scores: {
    cv: Partial<Record<MetricName, Spread>>;
    holdout: ClassificationScores | RegressionScores;
  };
  /** The hold-out rows (indices among the version's rows with a target) and the tree's predictions for them. */
  holdout: { rows: number[]; predictions: number[] };
  trainRows: number;
  /** Rows of the data version left out because their target was missing. */
  droppedRows: number;
  trainingMs: number;
  seed: number;
  /** Capability tags (handles missing values, multiclass …) for model audition. */
  tags: string[];
  /** The browser and platform it was trained in. */
  environment: { userAgent: string; platform: string };
  /** The search study whose best trial chose the settings, if any. */
  search: { kind: 'study'; studyId: string; trial: number } | null;
}

/** `paused` covers a study stopped by the person or interrupted by a closed tab: it can resume. */
export type StudyState = 'running' | 'paused' | 'complete' | 'cancelled';

/** A hyperparameter search. */
export interface StudyRecord extends Authored {
  id: string;
  name: string;
  datasetVersionId: string;
  space: SearchSpace;
  sampler: SamplerKind;
  /** Grid: values per numeric range. */
  gridPoints: number;
  seed: number;
  metric: MetricName;
  direction: Direction;
  /** Number of trials to run. */
  budget: number;
  /** Successive halving over training-set size, or one full rung. */
  halving: Halving;
  evaluation: Omit<EvaluationPlan, 'seed'>;
  state: StudyState;
  /** The model whose next version the best trial becomes (a new model when null). */
  modelId: string | null;
  /** The model version trained from the best trial, once saved. */
  bestVersionId: string | null;
}

export type { TrialState };

/** One finished trial of a study (running trials are not stored). */
export interface TrialRecord extends Authored {
  id: string;
  studyId: string;
  number: number;
  params: Params;
  value: number | null;
  state: Exclude<TrialState, 'running'>;
  durationMs: number;
  intermediate: number[];
  /** Why a failed trial failed. */
  error?: string;
}

/** A logged prediction: which version, the raw inputs, the output, and the true label once known. */
export interface PredictionRecord extends Authored {
  id: string;
  modelId: string;
  modelVersionId: string;
  /** Predictions made together (a CSV batch, a scored data version) share a batch id. */
  batchId: string | null;
  /** Row number within its batch (0 for a single prediction). */
  row: number;
  /** The row's own identifier, if the input had one, for matching labels later. */
  rowId: string | null;
  /** Where the row came from: the form, a file name, a data version. */
  source: string;
  /** Raw inputs as given, column → text (null for missing). */
  inputs: Record<string, string | null>;
  /** The class label or the value, as text. */
  output: string;
  probabilities: number[] | null;
  /** Tree node paths from the root to the leaf. */
  path: string[];
  /** The true label, once known. */
  label: string | null;
  labelledAt: string | null;
}

/** The kinds of record an event can name. */
export type RecordKind =
  | 'dataset'
  | 'datasetVersion'
  | 'model'
  | 'modelVersion'
  | 'study'
  | 'trial'
  | 'prediction'
  | 'setting';

/** One line of the append-only log: who did what to which record, when. */
export interface EventRecord {
  /** Auto-incremented by the store; absent until written. */
  seq?: number;
  at: string;
  author: string;
  /** A verb such as `create`, `update`, `promote`. */
  action: string;
  kind: RecordKind;
  recordId: string;
  /** A short human-readable description. */
  summary: string;
}

/** A setting is a key with a JSON value. */
export interface SettingRecord {
  key: string;
  value: unknown;
  updatedAt: string;
}
