/** The prediction log: filters, CSV export, reproduce with the logged version, labels. */
import { predictRaw, samePrediction, type RowResult } from '../core/predict/predict';
import type { ModelVersionRecord, PredictionRecord } from '../core/records';
import type { Store } from '../store/db';
import { StoreError } from '../store/errors';
import { attachLabels, listPredictions } from '../store/predictions';
import { Job } from './job.svelte';
import {
  handlesMissing,
  matchLabels,
  readRows,
  rowOf,
  versionIndex,
  type VersionIndex,
} from './predictions';
import { environmentDifferences, type VersionDifference } from './training';

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
  /** The logged prediction whose contributions are shown: its version and its row as encoded. */
  why = $state.raw<{
    prediction: PredictionRecord;
    version: ModelVersionRecord;
    x: number[];
  } | null>(null);

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
    const now = predictRaw(v, rowOf(p.inputs), handlesMissing(v));
    const check = {
      prediction: p,
      same: now.ok && samePrediction(now.prediction, p),
      now,
      differences: environmentDifferences(v.libraryVersions, v.family),
    };
    this.check = check;
    return check;
  }

  /** Shows why a logged prediction came out so, from its logged inputs and exactly its version. */
  explain(p: PredictionRecord): void {
    const v = this.versions[p.modelVersionId]?.version;
    const now = v ? predictRaw(v, rowOf(p.inputs), handlesMissing(v)) : null;
    this.why = v && now?.ok ? { prediction: p, version: v, x: now.x } : null;
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
