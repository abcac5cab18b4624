/** Counts the backup reminder reads on every navigation: cheap index counts, no records. */
import type { Store } from './db';

/** How many data and model versions were made after `since` (all of them when null). */
export async function versionsSince(store: Store, since: string | null): Promise<number> {
  const range = since ? IDBKeyRange.lowerBound(since, true) : undefined;
  const models = await store.db.countFromIndex('modelVersions', 'by-created', range);
  const data = (await store.getAll('datasetVersions')).filter(
    (v) => !since || v.createdAt > since,
  ).length;
  return models + data;
}
