/** The datasets and their versions, as every screen lists them. */
import type { DatasetRecord, DatasetVersionRecord } from '../core/records';
import { listVersions, type SaveResult } from '../store/datasets';
import type { Store } from '../store/db';

export type { SaveResult };

/** What the person is told after a save: stored, or already there. */
export function describeSave(r: SaveResult, datasetName: string): string {
  if (r.saved) return `Saved as ${datasetName} v${r.version.number}.`;
  const where = r.dataset ? `${r.dataset.name} v${r.existing.number}` : 'an earlier version';
  return `This exact data is already stored as ${where}, so nothing new was saved.`;
}

export interface DatasetSummary {
  dataset: DatasetRecord;
  versions: DatasetVersionRecord[];
}

/** Every dataset with its versions, newest dataset first. */
export class DataLibrary {
  readonly #store: Store;
  items = $state.raw<DatasetSummary[]>([]);

  constructor(store: Store) {
    this.#store = store;
  }

  /** A data version by id, with its dataset's name and the label "iris v2"; null if not stored. */
  find(
    versionId: string | null,
  ): { version: DatasetVersionRecord; name: string; label: string } | null {
    for (const item of this.items) {
      const version = item.versions.find((v) => v.id === versionId);
      if (version)
        return {
          version,
          name: item.dataset.name,
          label: `${item.dataset.name} v${version.number}`,
        };
    }
    return null;
  }

  async refresh(): Promise<void> {
    const datasets = await this.#store.getAll('datasets');
    const items = await Promise.all(
      datasets.map(async (dataset) => ({
        dataset,
        versions: await listVersions(this.#store, dataset.id),
      })),
    );
    this.items = items.sort((a, b) => b.dataset.createdAt.localeCompare(a.dataset.createdAt));
  }
}
