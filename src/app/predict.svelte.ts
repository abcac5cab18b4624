import { cellText } from '../core/data/content';
import { matrixFor } from '../core/data/matrix';
import { featureDrift, type FeatureDrift } from '../core/predict/drift';
import {
  DEFAULT_MONITOR,
  firedTriggers,
  scoreOverTime,
  type MonitorSettings,
  type Point,
} from '../core/predict/monitor';
import {
  encodeRow,
  predictRaw,
  samePrediction,
  type RawRow,
  type RowResult,
} from '../core/predict/predict';
import type {
  DatasetVersionRecord,
  ModelRecord,
  ModelVersionRecord,
  PredictionRecord,
} from '../core/records';
import { labelDataVersions, listVersions, loadContent } from '../store/datasets';
import type { Store } from '../store/db';
import { StoreError } from '../store/errors';
import { listModelVersions } from '../store/models';
import {
  attachLabels,
  listPredictions,
  logPredictions,
  type PredictionDraft,
} from '../store/predictions';
import { Job } from './job.svelte';
import {
  draftFor,
  handlesMissing,
  matchLabels,
  readRows,
  versionIndex,
  type VersionIndex,
} from './predictions';
import { environmentDifferences, type VersionDifference } from './training';

export interface BatchOutcome {
  logged: number;
  total: number;
  /** Rows that could not be predicted (1-based row numbers of the file), with why. */
  problems: { row: number; problems: string[] }[];
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
  form = $state<Record<string, string>>({});
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
      this.form = Object.fromEntries((version?.encoding.features ?? []).map((f) => [f.name, '']));
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
    const row: RawRow = { ...this.form };
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
      const drafts: PredictionDraft[] = [];
      const problems: BatchOutcome['problems'] = [];
      rows.forEach((row, i) => {
        if (i % 500 === 0) progress(i, rows.length);
        if (signal.aborted) throw new DOMException('Cancelled', 'AbortError');
        const r = predictRaw(version, row, handlesMissing(version));
        if (r.ok)
          drafts.push(
            draftFor(model, version, row, r.prediction, {
              batchId,
              row: i,
              rowId: idColumn ? (row[idColumn] ?? null) : null,
              source: file.name,
            }),
          );
        else problems.push({ row: i + 1, problems: r.problems });
      });
      if (drafts.length > 0)
        await logPredictions(
          this.#store,
          this.#author(),
          drafts,
          `${model.name} v${version.number}: batch of ${drafts.length} from ${file.name}`,
        );
      progress(rows.length, rows.length);
      return { logged: drafts.length, total: rows.length, problems, batchId };
    });
  }
}

export interface ReproduceCheck {
  prediction: PredictionRecord;
  same: boolean;
  now: RowResult;
  differences: VersionDifference[];
}

/** The prediction log: filter, export, reproduce, attach labels. */
export class PredictionLog {
  readonly #store: Store;
  readonly #author: () => string;
  readonly labelling = new Job<number>();
  items = $state.raw<PredictionRecord[]>([]);
  versions = $state.raw<VersionIndex>({});
  check = $state.raw<ReproduceCheck | null>(null);

  constructor(store: Store, author: () => string) {
    this.#store = store;
    this.#author = author;
  }

  async refresh(): Promise<void> {
    const items = await listPredictions(this.#store);
    const versions = await versionIndex(this.#store, items, this.versions);
    this.versions = versions;
    this.items = items;
  }

  nameOf(p: PredictionRecord): string {
    const v = this.versions[p.modelVersionId];
    return v ? `${v.model.name} v${v.version.number}` : 'a version no longer stored';
  }

  /** Re-runs a logged prediction with exactly its version and compares. */
  reproduce(p: PredictionRecord): ReproduceCheck | null {
    const v = this.versions[p.modelVersionId]?.version;
    if (!v) return null;
    const now = predictRaw(v, p.inputs, handlesMissing(v));
    const check = {
      prediction: p,
      same: now.ok && samePrediction(now.prediction, p),
      now,
      differences: environmentDifferences(v.libraryVersions, v.family),
    };
    this.check = check;
    return check;
  }

  async label(p: PredictionRecord, label: string | null): Promise<void> {
    await attachLabels(this.#store, this.#author(), [{ prediction: p, label }]);
    await this.refresh();
  }

  /**
   * Labels from a CSV with a `label` column and a `row_id` (matched on the inputs' row id) or
   * `prediction` (a prediction id) column. Returns how many predictions got a label.
   */
  labelsFromFile(file: File): Promise<number | null> {
    return this.labelling.run(async () => {
      const { names, rows } = await readRows(file, file.name);
      const labelCol = names.find((n) => /^(label|truth|true_label|actual)$/i.test(n));
      const idCol = names.find((n) => /^(id|row_?id)$/i.test(n));
      const predCol = names.find((n) => /^prediction(_id)?$/i.test(n));
      if (!labelCol || (!idCol && !predCol))
        throw new StoreError(
          `The file needs a "label" column and a "row_id" (or "prediction") column; it has ${names.join(', ')}.`,
        );
      const updates = matchLabels(this.items, rows, labelCol, idCol ?? null, predCol ?? null);
      if (updates.length === 0)
        throw new StoreError('No row of the file matches a logged prediction.');
      await attachLabels(this.#store, this.#author(), updates);
      await this.refresh();
      return updates.length;
    });
  }
}

export interface MonitorState {
  champion: ModelVersionRecord | null;
  challenger: ModelVersionRecord | null;
  points: { name: string; points: Point[] }[];
  drift: FeatureDrift[];
  triggers: string[];
  settings: MonitorSettings;
}

/** A model watched over time: scores on labelled predictions, drift, triggers. */
export class MonitorView {
  readonly #store: Store;
  readonly #author: () => string;
  readonly scoring = new Job<number>();
  model = $state.raw<ModelRecord | null>(null);
  state = $state.raw<MonitorState | null>(null);
  by = $state<'batch' | 'day'>('batch');

  constructor(store: Store, author: () => string) {
    this.#store = store;
    this.#author = author;
  }

  async open(model: ModelRecord | null, predictions: readonly PredictionRecord[]): Promise<void> {
    this.model = model;
    if (!model) {
      this.state = null;
      return;
    }
    const versions = await listModelVersions(this.#store, model.id);
    const champion =
      versions.find((v) => v.id === model.aliases['champion']) ?? versions.at(-1) ?? null;
    const challenger = versions.find((v) => v.id === model.aliases['challenger']) ?? null;
    const settings = model.monitor ?? DEFAULT_MONITOR;
    const points = [champion, challenger]
      .filter((v): v is ModelVersionRecord => v !== null)
      .map((v) => ({
        name: `v${v.number}${v === champion ? ' (champion)' : ' (challenger)'}`,
        points: scoreOverTime(
          predictions.filter((p) => p.modelVersionId === v.id),
          v.encoding.classes,
          model.metric,
          this.by,
        ),
      }));
    let drift: FeatureDrift[] = [];
    let triggers: string[] = [];
    if (champion) {
      const labels = await labelDataVersions(this.#store, [champion.datasetVersionId]);
      const data = labels.get(champion.datasetVersionId)?.version;
      const recent = predictions.filter((p) => p.modelVersionId === champion.id).slice(0, 1000);
      if (data && recent.length > 0) {
        const content = await loadContent(this.#store, data);
        const m = matrixFor(content, champion.encoding);
        const train = Array.from({ length: m.rows }, (_, r) =>
          Array.from(m.x.subarray(r * m.features, (r + 1) * m.features)),
        );
        const rows = recent.flatMap((p) => {
          const e = encodeRow(champion.encoding, p.inputs, true);
          return 'x' in e ? [e.x] : [];
        });
        drift = featureDrift(champion.encoding.features, train, rows);
      }
      const latest = data ? (await listVersions(this.#store, data.datasetId)).at(-1) : undefined;
      const champPoints = points[0]?.points ?? [];
      triggers = firedTriggers(settings.rules, {
        trainedRows: data?.rowCount ?? 0,
        latestRows: latest?.rowCount ?? data?.rowCount ?? 0,
        championCreatedAt: champion.createdAt,
        now: Date.now(),
        latestScore: champPoints.at(-1)?.value ?? null,
        metric: model.metric,
      });
    }
    this.state = { champion, challenger, points, drift, triggers, settings };
  }

  async saveSettings(settings: MonitorSettings): Promise<ModelRecord | null> {
    const model = this.model;
    if (!model) return null;
    const updated = { ...model, monitor: settings };
    await this.#store.commit(this.#author(), [
      {
        store: 'models',
        value: updated,
        action: 'update',
        summary: `${model.name}: monitoring settings`,
      },
    ]);
    this.model = updated;
    return updated;
  }

  /** Scores a version on a labelled data version: every row logged as one batch with its true label. */
  scoreData(
    version: ModelVersionRecord,
    data: DatasetVersionRecord,
    dataLabel: string,
  ): Promise<number | null> {
    const model = this.model;
    if (!model) return Promise.resolve(null);
    return this.scoring.run(async () => {
      const content = await loadContent(this.#store, data);
      const ti = content.schema.findIndex((s) => s.name === version.encoding.target);
      if (ti < 0)
        throw new StoreError(
          `${dataLabel} has no "${version.encoding.target}" column to compare with.`,
        );
      const batchId = crypto.randomUUID();
      const drafts: PredictionDraft[] = [];
      for (let r = 0; r < content.rowCount; r++) {
        const label = cellText(content.columns[ti]!, r);
        if (label === null) continue;
        const row: Record<string, string | null> = {};
        content.schema.forEach((s, c) => (row[s.name] = cellText(content.columns[c]!, r)));
        const res = predictRaw(version, row, true);
        if (res.ok)
          drafts.push(
            draftFor(model, version, row, res.prediction, {
              batchId,
              row: r,
              rowId: null,
              source: dataLabel,
              label,
            }),
          );
      }
      await logPredictions(
        this.#store,
        this.#author(),
        drafts,
        `${model.name} v${version.number}: scored on ${dataLabel}`,
      );
      return drafts.length;
    });
  }
}
