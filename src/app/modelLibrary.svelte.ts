/** Every model with its versions, best first by its own metric. */
import type { ModelRecord, ModelVersionRecord } from '../core/records';
import { isBetter } from '../core/train/evaluate';
import { METRICS } from '../core/train/metrics';
import type { Store } from '../store/db';
import { StoreError } from '../store/errors';
import { listModels, moveAlias, type AliasMove, listModelVersions } from '../store/models';
import { rankingScore } from './training';

export interface ModelSummary {
  model: ModelRecord;
  versions: ModelVersionRecord[];
  /** The best cross-validated score among its versions, by the model's metric. */
  best: number | null;
  /** The version that has it (the latest, when no version has a cross-validated score). */
  bestVersion: ModelVersionRecord | null;
}

/** Better first, whatever the metric's direction; models without a score last. */
function byScore(a: ModelSummary, b: ModelSummary): number {
  if (a.best === null || b.best === null) return a.best === null ? (b.best === null ? 0 : 1) : -1;
  const sign = (m: ModelSummary): number => (METRICS[m.model.metric].higherIsBetter ? 1 : -1);
  return sign(b) * b.best - sign(a) * a.best;
}

function bestOf(
  model: ModelRecord,
  versions: ModelVersionRecord[],
): { best: number | null; bestVersion: ModelVersionRecord | null } {
  let best: number | null = null;
  let bestVersion: ModelVersionRecord | null = null;
  for (const v of versions) {
    const s = rankingScore(v, model.metric);
    if (s !== null && (best === null || isBetter(model.metric, s, best))) {
      best = s;
      bestVersion = v;
    }
  }
  // A model none of whose versions was cross-validated (grown by hand) is shown by its latest.
  return { best, bestVersion: bestVersion ?? versions.at(-1) ?? null };
}

/** Every model with its versions, best score first. */
export class ModelLibrary {
  readonly #store: Store;
  readonly #author: () => string;
  items = $state.raw<ModelSummary[]>([]);

  constructor(store: Store, author: () => string) {
    this.#store = store;
    this.#author = author;
  }

  /** Moves an alias of a model (read fresh from the store) and refreshes the list. */
  async moveAlias(
    modelId: string,
    alias: string,
    version: ModelVersionRecord | null,
    move: AliasMove,
    reason: string,
  ): Promise<ModelRecord> {
    const model = await this.#store.get('models', modelId);
    if (!model) throw new StoreError('The model is no longer stored.');
    const updated = await moveAlias(
      this.#store,
      this.#author(),
      model,
      alias,
      version,
      move,
      reason,
    );
    await this.refresh();
    return updated;
  }

  async refresh(): Promise<void> {
    const models = await listModels(this.#store);
    const items = await Promise.all(
      models.map(async (model) => {
        const versions = await listModelVersions(this.#store, model.id);
        return { model, versions, ...bestOf(model, versions) };
      }),
    );
    this.items = items.sort(byScore);
  }
}

/** What a training run left: the saved version, and the one it was retrained from. */
