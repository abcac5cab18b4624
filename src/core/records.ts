/**
 * The records Orpheus keeps, each defined once: a valibot schema from which its TypeScript
 * type is derived. The store (IndexedDB), the backup reader and writer, the merge, the
 * one-model selection and the share-link reader all use these schemas and the store map
 * `RECORD_SCHEMAS`; the fields that point at other records are declared once, in
 * `REFERENCES`, beside them.
 *
 * Identifiers are strings. Times are ISO-8601 strings in UTC, so records compare, sort and
 * serialize the same everywhere. `author` is the person's name from settings at the moment
 * the record was made. A number that JSON cannot hold (NaN, ±Infinity) is written as null in a
 * file; `real` reads such a null back as NaN.
 *
 * Older shapes of a record are brought to this one by `migrate.ts`.
 */
import * as v from 'valibot';
import {
  ColumnSchemaSchema,
  DirectionSchema,
  MAX_ID,
  MAX_NAME,
  MAX_TEXT,
  MetricNameSchema,
  RecordKindSchema,
  SamplerKindSchema,
  ScenarioSchema,
  StoredTrialStateSchema,
  StudyStateSchema,
  TaskSchema,
} from './vocabulary';

export type {
  ColumnRole,
  ColumnSchema,
  ColumnType,
  Direction,
  MetricName,
  RecordKind,
  SamplerKind,
  Scenario,
  StudyState,
  Task,
  TrialState,
} from './vocabulary';

// ---- building blocks

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID));
const name = v.pipe(v.string(), v.maxLength(MAX_NAME));
const text = v.pipe(v.string(), v.maxLength(MAX_TEXT));
const time = v.pipe(v.string(), v.isoTimestamp());
/** The largest event number Orpheus accepts from a file (a billion events is more than anyone logs). */
export const MAX_EVENT_SEQ = 2 ** 31;
/** A whole number from 0 up to what a JavaScript number holds exactly. */
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
/** 1, 2, 3 … (version numbers; a million versions of one thing is more than anyone makes). */
const ordinal = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1e9));
const finite = v.pipe(v.number(), v.finite());
/** A measured number: NaN (null in a file) when it could not be measured. */
const real = v.pipe(
  v.nullable(v.number()),
  v.transform((x) => x ?? NaN),
);
/** A seed: a whole number (the generators use its low 32 bits). */
const seed = count;
const authored = { author: name, createdAt: time };

// ---- parts of records

export const HistogramSchema = v.strictObject({ edges: v.array(real), counts: v.array(count) });
export const CategoryCountSchema = v.strictObject({ value: name, count });
export const ColumnProfileSchema = v.strictObject({
  name,
  type: ColumnSchemaSchema.entries.type,
  role: ColumnSchemaSchema.entries.role,
  missing: count,
  distinct: count,
  numeric: v.nullable(
    v.strictObject({ min: real, max: real, mean: real, std: real, histogram: HistogramSchema }),
  ),
  /** The most frequent values, most frequent first. */
  top: v.nullable(v.array(CategoryCountSchema)),
});
export const DatasetProfileSchema = v.strictObject({
  rowCount: count,
  task: TaskSchema,
  columns: v.array(ColumnProfileSchema),
  /** Class counts of the target, largest first (classification only). */
  classBalance: v.nullable(v.array(CategoryCountSchema)),
  /** Rows with at least one missing value. */
  rowsWithMissing: count,
});
export type Histogram = v.InferOutput<typeof HistogramSchema>;
export type CategoryCount = v.InferOutput<typeof CategoryCountSchema>;
export type ColumnProfile = v.InferOutput<typeof ColumnProfileSchema>;
export type NumericSummary = NonNullable<ColumnProfile['numeric']>;
export type DatasetProfile = v.InferOutput<typeof DatasetProfileSchema>;

/** What changed relative to the parent version (or `import`). */
export const VersionChangeSchema = v.strictObject({
  kind: v.picklist(['import', 'append', 'schema', 'filter', 'replace', 'paint']),
  rowsAdded: count,
  rowsRemoved: count,
  /** Rows kept by their identifier with other values (a replacement matched by identifier). */
  rowsChanged: v.optional(count),
  /** Columns whose type or role changed, e.g. `age: numeric → categorical`. */
  columnsChanged: v.array(text),
  /** One sentence for people. */
  summary: text,
});
export type VersionChange = v.InferOutput<typeof VersionChangeSchema>;

export const FeatureEncodingSchema = v.variant('kind', [
  v.strictObject({ name, kind: v.literal('numeric') }),
  /** Category label → its index in `categories` (ordinal code). */
  v.strictObject({
    name,
    kind: v.literal('categorical'),
    categories: v.array(name),
    /** Values differing only by case, spaces or accents read as the category they fold to. */
    mergeVariants: v.optional(v.literal(true)),
  }),
]);
/** How raw rows become a learner's inputs: feature order, category codes, class labels. */
export const EncodingSchema = v.strictObject({
  task: TaskSchema,
  features: v.array(FeatureEncodingSchema),
  target: name,
  /** Class labels in code order (classification); learners see 0 … k − 1. */
  classes: v.nullable(v.array(name)),
  /** The target's spelling variants were merged: labels fold to a class as features do. */
  mergeClassVariants: v.optional(v.literal(true)),
});
export type FeatureEncoding = v.InferOutput<typeof FeatureEncodingSchema>;
export type Encoding = v.InferOutput<typeof EncodingSchema>;

/** How a version was judged: cross-validation folds (2 … 20) and the hold-out share. */
export const PlanSchema = v.strictObject({
  folds: v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(20)),
  testFraction: v.pipe(v.number(), v.minValue(0.05), v.maxValue(0.5)),
});
export const SpreadSchema = v.strictObject({ mean: real, std: real, folds: v.array(real) });
export type Spread = v.InferOutput<typeof SpreadSchema>;

export const ClassificationScoresSchema = v.strictObject({
  accuracy: real,
  balanced_accuracy: real,
  f1_macro: real,
  log_loss: real,
  /** Per class, in class-code order. */
  precision: v.array(real),
  recall: v.array(real),
  f1: v.array(real),
  /** confusion[true][predicted]. */
  confusion: v.array(v.array(count)),
});
export const RegressionScoresSchema = v.strictObject({ r2: real, rmse: real, mae: real });
export type ClassificationScores = v.InferOutput<typeof ClassificationScoresSchema>;
export type RegressionScores = v.InferOutput<typeof RegressionScoresSchema>;

export const MonitorSettingsSchema = v.strictObject({
  rules: v.strictObject({
    /** Fire when the champion's dataset grew by at least this share (0.2 = 20 %). */
    growth: v.nullable(finite),
    /** Fire when the champion is older than this many days. */
    maxAgeDays: v.nullable(finite),
    /** Fire when the latest monitored score is on the wrong side of this value. */
    threshold: v.nullable(finite),
  }),
  gate: v.strictObject({
    /** The challenger must beat the champion's metric by at least this much. */
    minGain: finite,
    /** No class's recall may drop by more than this. */
    maxRecallDrop: finite,
  }),
});
export type MonitorSettings = v.InferOutput<typeof MonitorSettingsSchema>;
export type TriggerRules = MonitorSettings['rules'];
export type Gate = MonitorSettings['gate'];

/** A setting's value: text, a number, yes/no or nothing. */
export const ChoiceSchema = v.union([
  v.pipe(v.string(), v.maxLength(MAX_NAME)),
  finite,
  v.boolean(),
  v.null(),
]);
export type Choice = v.InferOutput<typeof ChoiceSchema>;
/** Every setting of a learner, by name. */
export const ParamsSchema = v.record(name, ChoiceSchema);
export type Params = v.InferOutput<typeof ParamsSchema>;

/**
 * A setting that exists only in some trials: those whose value of another (top-level) setting is
 * `is`. A cross-family study's settings each exist only under their family.
 */
export const ConditionSchema = v.strictObject({ param: name, is: ChoiceSchema });
export type Condition = v.InferOutput<typeof ConditionSchema>;
const when = { when: v.optional(ConditionSchema) };

export const DistributionSchema = v.variant('kind', [
  v.strictObject({
    kind: v.literal('float'),
    low: finite,
    high: finite,
    log: v.boolean(),
    ...when,
  }),
  v.strictObject({
    kind: v.literal('int'),
    low: finite,
    high: finite,
    step: finite,
    log: v.boolean(),
    ...when,
  }),
  v.strictObject({ kind: v.literal('categorical'), choices: v.array(ChoiceSchema), ...when }),
]);
export const SearchSpaceSchema = v.record(name, DistributionSchema);
export type Distribution = v.InferOutput<typeof DistributionSchema>;
export type SearchSpace = v.InferOutput<typeof SearchSpaceSchema>;

/** Successive halving: reduction factor η and the shares of training rows, the last one 1. */
export const HalvingSchema = v.strictObject({
  eta: v.pipe(v.number(), v.minValue(1), v.maxValue(100)),
  rungs: v.pipe(v.array(v.pipe(v.number(), v.gtValue(0), v.maxValue(1))), v.minLength(1)),
  /** Hyperband: one bracket of successive halving per rung, each starting one rung later. */
  hyperband: v.optional(v.boolean()),
});
export type Halving = v.InferOutput<typeof HalvingSchema>;

/** A stored column: numbers (NaN missing), category codes (−1 missing), or identifier text. */
export const StoredColumnSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('numeric'), values: v.instance(Float64Array) }),
  v.strictObject({
    kind: v.literal('categorical'),
    categories: v.array(name),
    codes: v.instance(Int32Array),
  }),
  v.strictObject({ kind: v.literal('text'), values: v.array(v.nullable(name)) }),
]);
export type StoredColumn = v.InferOutput<typeof StoredColumnSchema>;

// ---- the records, one per store

/** Fields every authored record carries: who made it and when. */
export type Authored = { author: string; createdAt: string };

export const SettingSchema = v.strictObject({ key: id, value: v.unknown(), updatedAt: time });
/** A setting is a key with a JSON value. */
export type SettingRecord = v.InferOutput<typeof SettingSchema>;

export const DatasetSchema = v.strictObject({ id, name, description: text, ...authored });
/** A named dataset; its content lives in immutable versions. */
export type DatasetRecord = v.InferOutput<typeof DatasetSchema>;

export const DatasetVersionSchema = v.strictObject({
  /** SHA-256 (hex) of the canonical serialization of rows and schema (`contentHash`). */
  id: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  datasetId: id,
  /** 1, 2, 3 … within its dataset. */
  number: ordinal,
  /** The version this one was derived from, or null for an import. */
  parentId: v.nullable(id),
  /** Where it came from: a file name, a bundled sample, an edit. */
  source: text,
  task: TaskSchema,
  schema: v.array(ColumnSchemaSchema),
  rowCount: count,
  /** Counts, missing values, ranges, class balance. */
  profile: DatasetProfileSchema,
  /** What changed relative to the parent (or `import`). */
  change: VersionChangeSchema,
  ...authored,
});
/** An immutable version of a dataset, keyed by the SHA-256 of its canonical content. */
export type DatasetVersionRecord = v.InferOutput<typeof DatasetVersionSchema>;

export const DatasetColumnsSchema = v.strictObject({
  /** The dataset version's id. */
  id: DatasetVersionSchema.entries.id,
  /** One per schema column, in the same order. */
  columns: v.array(StoredColumnSchema),
});
/**
 * The rows of a dataset version, column by column (typed arrays for numbers), kept apart from
 * the version's description so that listing versions never loads their data.
 */
export type DatasetColumnsRecord = v.InferOutput<typeof DatasetColumnsSchema>;

export const VersionNoteSchema = v.strictObject({ note: text, tags: v.array(name) });
/** What people say about a version: versions never change, their notes and tags can. */
export type VersionNote = v.InferOutput<typeof VersionNoteSchema>;

export const ModelSchema = v.strictObject({
  id,
  name,
  task: TaskSchema,
  /** The metric that ranks this model's versions (e.g. macro F1 for unbalanced classes). */
  metric: MetricNameSchema,
  /** Alias name (`champion`, `challenger`, free names) → model version id. Aliases move; versions never change. */
  aliases: v.record(name, id),
  /** Notes and free tags per version id. */
  notes: v.record(id, VersionNoteSchema),
  /** Retrain triggers and the promotion gate (defaults when absent). */
  monitor: v.optional(MonitorSettingsSchema),
  /** What the model is for, in its owner's words (the model card's first section). */
  intendedUse: v.optional(text),
  ...authored,
});
/** A named model; its trained versions are immutable. */
export type ModelRecord = v.InferOutput<typeof ModelSchema>;

/** What every family reports of a fitted model (its own parts are in `size` and `fitted`). */
export const ModelParametersSchema = v.strictObject({
  featuresUsed: v.array(name),
  /**
   * [feature, share of the total importance] per feature. Column names are data: they are
   * kept in pairs, never as an object's keys (a column may be called `constructor` or `__proto__`).
   */
  importances: v.array(v.tuple([name, real])),
  /** Counts that describe the fitted model's size, by name (a tree: depth, nodes, leaves). */
  size: v.record(name, count),
});
export type ModelParameters = v.InferOutput<typeof ModelParametersSchema>;

export const ModelVersionSchema = v.strictObject({
  id,
  modelId: id,
  number: ordinal,
  /** The version this one was retrained from, or null for v1. */
  parentId: v.nullable(id),
  datasetVersionId: id,
  /** Which case of train(data, model) made it. */
  scenario: ScenarioSchema,
  /** The model family (a key of the learner registry), e.g. `decision-tree`. */
  family: name,
  algorithm: name,
  /** `orpheus` (the app), `trainer`, and the libraries the family names. */
  libraryVersions: v.record(name, name),
  /** Every hyperparameter, defaults included (the family's own parameters). */
  hyperparameters: ParamsSchema,
  /** How it was judged: folds and hold-out share (the seed is `seed`). */
  evaluation: PlanSchema,
  metric: MetricNameSchema,
  /** The fitted model as plain data, never code, in the family's own format (checked by it). */
  fitted: v.unknown(),
  /** How raw rows become the model's inputs: feature order, category codes, class labels. */
  encoding: EncodingSchema,
  /** What happens to a raw row before the model sees it, in words. */
  preprocessing: v.array(text),
  modelParameters: ModelParametersSchema,
  scores: v.strictObject({
    cv: v.record(MetricNameSchema, SpreadSchema),
    holdout: v.union([ClassificationScoresSchema, RegressionScoresSchema]),
  }),
  /** The hold-out rows (indices among the version's rows with a target) and the predictions for them. */
  holdout: v.strictObject({ rows: v.array(count), predictions: v.array(real) }),
  trainRows: count,
  /** Rows of the data version left out because their target was missing. */
  droppedRows: count,
  trainingMs: v.pipe(v.number(), v.minValue(0), v.finite()),
  seed,
  /** Capability tags (handles missing values, multiclass …) for model audition. */
  tags: v.array(name),
  /** The browser and platform it was trained in. */
  environment: v.strictObject({ userAgent: text, platform: name }),
  /** The search study whose best trial chose the settings, if any. */
  search: v.nullable(v.strictObject({ kind: v.literal('study'), studyId: id, trial: count })),
  /**
   * A decision threshold after the model (two classes with probabilities): a row is the second
   * class when its probability is at least `threshold`. Such a version is version `from` with
   * only this step added, chosen on `chosenOn` rows with those costs of the two mistakes.
   */
  /**
   * A tree grown by hand (the Grow screen) instead of trained: its splits in the order they were
   * made, each at a node path ("" the root, "L" its left child …), on the plan's training rows.
   * `own` marks a split a person chose; the others were the best candidate. Replaying the
   * splits rebuilds the tree.
   */
  grown: v.optional(
    v.strictObject({
      splits: v.array(
        v.strictObject({
          node: v.pipe(v.string(), v.regex(/^[LR]{0,64}$/)),
          feature: count,
          threshold: v.pipe(v.number(), v.finite()),
          missingLeft: v.boolean(),
          own: v.boolean(),
        }),
      ),
    }),
  ),
  decision: v.optional(
    v.strictObject({
      threshold: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
      from: id,
      chosenOn: v.picklist(['hold-out', 'cross-validated']),
      costs: v.strictObject({
        fp: v.pipe(v.number(), v.minValue(0), v.finite()),
        fn: v.pipe(v.number(), v.minValue(0), v.finite()),
      }),
    }),
  ),
  ...authored,
});
/** An immutable, numbered version of a model (v1, v2 …). */
export type ModelVersionRecord = v.InferOutput<typeof ModelVersionSchema>;

export const StudySchema = v.strictObject({
  id,
  name,
  datasetVersionId: id,
  /**
   * The model family whose settings it searches, or `any`: the family is then the space's
   * top-level choice (`family`), each family's settings existing only under it.
   */
  family: name,
  space: SearchSpaceSchema,
  sampler: SamplerKindSchema,
  /** Grid: values per numeric range. */
  gridPoints: v.pipe(count, v.maxValue(10_000)),
  seed,
  metric: MetricNameSchema,
  direction: DirectionSchema,
  /** Number of trials to run. */
  budget: v.pipe(count, v.maxValue(1e6)),
  /** No new trial starts once the study has run this long (milliseconds, over every session). */
  timeLimitMs: v.optional(v.pipe(count, v.maxValue(7 * 24 * 3600 * 1000))),
  /** How long the study has run so far, over every session (recorded when it pauses or ends). */
  spentMs: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1e12))),
  /** Successive halving over training-set size, or one full rung. */
  halving: HalvingSchema,
  /**
   * Fold-wise stopping (Optuna's WilcoxonPruner): a trial whose folds so far are worse than the
   * best trial's on the same folds, by a one-sided Wilcoxon signed-rank test at this p, stops.
   */
  foldStopping: v.optional(
    v.strictObject({ p: v.pipe(v.number(), v.gtValue(0), v.maxValue(0.5)) }),
  ),
  /**
   * Trials run before the sampler's own, in order: each family's default settings, when the
   * study starts from them (`defaultTrials`).
   */
  startWith: v.optional(v.pipe(v.array(ParamsSchema), v.maxLength(100))),
  evaluation: PlanSchema,
  state: StudyStateSchema,
  /** The model whose next version the best trial becomes (a new model when null). */
  modelId: v.nullable(id),
  /** The model version trained from the best trial, once saved. */
  bestVersionId: v.nullable(id),
  /** Where a study read from another tool came from (an Optuna journal), when it was. */
  origin: v.optional(
    v.strictObject({
      kind: v.literal('optuna-journal'),
      /** The file's name, and the study's name in it. */
      file: name,
      studyName: name,
      /** The Orpheus study it continues (handed over with "Continue elsewhere"), if any. */
      continues: v.nullable(id),
      /** What the values are, when not an Orpheus metric (a study written in Python). */
      valueName: v.nullable(name),
      /** How many workers (processes) ran its trials. */
      workers: count,
      /** Trials still running or waiting in the file, not imported. */
      unfinished: count,
      importedAt: time,
    }),
  ),
  ...authored,
});
/** A hyperparameter search. */
export type StudyRecord = v.InferOutput<typeof StudySchema>;

export const TrialSchema = v.strictObject({
  id,
  studyId: id,
  number: count,
  params: ParamsSchema,
  value: v.nullable(v.number()),
  state: StoredTrialStateSchema,
  durationMs: v.pipe(v.number(), v.minValue(0), v.finite()),
  intermediate: v.array(real),
  /**
   * Its score on each cross-validation fold on all of its rows, in fold order (fold-wise
   * stopping compares them; a trial stopped after some folds has only those).
   */
  folds: v.optional(v.array(real)),
  /** Why a failed trial failed. */
  error: v.optional(text),
  /** Which worker ran it, in an imported study. */
  worker: v.optional(name),
  ...authored,
});
/** One finished trial of a study (running trials are not stored). */
export type TrialRecord = v.InferOutput<typeof TrialSchema>;

export const PredictionSchema = v.strictObject({
  id,
  modelId: id,
  modelVersionId: id,
  /** Predictions made together (a CSV batch, a scored data version) share a batch id. */
  batchId: v.nullable(id),
  /** Row number within its batch (0 for a single prediction). */
  row: count,
  /** The row's own identifier, if the input had one, for matching labels later. */
  rowId: v.nullable(name),
  /** Where the row came from: the form, a file name, a data version. */
  source: text,
  /** Raw inputs as given: [column, text (null for missing)] per column, in the version's order. */
  inputs: v.array(v.tuple([name, v.nullable(text)])),
  /** The class label or the value, as text. */
  output: name,
  probabilities: v.nullable(v.array(real)),
  /** Node paths from the root to the leaf (tree families), else empty. */
  path: v.array(name),
  /** The true label, once known. */
  label: v.nullable(name),
  labelledAt: v.nullable(time),
  ...authored,
});
/** A logged prediction: which version, the raw inputs, the output, and the true label once known. */
export type PredictionRecord = v.InferOutput<typeof PredictionSchema>;

export const EventSchema = v.strictObject({
  /**
   * Auto-incremented by the store; absent until written. Far below IndexedDB's key generator
   * limit (2^53): a file with larger numbers would leave a store that can add no event.
   */
  seq: v.optional(v.pipe(count, v.minValue(1), v.maxValue(MAX_EVENT_SEQ))),
  at: time,
  author: name,
  /** A verb such as `create`, `update`, `promote`. */
  action: name,
  kind: RecordKindSchema,
  recordId: id,
  /** A short human-readable description. */
  summary: text,
});
/** One line of the append-only log: who did what to which record, when. */
export type EventRecord = v.InferOutput<typeof EventSchema>;

// ---- the map of stores

/** Every store and the schema of its records (the IndexedDB schema and the backup follow it). */
export const RECORD_SCHEMAS = {
  settings: SettingSchema,
  datasets: DatasetSchema,
  datasetVersions: DatasetVersionSchema,
  datasetColumns: DatasetColumnsSchema,
  models: ModelSchema,
  modelVersions: ModelVersionSchema,
  studies: StudySchema,
  trials: TrialSchema,
  predictions: PredictionSchema,
  events: EventSchema,
} as const;

export type RecordStoreName = keyof typeof RECORD_SCHEMAS;
export type RecordOf<S extends RecordStoreName> = v.InferOutput<(typeof RECORD_SCHEMAS)[S]>;

/** The store each stored kind of record lives in, in the order a backup writes them. */
export const STORE_NAMES = Object.keys(RECORD_SCHEMAS) as RecordStoreName[];

/** The field that is each store's key. */
export const KEY_FIELDS = {
  settings: 'key',
  datasets: 'id',
  datasetVersions: 'id',
  datasetColumns: 'id',
  models: 'id',
  modelVersions: 'id',
  studies: 'id',
  trials: 'id',
  predictions: 'id',
  events: 'seq',
} as const satisfies { [S in RecordStoreName]: keyof RecordOf<S> & string };

/**
 * Where a record points at another record. `field` is the record's own field; `in` how the
 * ids sit there: the field's value (`value`), the values of a map (`values`, as aliases), the
 * keys of a map (`keys`, as notes), or the field `studyId` of an object (`search`). `to` is the
 * store of the records pointed at; for events, the store follows the event's kind.
 * `owner` marks the one reference that makes a record part of another (a version of its
 * model, a trial of its study, a prediction of its version): a copy of the owner takes it
 * along. `along` marks a reference that brings the record into a selection of what it points
 * at (the one-model backup takes a model's versions, its studies, their trials …); every
 * reference is followed forward too (a version takes its data version and dataset).
 */
export interface Reference {
  field: string;
  in: 'value' | 'values' | 'keys' | 'studyId';
  to: RecordStoreName | 'byKind';
  owner?: true;
  along?: true;
}

export const REFERENCES: { [S in RecordStoreName]: readonly Reference[] } = {
  settings: [],
  datasets: [],
  datasetVersions: [
    { field: 'datasetId', in: 'value', to: 'datasets' },
    { field: 'parentId', in: 'value', to: 'datasetVersions' },
  ],
  datasetColumns: [{ field: 'id', in: 'value', to: 'datasetVersions' }],
  models: [
    { field: 'aliases', in: 'values', to: 'modelVersions' },
    { field: 'notes', in: 'keys', to: 'modelVersions' },
  ],
  modelVersions: [
    { field: 'modelId', in: 'value', to: 'models', owner: true, along: true },
    { field: 'parentId', in: 'value', to: 'modelVersions' },
    { field: 'datasetVersionId', in: 'value', to: 'datasetVersions' },
    { field: 'search', in: 'studyId', to: 'studies' },
  ],
  studies: [
    { field: 'datasetVersionId', in: 'value', to: 'datasetVersions' },
    { field: 'modelId', in: 'value', to: 'models', along: true },
    { field: 'bestVersionId', in: 'value', to: 'modelVersions', along: true },
  ],
  trials: [{ field: 'studyId', in: 'value', to: 'studies', owner: true, along: true }],
  predictions: [
    { field: 'modelId', in: 'value', to: 'models' },
    { field: 'modelVersionId', in: 'value', to: 'modelVersions', owner: true, along: true },
  ],
  events: [{ field: 'recordId', in: 'value', to: 'byKind', along: true }],
};

/** The ids a record points at through one reference (none when the field is empty). */
export function referencedIds(record: Record<string, unknown>, ref: Reference): string[] {
  const x = record[ref.field];
  if (x === null || x === undefined) return [];
  switch (ref.in) {
    case 'value':
      return typeof x === 'string' ? [x] : [];
    case 'values':
      return Object.values(x as Record<string, unknown>).filter(
        (s): s is string => typeof s === 'string',
      );
    case 'keys':
      return Object.keys(x as Record<string, unknown>);
    case 'studyId': {
      const s = (x as { studyId?: unknown }).studyId;
      return typeof s === 'string' ? [s] : [];
    }
  }
}

/** The record with every id it points at through `refs` mapped by `to` (a new object). */
export function rewriteReferences<T extends Record<string, unknown>>(
  record: T,
  refs: readonly Reference[],
  to: (id: string) => string,
): T {
  const out: Record<string, unknown> = { ...record };
  for (const ref of refs) {
    const x = record[ref.field];
    if (x === null || x === undefined) continue;
    switch (ref.in) {
      case 'value':
        if (typeof x === 'string') out[ref.field] = to(x);
        break;
      case 'values':
        out[ref.field] = Object.fromEntries(
          Object.entries(x as Record<string, unknown>).map(([k, s]) => [
            k,
            typeof s === 'string' ? to(s) : s,
          ]),
        );
        break;
      case 'keys':
        out[ref.field] = Object.fromEntries(
          Object.entries(x as Record<string, unknown>).map(([k, s]) => [to(k), s]),
        );
        break;
      case 'studyId': {
        const s = x as { studyId?: unknown };
        if (typeof s.studyId === 'string') out[ref.field] = { ...s, studyId: to(s.studyId) };
      }
    }
  }
  return out as T;
}

/** The store a reference points into, for this record (an event's follows its kind). */
export function targetStore(
  record: Record<string, unknown>,
  ref: Reference,
): RecordStoreName | undefined {
  if (ref.to !== 'byKind') return ref.to;
  return STORE_OF_KIND[record['kind'] as keyof typeof STORE_OF_KIND];
}

/** The store an event's record lives in. */
export const STORE_OF_KIND: Record<v.InferOutput<typeof RecordKindSchema>, RecordStoreName> = {
  dataset: 'datasets',
  datasetVersion: 'datasetVersions',
  model: 'models',
  modelVersion: 'modelVersions',
  study: 'studies',
  trial: 'trials',
  prediction: 'predictions',
  setting: 'settings',
};
