import type { SettingRecord } from '../core/records';
import type { Store } from './db';

/** The settings Orpheus knows, with the type of each value. */
export interface Settings {
  /** The person's name, recorded as the author of everything they make. */
  userName: string;
  /** Whether the browser granted persistent storage when it was asked. */
  persistGranted: boolean;
  /** When the last backup was made (ISO time). */
  lastBackupAt: string;
  /** Remind to back up after this many days, and after this many new versions. */
  backupReminder: { days: number; versions: number };
}

export type SettingKey = keyof Settings;

function isValue<K extends SettingKey>(key: K, v: unknown): v is Settings[K] {
  switch (key) {
    case 'userName':
      return typeof v === 'string';
    case 'persistGranted':
      return typeof v === 'boolean';
    case 'lastBackupAt':
      return typeof v === 'string' && !Number.isNaN(Date.parse(v));
    case 'backupReminder': {
      const r = v as { days?: unknown; versions?: unknown } | null;
      return (
        typeof r === 'object' &&
        r !== null &&
        Number.isInteger(r.days) &&
        Number.isInteger(r.versions)
      );
    }
  }
  return false;
}

/** Reads a setting; a missing or malformed value reads as undefined. */
export async function readSetting<K extends SettingKey>(
  store: Store,
  key: K,
): Promise<Settings[K] | undefined> {
  const rec = await store.get('settings', key);
  return rec && isValue(key, rec.value) ? rec.value : undefined;
}

/** Writes a setting, with an event naming who changed it. */
export async function writeSetting<K extends SettingKey>(
  store: Store,
  author: string,
  key: K,
  value: Settings[K],
  now = new Date(),
): Promise<void> {
  const record: SettingRecord = { key, value, updatedAt: now.toISOString() };
  await store.commit(
    author,
    [{ store: 'settings', value: record, action: 'update', summary: `set ${key}` }],
    now,
  );
}
