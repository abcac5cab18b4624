import {
  BACKUP_STORES,
  BackupWriter,
  scanBackup,
  selection,
  type BackupRecords,
  type BackupStore,
  type Manifest,
  type Sink,
} from '../core/backup/archive';
import {
  KEY_FIELDS,
  REFERENCES,
  referencedIds,
  rewriteReferences,
  targetStore,
  type EventRecord,
  type RecordStoreName,
} from '../core/records';
import { canonical } from '../core/canonical';
import type { Store } from './db';

import type { Progress } from '../core/vocabulary';

/** The field that is a store's key. */
const keyField = (s: BackupStore): string => KEY_FIELDS[s];

/** The key of a record in its store, as text. */
function keyOf(s: BackupStore, r: unknown): string {
  return String((r as Record<string, unknown>)[keyField(s)]);
}

/**
 * A store's records page by page in key order, so no more than one page is in memory; rows of
 * data versions (large) one at a time.
 */
async function* pages(store: Store, name: BackupStore): AsyncGenerator<unknown[]> {
  const size = name === 'datasetColumns' ? 1 : 2000;
  let after: IDBValidKey | undefined;
  for (;;) {
    const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true);
    const page: unknown[] = await store.db.getAll(name, range, size);
    if (page.length === 0) return;
    yield page;
    after = (page[page.length - 1] as Record<string, IDBValidKey>)[keyField(name)];
  }
}

/** Every record of every store, for tests and small stores. */
export async function readAll(store: Store): Promise<BackupRecords> {
  const out = {} as BackupRecords;
  for (const s of BACKUP_STORES) out[s] = await store.getAll(s);
  return out;
}

/**
 * Writes the store (or one model and what it needs) to a backup, store by store and page by
 * page, to `sink`. Progress counts records.
 */
export async function exportBackup(
  store: Store,
  sink: Sink,
  meta: { app: string; author: string; createdAt: string },
  options: { modelId?: string; signal?: AbortSignal; onProgress?: Progress } = {},
): Promise<{ manifest: Manifest; rawBytes: number; fileBytes: number; largestMember: number }> {
  const keep = options.modelId ? await modelSelection(store, options.modelId) : null;
  const totals = await Promise.all(BACKUP_STORES.map((s) => store.count(s)));
  const total = totals.reduce((a, b) => a + b, 0);
  const writer = new BackupWriter(sink);
  let done = 0;
  for (const s of BACKUP_STORES)
    for await (const page of pages(store, s)) {
      options.signal?.throwIfAborted();
      for (const r of page) if (!keep || keep(s, r)) await writer.add(s, r);
      done += page.length;
      options.onProgress?.(done, total);
    }
  const manifest = await writer.finish(meta);
  return {
    manifest,
    rawBytes: writer.rawBytes,
    fileBytes: writer.fileBytes,
    largestMember: writer.largestMember,
  };
}

/** Which records one model needs, found from the model's own records and the small stores. */
async function modelSelection(
  store: Store,
  modelId: string,
): Promise<(s: BackupStore, r: unknown) => boolean> {
  return selection(
    {
      modelVersions: await store.db.getAllFromIndex('modelVersions', 'by-model', modelId),
      studies: await store.getAll('studies'),
      datasetVersions: await store.getAll('datasetVersions'),
    },
    modelId,
  );
}

export { canonical };

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

/** What a restore would do, found by reading the whole file once and writing nothing. */
export interface Preview {
  manifest: Manifest;
  stores: StorePreview[];
  /** Keys already here, per store: identical or in conflict. */
  present: Record<BackupStore, Set<string>>;
  /** Keys here with other content, per store. */
  conflicting: Record<BackupStore, Set<string>>;
  /** Names of the models and studies in conflict (those "keep both" copies), for the person to read. */
  conflictNames: string[];
  /** Records the file points at that are not in it but are here ("<store>:<id>"), for a merge. */
  foundHere: Set<string>;
}

/** Stores whose records in conflict can come in as copies (with everything under them). */
const COPYABLE: ReadonlySet<BackupStore> = new Set(['models', 'studies']);

/** Reads and checks a backup file and compares every record with the store; writes nothing. */
export async function previewBackup(
  store: Store,
  file: Blob | Uint8Array,
  onProgress?: Progress,
  signal?: AbortSignal,
): Promise<Preview> {
  const counts = new Map(
    BACKUP_STORES.map((s) => [s, { store: s, fresh: 0, identical: 0, conflicts: 0 }]),
  );
  const present = Object.fromEntries(
    BACKUP_STORES.map((s) => [s, new Set()]),
  ) as Preview['present'];
  const conflicting = Object.fromEntries(
    BACKUP_STORES.map((s) => [s, new Set()]),
  ) as Preview['conflicting'];
  const conflictNames: string[] = [];
  const foundHere = new Set<string>();
  const manifest = await scanBackup(
    file,
    async ({ store: s, records }) => {
      if (records.length === 0) return; // an empty part: nothing to compare
      const keys = records.map((r) => keyOf(s, r));
      const ids = keys.map((k): IDBValidKey => (s === 'events' ? Number(k) : k));
      const tx = store.db.transaction(s);
      // When the part's key range holds few records here (a restore into an empty or a
      // different store), one key listing tells which exist, and only those are read.
      const sorted = [...ids].sort((a, b) => indexedDB.cmp(a, b));
      const range = IDBKeyRange.bound(sorted[0]!, sorted[sorted.length - 1]!);
      const listed =
        (await tx.store.count(range)) <= 2 * ids.length
          ? new Set((await tx.store.getAllKeys(range)).map(String))
          : null;
      const mine: unknown[] = await Promise.all(
        ids.map((k, i) => (!listed || listed.has(keys[i]!) ? tx.store.get(k as never) : undefined)),
      );
      // A log entry numbered differently here but already logged (a file merged before) is
      // not added again: merging the same file twice changes nothing the second time.
      const loggedAlready = new Set<string>();
      if (s === 'events')
        for (const [i, r] of records.entries()) {
          const e = r as EventRecord;
          if (mine[i] === undefined || canonical(mine[i]) === canonical(r)) continue;
          const same = await store.db.getAllFromIndex('events', 'by-record', [e.kind, e.recordId]);
          if (same.some((x) => sameEntry(x, e))) loggedAlready.add(keys[i]!);
        }
      const c = counts.get(s)!;
      records.forEach((r, i) => {
        const existing = mine[i];
        if (existing === undefined) {
          c.fresh++;
          return;
        }
        present[s].add(keys[i]!);
        if (canonical(existing) === canonical(r)) c.identical++;
        else if (s === 'events' && loggedAlready.has(keys[i]!)) c.identical++;
        else {
          c.conflicts++;
          conflicting[s].add(keys[i]!);
          if (COPYABLE.has(s) && conflictNames.length < 20)
            conflictNames.push(
              `${s === 'models' ? 'model' : 'study'} “${String((r as { name: unknown }).name)}”`,
            );
        }
      });
    },
    onProgress,
    signal,
    async (s, id) => {
      const here = (await store.db.count(s, s === 'events' ? Number(id) : id)) > 0;
      if (here) foundHere.add(`${s}:${id}`);
      return here;
    },
  );
  return { manifest, stores: [...counts.values()], present, conflicting, conflictNames, foundHere };
}

/** The same log entry, whatever its number. */
function sameEntry(a: EventRecord, b: EventRecord): boolean {
  return (
    a.at === b.at &&
    a.author === b.author &&
    a.action === b.action &&
    a.kind === b.kind &&
    a.recordId === b.recordId &&
    a.summary === b.summary
  );
}

/** What to do with records that exist here with other content, when merging. */
export type ConflictChoice = 'skip' | 'both';

/**
 * Decides, record by record as the file is read again, what a merge writes: new records as
 * they are; identical ones not at all; in conflict, this browser's record is kept and, with
 * `both`, a model or study from the file comes in as a copy under a new id, with everything it
 * owns (versions, trials, predictions: the `owner` references), and every reference to a copied
 * record (as declared in `REFERENCES`) rewritten to the copy. Which records are copied is known
 * before the records that point at them arrive: models and studies from the preview, owned
 * records from their owner, and a copied model's aliases and notes point at its own versions.
 * Activity-log entries are a history, never a choice: one that differs from the entry with the
 * same number here is added as a new entry.
 */
class MergePlan {
  readonly #preview: Preview;
  readonly #copied = new Map<RecordStoreName, Set<string>>();
  readonly #suffix = `-copy-${Date.now().toString(36)}`;
  copied = 0;

  constructor(preview: Preview, choice: ConflictChoice) {
    this.#preview = preview;
    for (const s of COPYABLE)
      this.#copied.set(s, new Set(choice === 'both' ? preview.conflicting[s] : []));
  }

  #isCopied(s: RecordStoreName | undefined, id: string): boolean {
    return s !== undefined && (this.#copied.get(s)?.has(id) ?? false);
  }

  records(s: BackupStore, records: readonly unknown[]): unknown[] {
    const out: unknown[] = [];
    for (const r of records) {
      const rec = r as Record<string, unknown>;
      const key = keyOf(s, r);
      if (s === 'events') {
        if (this.#preview.conflicting.events.has(key)) {
          const rest = { ...rec };
          delete rest['seq']; // a new entry, numbered by the log
          out.push(this.#rewrite(s, rest, false));
        } else if (!this.#preview.present.events.has(key)) out.push(this.#rewrite(s, rec, false));
        continue;
      }
      const owned = REFERENCES[s].some(
        (ref) =>
          ref.owner &&
          referencedIds(rec, ref).some((id) => this.#isCopied(targetStore(rec, ref), id)),
      );
      if (owned) {
        if (!this.#copied.has(s)) this.#copied.set(s, new Set());
        this.#copied.get(s)!.add(key);
      }
      if (this.#isCopied(s, key)) {
        this.copied++;
        const named = COPYABLE.has(s) ? { name: `${String(rec['name'])} (copy from backup)` } : {};
        out.push(this.#rewrite(s, { ...rec, ...named }, true));
      } else if (!this.#preview.present[s].has(key)) out.push(this.#rewrite(s, rec, false));
    }
    return out;
  }

  /** The record with every reference to a copied record pointing at the copy (its own key too). */
  #rewrite(s: BackupStore, rec: Record<string, unknown>, isCopy: boolean): Record<string, unknown> {
    if (![...this.#copied.values()].some((set) => set.size > 0)) return rec;
    const refs = REFERENCES[s];
    let out = { ...rec };
    for (const ref of refs) {
      const to = targetStore(rec, ref);
      // A copied model's aliases and notes name its own versions, which are all copied.
      const all = isCopy && s === 'models' && to === 'modelVersions';
      out = rewriteReferences(out, [ref], (id) =>
        all || this.#isCopied(to, id) ? `${id}${this.#suffix}` : id,
      );
    }
    if (isCopy) out[keyField(s)] = `${keyOf(s, rec)}${this.#suffix}`;
    return out;
  }
}

/**
 * Restores a backup file: reads it again from the start, checking everything once more, and
 * writes it in one transaction as it goes (replace: every store emptied first; merge: as
 * `MergePlan` decides). A problem anywhere, or a cancel, aborts the transaction: nothing is
 * written. Returns how many records were written and how many came in as copies.
 */
export async function restoreBackup(
  store: Store,
  author: string,
  file: Blob | Uint8Array,
  preview: Preview,
  options: {
    mode: 'merge' | 'replace';
    conflicts?: ConflictChoice;
    summary: string;
    signal?: AbortSignal;
    onProgress?: Progress;
  },
): Promise<{ written: number; copied: number }> {
  const plan = new MergePlan(preview, options.conflicts ?? 'skip');
  let written = 0;
  await store.restoreStream(author, options.mode === 'replace', options.summary, async (write) => {
    await scanBackup(
      file,
      async ({ store: s, records }) => {
        options.signal?.throwIfAborted();
        const values = options.mode === 'replace' ? records : plan.records(s, records);
        written += values.length;
        if (values.length) await write(s, values);
      },
      options.onProgress,
      options.signal,
      // Merging: what the file points at may be here (the preview looked it up).
      options.mode === 'merge'
        ? (st, id) => Promise.resolve(preview.foundHere.has(`${st}:${id}`))
        : undefined,
    );
    options.signal?.throwIfAborted();
  });
  return { written, copied: plan.copied };
}
