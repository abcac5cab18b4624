/** Predicting with a version: one row from a form or a CSV batch, every prediction logged. */
import { predictRaw, type RawRow, type RowResult } from '../core/predict/predict';
import type {
  DatasetVersionRecord,
  ModelRecord,
  ModelVersionRecord,
  PredictionRecord,
} from '../core/records';
import type { Store } from '../store/db';
import { listModelVersions } from '../store/models';
import { logPredictions } from '../store/predictions';
import { Job } from './job.svelte';
import { cellOf, draftFor, handlesMissing, predictBatch, readRows } from './predictions';
import { environmentDifferences, type VersionDifference } from './training';

export interface BatchOutcome {
  logged: number;
  total: number;
  /** Rows that could not be predicted (1-based row numbers of the file), with why. */
  problems: { row: number; problems: string[] }[];
  /** Rows predicted with a note (a category training never saw). */
  notes: { row: number; notes: string[] }[];
  batchId: string;
}

/** The Predict screen: a version, one row by form or a CSV batch; every prediction is logged. */
export class PredictFlow {
  readonly #store: Store;
  readonly #author: () => string;
  readonly batch = new Job<BatchOutcome>();
  model = $state.raw<ModelRecord | null>(null);
  versions = $state.raw<ModelVersionRecord[]>([]);
  version = $state.raw<ModelVersionRecord | null>(null);
  /** The data version the open version was trained on (for the fields' ranges). */
  data = $state.raw<DatasetVersionRecord | null>(null);
  /** The form's values, one per feature in the version's order. */
  form = $state<string[]>([]);
  single = $state.raw<{ result: RowResult; record: PredictionRecord | null } | null>(null);

  constructor(store: Store, author: () => string) {
    this.#store = store;
    this.#author = author;
  }

  /** Opens a model at a version number, or at its champion (else its latest). */
  async open(model: ModelRecord | null, number: number | null): Promise<void> {
    if (!model) {
      this.model = null;
      this.version = null;
      this.versions = [];
      return;
    }
    const versions =
      model.id === this.model?.id ? this.versions : await listModelVersions(this.#store, model.id);
    const version =
      versions.find((v) => v.number === number) ??
      versions.find((v) => v.id === model.aliases['champion']) ??
      versions.at(-1) ??
      null;
    if (version?.id !== this.version?.id) {
      this.single = null;
      this.batch.reset();
      this.form = (version?.encoding.features ?? []).map(() => '');
      this.data = version
        ? ((await this.#store.get('datasetVersions', version.datasetVersionId)) ?? null)
        : null;
    }
    this.model = model;
    this.versions = versions;
    this.version = version;
  }

  get differences(): VersionDifference[] {
    return this.version
      ? environmentDifferences(this.version.libraryVersions, this.version.family)
      : [];
  }

  /** Predicts the form's row; logs it when it could be predicted. */
  async predictOne(): Promise<void> {
    const { model, version } = this;
    if (!model || !version) return;
    const row: RawRow = Object.fromEntries(
      version.encoding.features.map((f, i) => [f.name, this.form[i] ?? '']),
    );
    const result = predictRaw(version, row, handlesMissing(version));
    let record: PredictionRecord | null = null;
    if (result.ok) {
      const draft = draftFor(model, version, row, result.prediction, {
        batchId: null,
        row: 0,
        rowId: null,
        source: 'form',
      });
      [record = null] = await logPredictions(
        this.#store,
        this.#author(),
        [draft],
        `${model.name} v${version.number}: 1 prediction`,
      );
    }
    this.single = { result, record };
  }

  /** Predicts every row of a CSV; rows with problems are reported, not guessed, and not logged. */
  predictFile(file: File): Promise<BatchOutcome | null> {
    const { model, version } = this;
    if (!model || !version) return Promise.resolve(null);
    return this.batch.run(async (signal, progress) => {
      const { names, rows } = await readRows(file, file.name);
      const idColumn = names.find((n) => /^(id|row_?id)$/i.test(n)) ?? null;
      const batchId = crypto.randomUUID();
      const { drafts, problems, notes } = await predictBatch(
        rows,
        (row) => predictRaw(version, row, handlesMissing(version)),
        (row, i, prediction) =>
          draftFor(model, version, row, prediction, {
            batchId,
            row: i,
            rowId: idColumn ? cellOf(row, idColumn) : null,
            source: file.name,
          }),
        { signal, progress },
      );
      if (drafts.length > 0)
        await logPredictions(
          this.#store,
          this.#author(),
          drafts,
          `${model.name} v${version.number}: batch of ${drafts.length} from ${file.name}`,
        );
      progress(rows.length, rows.length);
      return { logged: drafts.length, total: rows.length, problems, notes, batchId };
    });
  }
}
