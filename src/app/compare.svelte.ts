import type { DatasetContent } from '../core/data/content';
import { cellText } from '../core/data/content';
import { predictorOf } from '../core/predict/predict';
import type { DatasetVersionRecord, ModelRecord, ModelVersionRecord } from '../core/records';
import { labelDataVersions, loadContent, type DataLabel } from '../store/datasets';
import type { Store } from '../store/db';
import { StoreError } from '../store/errors';
import { toCsv } from './csv';
import { Job } from './job.svelte';
import type { ComputePool } from './workers';

export interface Compared {
  version: ModelVersionRecord;
  model: ModelRecord;
  data: DataLabel | null;
}

export interface Disagreement {
  dataLabel: string;
  rows: number;
  /** Per compared version (same order as `versions`), its predicted labels or values per row. */
  predictions: string[][];
  /** Row indices (among rows with a target) where a version disagrees with the base. */
  differing: number[];
  /** The columns and raw cells of those rows, for the table and the CSV. */
  columns: string[];
  cells: (string | null)[][];
}

function label(v: ModelVersionRecord, p: number): string {
  return v.encoding.classes
    ? (v.encoding.classes[p] ?? String(p))
    : String(Number(p.toPrecision(6)));
}

/** CSV text of the rows two or more versions disagree on: raw cells, then each version's prediction. */
export function disagreementCsv(d: Disagreement, names: string[]): string {
  return toCsv([
    [...d.columns, ...names.map((n) => `prediction ${n}`)],
    ...d.differing.map((r, i) => [...d.cells[i]!, ...d.predictions.map((p) => p[r]!)]),
  ]);
}

/** Two or more model versions side by side: the first is the base. */
export class CompareView {
  readonly #pool: ComputePool;
  readonly #store: Store;
  readonly predictions = new Job<Disagreement>();
  items = $state.raw<Compared[]>([]);
  missing = $state.raw<string[]>([]);

  constructor(pool: ComputePool, store: Store) {
    this.#pool = pool;
    this.#store = store;
  }

  /** Opens the versions named in the URL (each once: a link may name one twice). */
  async open(named: string[]): Promise<void> {
    const ids = named.filter((id, i) => named.indexOf(id) === i);
    if (ids.join() === this.items.map((i) => i.version.id).join()) return;
    const found: Compared[] = [];
    const missing: string[] = [];
    const versions: ModelVersionRecord[] = [];
    for (const id of ids) {
      const v = await this.#store.get('modelVersions', id);
      if (v) versions.push(v);
      else missing.push(id);
    }
    const labels = await labelDataVersions(
      this.#store,
      versions.map((v) => v.datasetVersionId),
    );
    for (const v of versions) {
      const model = await this.#store.get('models', v.modelId);
      if (model) found.push({ version: v, model, data: labels.get(v.datasetVersionId) ?? null });
    }
    this.predictions.reset();
    this.items = found;
    this.missing = missing;
  }

  /** Predicts every row of a data version with each compared version and finds where they disagree. */
  compareOn(data: DatasetVersionRecord, dataLabel: string): Promise<Disagreement | null> {
    const items = this.items;
    return this.predictions.run(async (signal, progress) => {
      const content: DatasetContent = await loadContent(this.#store, data);
      const ti = content.schema.findIndex((s) => s.role === 'target');
      const kept: number[] = [];
      for (let r = 0; r < content.rowCount; r++)
        if (ti < 0 || cellText(content.columns[ti]!, r) !== null) kept.push(r);
      const all = kept.map((_, i) => i);
      const predictions: string[][] = [];
      for (const [i, it] of items.entries()) {
        progress(i, items.length);
        const target = content.schema[ti]?.name;
        if (target !== it.version.encoding.target)
          throw new StoreError(
            `${it.model.name} v${it.version.number} predicts "${it.version.encoding.target}", which ${dataLabel} does not have as its target.`,
          );
        const p = await this.#pool.run(
          (api) => api.predictRows(content, predictorOf(it.version), all),
          { signal },
        );
        predictions.push(p.map((x) => label(it.version, x)));
      }
      progress(items.length, items.length);
      const differing = all.filter((r) => predictions.some((p) => p[r] !== predictions[0]![r]));
      const columns = content.schema.map((s) => s.name);
      const cells = differing.map((r) => content.columns.map((c) => cellText(c, kept[r]!)));
      return { dataLabel, rows: all.length, predictions, differing, columns, cells };
    });
  }
}
