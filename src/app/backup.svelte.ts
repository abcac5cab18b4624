import type { Manifest, Sink } from '../core/backup/archive';
import type { ConflictChoice, Preview } from '../store/backup';
import { versionsSince } from '../store/counts';
import type { Store } from '../store/db';
import { StoreError } from '../store/errors';
import { readSetting, writeSetting } from '../store/settings';
import { Job, type Progress } from './job.svelte';
import { isoNow } from './time';

/** The backup writer and reader (zip.js), loaded with the first backup or restore. */
const backupCode = (): Promise<typeof import('../store/backup')> => import('../store/backup');

/** Where a backup goes: a file the person chose (written as it is made), or a download. */
export interface BackupTarget {
  sink: Sink;
  /** Called when the file is complete; returns the blob to download, if any. */
  close(): Promise<Blob | null>;
  abort(): Promise<void>;
}

/**
 * A download: the pieces are gathered into blobs of a few MB as they come, which the browser
 * keeps outside the page's memory (on disk when large).
 */
export function downloadTarget(): BackupTarget {
  const blobs: Blob[] = [];
  let pending: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  const seal = (): void => {
    if (pending.length) blobs.push(new Blob(pending));
    pending = [];
    size = 0;
  };
  return {
    sink: (chunk) => {
      pending.push(chunk.slice() as Uint8Array<ArrayBuffer>);
      size += chunk.length;
      if (size >= 8 * 1024 * 1024) seal();
      return Promise.resolve();
    },
    close: () => {
      seal();
      return Promise.resolve(new Blob(blobs, { type: 'application/x-orpheus' }));
    },
    abort: () => Promise.resolve(),
  };
}

/** A file chosen with the File System Access API: each piece is written to disk as it comes. */
export function fileTarget(writable: FileSystemWritableFileStream): BackupTarget {
  return {
    sink: (chunk) => writable.write(chunk as Uint8Array<ArrayBuffer>),
    close: async () => {
      await writable.close();
      return null;
    },
    abort: () => writable.abort(),
  };
}

export interface ExportResult {
  /** The file to download, or null when it was written to a chosen file. */
  blob: Blob | null;
  name: string;
  bytes: number;
}

/** The time of the last backup this browser made, kept in the settings store. */
const LAST_BACKUP = 'lastBackupAt';
const DEFAULT_REMINDER = { days: 7, versions: 20 };

function plural(n: number): string {
  return `${n} version${n === 1 ? '' : 's'}`;
}

/** Backup (export to a `.orpheus` file) and restore (checked, previewed, atomic). */
export class BackupFlow {
  readonly #store: Store;
  readonly #author: () => string;
  readonly #afterRestore: () => Promise<void>;
  readonly exporting = new Job<ExportResult>();
  readonly reading = new Job<{ preview: Preview; file: File }>();
  readonly restoring = new Job<string>();
  /** The history (model versions, studies, trials) as an MLflow file store in a zip. */
  readonly mlflow = new Job<Blob>();
  lastBackupAt = $state<string | null>(null);
  reminder = $state<{ days: number; versions: number }>({ ...DEFAULT_REMINDER });
  /** Versions (data and model) made since the last backup. */
  newVersions = $state(0);
  dismissed = $state(false);
  /** A write failed because the browser's storage is full: the shell offers a backup. */
  storageFull = $state(false);

  constructor(store: Store, author: () => string, afterRestore: () => Promise<void>) {
    this.#store = store;
    this.#author = author;
    this.#afterRestore = afterRestore;
  }

  async load(): Promise<void> {
    this.lastBackupAt = (await readSetting(this.#store, 'lastBackupAt')) ?? null;
    this.reminder = (await readSetting(this.#store, 'backupReminder')) ?? { ...DEFAULT_REMINDER };
    this.newVersions = await versionsSince(this.#store, this.lastBackupAt);
  }

  /** Why a backup is due, or null: too long ago, or too many new versions since. */
  get due(): string | null {
    const { days, versions } = this.reminder;
    if (this.newVersions === 0) return null;
    if (!this.lastBackupAt)
      return this.newVersions >= versions
        ? `No backup yet: ${plural(this.newVersions)} only in this browser.`
        : null;
    const age = Math.floor((Date.now() - Date.parse(this.lastBackupAt)) / 86_400_000);
    if (age >= days) return `The last backup is ${age} days old.`;
    if (this.newVersions >= versions)
      return `${plural(this.newVersions)} made since the last backup.`;
    return null;
  }

  async setReminder(days: number, versions: number): Promise<void> {
    if (!(Number.isInteger(days) && days >= 1 && Number.isInteger(versions) && versions >= 1))
      throw new StoreError('Remind after a whole number of days and of versions, each at least 1.');
    await writeSetting(this.#store, this.#author(), 'backupReminder', { days, versions });
    this.reminder = { days, versions };
  }

  /** The file name a backup made now gets. */
  static fileName(now: string, model?: string): string {
    const prefix = model ? `orpheus-${model.replace(/[^\w-]+/g, '_')}` : 'orpheus';
    return `${prefix}-${now.slice(0, 19).replace(/[:T]/g, '-')}.orpheus`;
  }

  /**
   * Writes a backup of the whole store, or of one model with what it needs, to `target`,
   * streaming it store by store. For the whole store, the time of this backup is recorded
   * first, so the file holds it too and a restore brings back exactly the store it was made
   * from; if writing the file fails, the previous time is put back. A store too full to record
   * the time is backed up all the same: that is when a backup matters most.
   */
  export(
    target: BackupTarget,
    now: string,
    model?: { id: string; name: string },
  ): Promise<ExportResult | null> {
    return this.exporting.run(async (signal, progress) => {
      const previous = this.lastBackupAt;
      const mark = async (value: string | null, action: string, summary: string): Promise<void> => {
        await this.#store.commit(this.#author(), [
          {
            store: 'settings',
            value: { key: LAST_BACKUP, value, updatedAt: isoNow() },
            action,
            summary,
          },
        ]);
        this.lastBackupAt = value;
        this.newVersions = 0;
      };
      let marked = false;
      if (!model)
        marked = await mark(now, 'backup', 'backup of the whole store').then(
          () => true,
          () => false,
        );
      try {
        const { exportBackup } = await backupCode();
        const { fileBytes } = await exportBackup(
          this.#store,
          target.sink,
          { app: __APP_VERSION__, author: this.#author(), createdAt: now },
          { modelId: model?.id, signal, onProgress: progress },
        );
        return {
          blob: await target.close(),
          name: BackupFlow.fileName(now, model?.name),
          bytes: fileBytes,
        };
      } catch (e) {
        await target.abort().catch(() => undefined);
        if (marked) await mark(previous, 'update', 'backup failed: last backup time put back');
        throw e;
      }
    });
  }

  exportMlflow(): Promise<Blob | null> {
    return this.mlflow.run(async (signal, progress) => {
      const { mlflowZip } = await import('./exports');
      return mlflowZip(this.#store, signal, progress);
    });
  }

  /** Reads and checks a file, and compares it with the store; nothing is written until `restore`. */
  open(file: File): Promise<unknown> {
    this.restoring.reset();
    return this.reading.run(async (signal, progress) => ({
      preview: await (await backupCode()).previewBackup(this.#store, file, progress, signal),
      file,
    }));
  }

  restore(mode: 'merge' | 'replace', conflicts: ConflictChoice = 'skip'): Promise<string | null> {
    const read = this.reading.result;
    if (!read) return Promise.resolve(null);
    const manifest: Manifest = read.preview.manifest;
    return this.restoring.run(async (signal, progress: Progress) => {
      const { restoreBackup } = await backupCode();
      const { written, copied } = await restoreBackup(
        this.#store,
        this.#author(),
        read.file,
        read.preview,
        {
          mode,
          conflicts,
          summary: `${mode === 'replace' ? 'replaced everything with' : 'merged'} ${read.file.name}`,
          signal,
          onProgress: progress,
        },
      );
      await this.#afterRestore();
      await this.load();
      return mode === 'replace'
        ? `Everything was replaced by the backup made ${manifest.createdAt.slice(0, 16).replace('T', ' ')} UTC by ${manifest.author}.`
        : `${written} records were added${copied ? `, ${copied} of them as copies of records that differ here` : ''}.`;
    });
  }
}
