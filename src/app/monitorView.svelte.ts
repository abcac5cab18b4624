/** Monitoring a model: scores over time for champion and challenger, drift, retrain triggers. */
import { cellText } from '../core/data/content';
import { matrixFor } from '../core/data/matrix';
import { learnerFor } from '../core/learners/registry';
import { featureDrift, type FeatureDrift } from '../core/predict/drift';
import {
  DEFAULT_MONITOR,
  firedTriggers,
  scoreOverTime,
  type MonitorSettings,
  type Point,
} from '../core/predict/monitor';
import { encodeRow, predictRaw } from '../core/predict/predict';
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
import { logPredictions, type PredictionDraft } from '../store/predictions';
import { Job } from './job.svelte';
import { draftFor, rowOf } from './predictions';
import { unseenRows } from '../core/predict/score';

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
  /** Rows of the last scored data version left out because the version trained on them. */
  leftOut = $state(0);
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
        const unseen = learnerFor(champion.family).unseenCategory?.(champion.fitted);
        const rows = recent.flatMap((p) => {
          const e = encodeRow(champion.encoding, rowOf(p.inputs), true, unseen);
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

  /**
   * Scores a version on a labelled data version: every row it did not train on (rows it trained
   * on are found by content and left out) logged as one batch with its true label.
   */
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
      const trainedRecord = await this.#store.get('datasetVersions', version.datasetVersionId);
      const trainedOn = trainedRecord
        ? await loadContent(this.#store, trainedRecord).catch(() => null)
        : null;
      const unseen = unseenRows(version, content, trainedOn);
      if (unseen.reason) throw new StoreError(`${dataLabel} was not scored: ${unseen.reason}.`);
      const batchId = crypto.randomUUID();
      const drafts: PredictionDraft[] = [];
      for (const r of unseen.rows) {
        const label = cellText(content.columns[ti]!, r)!;
        const row = Object.fromEntries(
          content.schema.map((s, c) => [s.name, cellText(content.columns[c]!, r)]),
        );
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
        `${model.name} v${version.number}: scored on ${dataLabel} (${drafts.length} rows it never trained on${unseen.leftOut ? `; ${unseen.leftOut} it trained on left out` : ''})`,
      );
      this.leftOut = unseen.leftOut;
      return drafts.length;
    });
  }
}
