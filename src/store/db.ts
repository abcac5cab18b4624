import { openDB, type IDBPDatabase } from 'idb';
import type { EventRecord, RecordKind } from '../core/records';
import { toStoreError } from './errors';
import { DB_VERSION, KIND_OF_STORE, upgrade, type OrpheusDB, type StoreName } from './schema';

/** Stores that hold records (everything but the event log itself). */
export type RecordStore = Exclude<StoreName, 'events'>;

/** Stores whose records never change once written: a second write with the same key fails. */
const IMMUTABLE: ReadonlySet<RecordStore> = new Set([
  'datasetVersions',
  'datasetColumns',
  'modelVersions',
]);

/** One record to write, and the event that says so. */
export type Write = {
  [S in RecordStore]: {
    store: S;
    value: OrpheusDB[S]['value'];
    /** A verb for the event log: `create`, `update`, `promote` … */
    action: string;
    /** A short description for people reading the log. */
    summary: string;
    /** False for a record whose event another write of the same batch already gives. */
    logged?: boolean;
  };
}[RecordStore];

export interface OpenOptions {
  /** Schema version to open; tests open older ones. Defaults to the newest. */
  version?: number;
  /** Another tab wants a newer schema: this connection has been closed and the page should reload. */
  onVersionChange?: () => void;
}

function keyOf(w: Write): string {
  return w.store === 'settings' ? w.value.key : w.value.id;
}

/**
 * The one door to IndexedDB. Opened once by the app; every write goes through `commit`, which
 * writes the records and their events in a single transaction: all of it or none of it.
 */
export class Store {
  /** Called after every successful write (the app tells other tabs). */
  onCommitted: ((events: EventRecord[]) => void) | null = null;

  private constructor(readonly db: IDBPDatabase<OrpheusDB>) {}

  static async open(name = 'orpheus', options: OpenOptions = {}): Promise<Store> {
    const version = options.version ?? DB_VERSION;
    try {
      const db = await openDB<OrpheusDB>(name, version, {
        upgrade: (database, oldVersion, newVersion, tx) =>
          upgrade(database, oldVersion, newVersion ?? version, tx),
        blocking: () => {
          db.close();
          options.onVersionChange?.();
        },
      });
      return new Store(db);
    } catch (e) {
      throw toStoreError(e, 'open the Orpheus database');
    }
  }

  /**
   * Writes every record and one event per record in one transaction. Only IndexedDB requests
   * are awaited inside it, together with `tx.done`, so no error is lost.
   */
  async commit(author: string, writes: readonly Write[], now = new Date()): Promise<EventRecord[]> {
    if (writes.length === 0) return [];
    const at = now.toISOString();
    const stores = [...new Set<StoreName>([...writes.map((w) => w.store), 'events'])];
    const events: EventRecord[] = writes
      .filter((w) => w.logged !== false)
      .map((w) => ({
        at,
        author,
        action: w.action,
        kind: KIND_OF_STORE[w.store] as RecordKind,
        recordId: keyOf(w),
        summary: w.summary,
      }));
    try {
      const tx = this.db.transaction(stores, 'readwrite');
      const requests: Promise<unknown>[] = [];
      const seqs: Promise<number>[] = [];
      try {
        for (const w of writes) {
          // The union of stores is too wide for idb's per-store typing; `Write` ties value to store.
          const os = tx.objectStore(w.store) as unknown as {
            add(v: unknown): Promise<unknown>;
            put(v: unknown): Promise<unknown>;
          };
          requests.push(IMMUTABLE.has(w.store) ? os.add(w.value) : os.put(w.value));
        }
        const log = tx.objectStore('events');
        for (const e of events) seqs.push(log.add(e));
      } catch (e) {
        // A request refused on the spot (a full disk, a bad key) must not let the earlier ones
        // commit: abort, and let the requests already made fail quietly with the transaction.
        for (const p of [...requests, ...seqs, tx.done]) p.catch(() => undefined);
        tx.abort();
        throw e;
      }
      let written: number[];
      try {
        [, written] = await Promise.all([Promise.all(requests), Promise.all(seqs), tx.done]);
      } catch (e) {
        // The transaction's abort can arrive before the request that caused it: report the cause.
        const settled = await Promise.allSettled(requests);
        const cause = settled.find(
          (r): r is PromiseRejectedResult =>
            r.status === 'rejected' &&
            (r.reason as { name?: string } | null)?.name === 'ConstraintError',
        );
        throw cause ? cause.reason : e;
      }
      const done = events.map((e, i) => ({ ...e, seq: written[i] }));
      this.onCommitted?.(done);
      return done;
    } catch (e) {
      throw toStoreError(e, `save ${writes.map((w) => KIND_OF_STORE[w.store]).join(', ')}`);
    }
  }

  async get<S extends StoreName>(
    store: S,
    key: OrpheusDB[S]['key'],
  ): Promise<OrpheusDB[S]['value'] | undefined> {
    try {
      return await this.db.get(store, key);
    } catch (e) {
      throw toStoreError(e, `read ${store}`);
    }
  }

  async getAll<S extends StoreName>(store: S): Promise<OrpheusDB[S]['value'][]> {
    try {
      return await this.db.getAll(store);
    } catch (e) {
      throw toStoreError(e, `read ${store}`);
    }
  }

  async count(store: StoreName): Promise<number> {
    try {
      return await this.db.count(store);
    } catch (e) {
      throw toStoreError(e, `count ${store}`);
    }
  }

  /** The newest events first. */
  async recentEvents(limit: number): Promise<EventRecord[]> {
    const out: EventRecord[] = [];
    try {
      let cursor = await this.db.transaction('events').store.openCursor(null, 'prev');
      while (cursor && out.length < limit) {
        out.push(cursor.value);
        cursor = await cursor.continue();
      }
    } catch (e) {
      throw toStoreError(e, 'read the activity log');
    }
    return out;
  }

  /**
   * Writes a restored backup in one transaction: every store cleared first when `replace`,
   * then every record put, then one `restore` event. All of it or none of it.
   */
  async restore(
    author: string,
    records: readonly { store: StoreName; values: readonly unknown[] }[],
    replace: boolean,
    summary: string,
    now = new Date(),
  ): Promise<void> {
    const stores = [...new Set<StoreName>([...records.map((r) => r.store), 'events'])];
    try {
      const tx = this.db.transaction(stores, 'readwrite');
      const done = tx.done;
      try {
        const ops: Promise<unknown>[] = [];
        if (replace) for (const s of stores) ops.push(tx.objectStore(s).clear());
        for (const r of records) {
          const os = tx.objectStore(r.store) as unknown as { put(v: unknown): Promise<unknown> };
          for (const value of r.values) ops.push(os.put(value));
        }
        ops.push(
          tx.objectStore('events').add({
            at: now.toISOString(),
            author,
            action: 'restore',
            kind: 'setting',
            recordId: 'backup',
            summary,
          }),
        );
        await Promise.all([...ops, done]);
        this.onCommitted?.([]);
      } catch (e) {
        done.catch(() => undefined);
        try {
          tx.abort();
        } catch {
          // already finished
        }
        throw e;
      }
    } catch (e) {
      throw toStoreError(e, 'restore the backup');
    }
  }

  close(): void {
    this.db.close();
  }
}
