import type { PredictionRecord } from '../core/records';
import type { Store, Write } from './db';
import { toStoreError } from './errors';

export type PredictionDraft = Omit<PredictionRecord, 'id' | 'author' | 'createdAt'>;

/** Logs predictions in one transaction; a batch gets one event for all its rows. */
export async function logPredictions(
  store: Store,
  author: string,
  drafts: readonly PredictionDraft[],
  summary: string,
  now = new Date(),
): Promise<PredictionRecord[]> {
  const createdAt = now.toISOString();
  const records = drafts.map((d) => ({ ...d, id: crypto.randomUUID(), author, createdAt }));
  const writes: Write[] = records.map((value, i) => ({
    store: 'predictions',
    value,
    action: 'predict',
    summary,
    logged: i === 0,
  }));
  await store.commit(author, writes, now);
  return records;
}

/** Every logged prediction, newest first. */
export async function listPredictions(store: Store): Promise<PredictionRecord[]> {
  try {
    const all = await store.db.getAllFromIndex('predictions', 'by-created');
    return all.reverse();
  } catch (e) {
    throw toStoreError(e, 'read the prediction log');
  }
}

/** Attaches true labels to logged predictions (one event for the lot). */
export async function attachLabels(
  store: Store,
  author: string,
  updates: readonly { prediction: PredictionRecord; label: string | null }[],
  now = new Date(),
): Promise<PredictionRecord[]> {
  const at = now.toISOString();
  const records = updates.map(({ prediction, label }) => ({
    ...prediction,
    label: label === null || label.trim() === '' ? null : label.trim(),
    labelledAt: label === null || label.trim() === '' ? null : at,
  }));
  await store.commit(
    author,
    records.map((value, i) => ({
      store: 'predictions',
      value,
      action: 'label',
      summary: `${records.length} label${records.length === 1 ? '' : 's'} attached`,
      logged: i === 0,
    })),
    now,
  );
  return records;
}
