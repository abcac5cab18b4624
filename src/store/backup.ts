import { BACKUP_STORES, type BackupRecords, type BackupStore } from '../core/backup/archive';
import type { Store } from './db';

/** Every record of every store, for a backup. */
export async function readAll(store: Store): Promise<BackupRecords> {
  const out = {} as BackupRecords;
  for (const s of BACKUP_STORES) out[s] = await store.getAll(s);
  return out;
}

function keyOf(s: BackupStore, r: unknown): string {
  const rec = r as Record<string, unknown>;
  return String(s === 'settings' ? rec['key'] : s === 'events' ? rec['seq'] : rec['id']);
}

/** A stable text for a record, typed arrays included, to tell identical from different. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, x: unknown) => {
    if (x instanceof Float64Array || x instanceof Int32Array)
      return { t: x.constructor.name, v: Array.from(x, (n) => (Number.isNaN(n) ? 'NaN' : n)) };
    if (x && typeof x === 'object' && !Array.isArray(x))
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, (x as Record<string, unknown>)[k]]),
      );
    return x;
  });
}

/**
 * The whole store as one text: the same text means the same records, byte for byte. The
 * `restore` events a restore itself adds are left out, so a store and its restored copy compare.
 */
export async function canonicalDump(store: Store): Promise<string> {
  const all = await readAll(store);
  all.events = all.events.filter((e) => (e as { action?: string }).action !== 'restore');
  return canonical(
    Object.fromEntries(
      BACKUP_STORES.map((s) => [
        s,
        [...all[s]].sort((a, b) => keyOf(s, a).localeCompare(keyOf(s, b))),
      ]),
    ),
  );
}

export interface StorePreview {
  store: BackupStore;
  fresh: number;
  identical: number;
  conflicts: number;
}

export interface Preview {
  stores: StorePreview[];
  /** Records to write when merging (new ones only). */
  toMerge: { store: BackupStore; values: unknown[] }[];
}

/** What a restore would do: per store, records new, identical, or in conflict (same key, other content). */
export async function previewRestore(store: Store, records: BackupRecords): Promise<Preview> {
  const current = await readAll(store);
  const stores: StorePreview[] = [];
  const toMerge: Preview['toMerge'] = [];
  for (const s of BACKUP_STORES) {
    const have = new Map(current[s].map((r) => [keyOf(s, r), canonical(r)]));
    let fresh = 0;
    let identical = 0;
    let conflicts = 0;
    const values: unknown[] = [];
    for (const r of records[s]) {
      const mine = have.get(keyOf(s, r));
      if (mine === undefined) {
        fresh++;
        values.push(r);
      } else if (mine === canonical(r)) identical++;
      else conflicts++;
    }
    stores.push({ store: s, fresh, identical, conflicts });
    if (values.length) toMerge.push({ store: s, values });
  }
  return { stores, toMerge };
}

/** Restores: merge (new records only; identical and conflicting ones are left as they are) or replace everything. */
export async function applyRestore(
  store: Store,
  author: string,
  records: BackupRecords,
  mode: 'merge' | 'replace',
  summary: string,
): Promise<void> {
  if (mode === 'replace') {
    await store.restore(
      author,
      BACKUP_STORES.map((s) => ({ store: s, values: records[s] })),
      true,
      summary,
    );
    return;
  }
  const { toMerge } = await previewRestore(store, records);
  await store.restore(author, toMerge, false, summary);
}

/** How many data and model versions were made after `since` (all of them when null). */
export async function versionsSince(store: Store, since: string | null): Promise<number> {
  const range = since ? IDBKeyRange.lowerBound(since, true) : undefined;
  const models = await store.db.countFromIndex('modelVersions', 'by-created', range);
  const data = (await store.getAll('datasetVersions')).filter(
    (v) => !since || v.createdAt > since,
  ).length;
  return models + data;
}
