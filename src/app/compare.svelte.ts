import type { DatasetContent } from '../core/data/content';
import { cellText } from '../core/data/content';
import { predictorOf } from '../core/predict/predict';
import { rowsWithTarget } from '../core/predict/score';
import type { DatasetVersionRecord, ModelRecord, ModelVersionRecord } from '../core/records';
import { labelDataVersions, loadContent, type DataLabel } from '../store/datasets';
import { BoundaryView } from './boundaryView.svelte';
import type { Store } from '../store/db';
import { StoreError } from '../store/errors';
import { toCsv } from './csv';
import { Job } from './job.svelte';
import { allOnPool, type ComputePool } from './workers';
import type { Remote } from 'comlink';
import type { ComputeApi } from '../../workers/computeApi';
import type { MetricName } from '../core/records';
import { repeatedProblem, type RepeatedPlan } from '../core/compare/repeated';
import { curveSet } from '../core/train/curves';

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

/** Repeated k-fold scores of every compared version's settings on one data version. */
/** One compared version's ROC on its own hold-out rows. */
export interface VersionRoc {
  name: string;
  /** Two classes: the second class's curve; more: the micro average. */
  fpr: number[];
  tpr: number[];
  auc: number;
  rows: number;
}

export interface RepeatedRun {
  dataLabel: string;
  rows: number;
  plan: RepeatedPlan;
  /** Per compared version (same order as the items), per metric, its score on every fold of every repeat. */
  scores: Partial<Record<MetricName, number[]>>[];
}

/** Two or more model versions side by side: the first is the base. */
export class CompareView {
  readonly #pool: ComputePool;
  readonly #store: Store;
  readonly predictions = new Job<Disagreement>();
  readonly repeated = new Job<RepeatedRun>();
  readonly rocs = new Job<VersionRoc[]>();
  items = $state.raw<Compared[]>([]);
  /** Each compared version's decision boundary, by version id. */
  #boundaries: Record<string, BoundaryView> = {};
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
    this.repeated.reset();
    this.rocs.reset();
    this.items = found;
    this.missing = missing;
  }

  /** A compared version's decision boundary (made once per version). */
  boundaryOf(it: Compared): BoundaryView {
    const id = it.version.id;
    this.#boundaries[id] ??= new BoundaryView(this.#pool, async () => {
      if (!it.data)
        throw new StoreError(
          `The data of ${it.model.name} v${it.version.number} is not in this browser: its rows cannot be drawn.`,
        );
      return loadContent(this.#store, it.data.version);
    });
    return this.#boundaries[id];
  }

  /** Each compared classifier's ROC on its own hold-out rows, from its own data version. */
  drawRocs(): Promise<VersionRoc[] | null> {
    const items = this.items;
    return this.rocs.run(async (signal, progress) => {
      const contents = await Promise.all(
        items.map((it) => {
          if (!it.data)
            throw new StoreError(
              `The data of ${it.model.name} v${it.version.number} is not in this browser: its hold-out rows cannot be predicted.`,
            );
          return loadContent(this.#store, it.data.version);
        }),
      );
      const outputs = await allOnPool(
        this.#pool,
        signal,
        items.map(
          (it, i) => (api: Remote<ComputeApi>) =>
            api.classifierOutputs(contents[i]!, predictorOf(it.version), it.version.holdout.rows),
        ),
        progress,
      );
      return outputs.map((o, i) => {
        const set = curveSet(o);
        const roc = set.micro?.roc ?? set.perClass[1]!.roc;
        const it = items[i]!;
        return {
          name: `${it.model.name} v${it.version.number}`,
          fpr: roc.fpr,
          tpr: roc.tpr,
          auc: roc.auc,
          rows: o.truth.length,
        };
      });
    });
  }

  /**
   * Refits every compared version's family and settings on the same folds of repeated k-fold
   * cross-validation of one data version, repeats spread over the workers.
   */
  repeatOn(
    data: DatasetVersionRecord,
    dataLabel: string,
    plan: Omit<RepeatedPlan, 'seed'>,
  ): Promise<RepeatedRun | null> {
    const items = this.items;
    return this.repeated.run(async (signal, progress) => {
      const content: DatasetContent = await loadContent(this.#store, data);
      const target = content.schema.find((s) => s.role === 'target')?.name;
      const rows = target === undefined ? 0 : rowsWithTarget(content, target).length;
      for (const it of items)
        if (target !== it.version.encoding.target)
          throw new StoreError(
            `${it.model.name} v${it.version.number} predicts "${it.version.encoding.target}", which ${dataLabel} does not have as its target.`,
          );
      const problem = repeatedProblem(plan, rows);
      if (problem) throw new StoreError(problem);
      const full: RepeatedPlan = { ...plan, seed: 0 };
      const perRepeat = await allOnPool(
        this.#pool,
        signal,
        items.flatMap((it) =>
          Array.from(
            { length: plan.repeats },
            (_, r) => (api: Remote<ComputeApi>) =>
              api.repeatScores(
                content,
                it.version.family,
                it.version.hyperparameters,
                full,
                r,
                it.version.seed,
              ),
          ),
        ),
        progress,
      );
      const perItem = items.map((_, i) =>
        perRepeat.slice(i * plan.repeats, (i + 1) * plan.repeats),
      );
      const scores = perItem.map((repeats) => {
        const out: Partial<Record<MetricName, number[]>> = {};
        for (const fold of repeats.flat())
          for (const [m, x] of Object.entries(fold) as [MetricName, number][])
            (out[m] ??= []).push(x);
        return out;
      });
      return { dataLabel, rows, plan: full, scores };
    });
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
