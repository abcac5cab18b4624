import {
  readBackup,
  selectModel,
  writeBackup,
  type BackupRecords,
  type ReadBackup,
} from '../core/backup/archive';
import {
  applyRestore,
  previewRestore,
  readAll,
  versionsSince,
  type Preview,
} from '../store/backup';
import type { Store } from '../store/db';
import { StoreError } from '../store/errors';
import { readSetting, writeSetting } from '../store/settings';
import { Job } from './job.svelte';
import { isoNow } from './time';

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
  readonly exporting = new Job<{ blob: Blob; name: string; bytes: number }>();
  readonly reading = new Job<{ backup: ReadBackup; preview: Preview; fileName: string }>();
  readonly restoring = new Job<string>();
  lastBackupAt = $state<string | null>(null);
  reminder = $state<{ days: number; versions: number }>({ ...DEFAULT_REMINDER });
  /** Versions (data and model) made since the last backup. */
  newVersions = $state(0);
  dismissed = $state(false);

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

  /**
   * Builds the backup file of the whole store. The time of this backup is recorded first, so
   * the file holds it too and a restore brings back exactly the store it was made from; if
   * writing the file fails, the previous time is put back.
   */
  export(): Promise<{ blob: Blob; name: string; bytes: number } | null> {
    return this.exporting.run(async () => {
      const now = isoNow();
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
      await mark(now, 'backup', 'backup of the whole store');
      try {
        return await this.#file(await readAll(this.#store), now, 'orpheus');
      } catch (e) {
        await mark(previous, 'update', 'backup failed: last backup time put back');
        throw e;
      }
    });
  }

  /** One model with what it needs (versions, data, studies, predictions), to move it elsewhere. */
  exportModel(
    modelId: string,
    modelName: string,
  ): Promise<{ blob: Blob; name: string; bytes: number } | null> {
    return this.exporting.run(async () =>
      this.#file(
        selectModel(await readAll(this.#store), modelId),
        isoNow(),
        `orpheus-${modelName.replace(/[^\w-]+/g, '_')}`,
      ),
    );
  }

  async #file(
    records: BackupRecords,
    now: string,
    prefix: string,
  ): Promise<{ blob: Blob; name: string; bytes: number }> {
    const bytes = await writeBackup(records, {
      app: __APP_VERSION__,
      author: this.#author(),
      createdAt: now,
    });
    return {
      blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/x-orpheus' }),
      name: `${prefix}-${now.slice(0, 19).replace(/[:T]/g, '-')}.orpheus`,
      bytes: bytes.length,
    };
  }

  /** Reads and checks a file; nothing is written until `restore`. */
  open(file: File): Promise<unknown> {
    this.restoring.reset();
    return this.reading.run(async () => {
      const backup = await readBackup(new Uint8Array(await file.arrayBuffer()));
      return {
        backup,
        preview: await previewRestore(this.#store, backup.records),
        fileName: file.name,
      };
    });
  }

  restore(mode: 'merge' | 'replace'): Promise<string | null> {
    const read = this.reading.result;
    if (!read) return Promise.resolve(null);
    return this.restoring.run(async () => {
      await applyRestore(
        this.#store,
        this.#author(),
        read.backup.records,
        mode,
        `${mode === 'replace' ? 'replaced everything with' : 'merged'} ${read.fileName}`,
      );
      await this.#afterRestore();
      await this.load();
      return mode === 'replace'
        ? `Everything was replaced by the backup made ${read.backup.manifest.createdAt.slice(0, 16).replace('T', ' ')} UTC by ${read.backup.manifest.author}.`
        : `${read.preview.toMerge.reduce((n, s) => n + s.values.length, 0)} new records were added.`;
    });
  }
}
