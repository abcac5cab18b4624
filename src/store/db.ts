import { openDB, unwrap, type IDBPDatabase } from 'idb';
import type { EventRecord, RecordKind } from '../core/records';
import { StoreError, toStoreError } from './errors';
import { DB_VERSION, KIND_OF_STORE, upgrade, type OrpheusDB, type StoreName } from './schema';

/** Stores that hold records (everything but the event log itself). */
export type RecordStore = Exclude<StoreName, 'events'>;

/** Stores whose records never change once written: a second write with the same key fails. */
const IMMUTABLE: ReadonlySet<RecordStore> = new Set([
  'datasetVersions',
  'datasetColumns',
  'modelVersions',
]);

/** A record that must exist for a write to make sense. */
export interface Requirement {
  store: StoreName;
  key: string;
  /** What the person reads when it is gone. */
  message: string;
}

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
  /** Called after a restore replaced every record (other tabs must drop what they hold). */
  onReplaced: (() => void) | null = null;

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
  /**
   * Writes the records and their events in one transaction. `requires` names records that must
   * still exist when it runs (a trial's study: another tab may have replaced the store); if one
   * is gone nothing is written and its message is the error.
   */
  async commit(
    author: string,
    writes: readonly Write[],
    now = new Date(),
    requires: readonly Requirement[] = [],
  ): Promise<EventRecord[]> {
    if (writes.length === 0) return [];
    const at = now.toISOString();
    const stores = [
      ...new Set<StoreName>([
        ...writes.map((w) => w.store),
        'events',
        ...requires.map((r) => r.store),
      ]),
    ];
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
      for (const r of requires)
        if ((await tx.objectStore(r.store).count(r.key)) === 0) {
          tx.abort();
          await tx.done.catch(() => undefined);
          throw new StoreError(r.message);
        }
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
   * Writes a restored backup in one transaction while `feed` reads it: every store emptied
   * first when `replace`, then each batch `feed` hands to `write`, then one `restore` event.
   * All of it or none of it: if `feed` throws (a damaged file, a cancel) or a write fails (a
   * full disk), the transaction is aborted.
   *
   * An IndexedDB transaction commits as soon as it has no request left, and takes new requests
   * only inside a request's callback; reading the file takes longer than that. So a chain of
   * cheap reads keeps the transaction open, and each link puts the records waiting for it.
   */
  async restoreStream(
    author: string,
    replace: boolean,
    summary: string,
    feed: (write: (store: StoreName, values: readonly unknown[]) => Promise<void>) => Promise<void>,
    now = new Date(),
  ): Promise<void> {
    const names = [...this.db.objectStoreNames] as StoreName[];
    let tx: IDBTransaction;
    try {
      tx = unwrap(this.db).transaction(names, 'readwrite');
    } catch (e) {
      throw toStoreError(e, 'restore the backup');
    }
    type Waiting = {
      store: StoreName;
      values: readonly unknown[];
      resolve: () => void;
      reject: (e: unknown) => void;
    };
    let waiting: Waiting[] = [];
    let fed = false;
    let failure: unknown = null;
    const ended = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => {
        failure ??= tx.error ?? new DOMException('The restore was stopped.', 'AbortError');
        for (const w of waiting.splice(0)) w.reject(failure);
        reject(failure);
      };
    });
    ended.catch(() => undefined);
    const link = (): void => {
      if (failure) return;
      for (const w of waiting.splice(0)) {
        const os = tx.objectStore(w.store);
        for (const value of w.values) os.put(value);
        w.resolve();
      }
      if (fed) {
        tx.objectStore('events').add({
          at: now.toISOString(),
          author,
          action: 'restore',
          kind: 'setting',
          recordId: 'backup',
          summary,
        });
        return;
      }
      tx.objectStore('settings').count().onsuccess = link;
    };
    if (replace) for (const name of names) tx.objectStore(name).clear();
    link();
    const write = (store: StoreName, values: readonly unknown[]): Promise<void> =>
      failure
        ? Promise.reject(failure)
        : new Promise((resolve, reject) => waiting.push({ store, values, resolve, reject }));
    try {
      await feed(write);
      fed = true;
    } catch (e) {
      failure ??= e;
      waiting = [];
      try {
        tx.abort();
      } catch {
        // already ended
      }
      throw e instanceof Error && (e.name === 'BackupError' || e.name === 'AbortError')
        ? e
        : toStoreError(e, 'restore the backup');
    }
    try {
      await ended;
    } catch (e) {
      throw toStoreError(e, 'restore the backup');
    }
    this.onCommitted?.([]);
    if (replace) this.onReplaced?.();
  }

  close(): void {
    this.db.close();
  }

  /**
   * Deletes a whole database: every record and the activity log, so nothing of it survives.
   * Other tabs holding it are asked to let go (they are told to reload).
   */
  static deleteDatabase(name = 'orpheus'): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(toStoreError(request.error, 'delete the data'));
    });
  }
}
