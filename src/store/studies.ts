import type { StudyRecord, TrialRecord } from '../core/records';
import type { Store } from './db';
import { toStoreError } from './errors';

export type StudyDraft = Omit<
  StudyRecord,
  'id' | 'author' | 'createdAt' | 'state' | 'bestVersionId'
>;

export async function createStudy(
  store: Store,
  author: string,
  draft: StudyDraft,
  now = new Date(),
): Promise<StudyRecord> {
  const study: StudyRecord = {
    ...draft,
    id: crypto.randomUUID(),
    state: 'running',
    bestVersionId: null,
    author,
    createdAt: now.toISOString(),
  };
  await store.commit(
    author,
    [{ store: 'studies', value: study, action: 'create', summary: `study ${study.name}` }],
    now,
  );
  return study;
}

/**
 * Records a change of state (pause, resume, complete, best version saved). The study must still be
 * stored: a study whose records were replaced from another tab is not written back.
 */
export async function updateStudy(
  store: Store,
  author: string,
  study: StudyRecord,
  action: string,
): Promise<StudyRecord> {
  await store.commit(
    author,
    [{ store: 'studies', value: study, action, summary: `study ${study.name}: ${action}` }],
    new Date(),
    [{ store: 'studies', key: study.id, message: goneMessage(study, 'its change was not stored') }],
  );
  return study;
}

function goneMessage(study: StudyRecord, what: string): string {
  return `The study “${study.name}” is no longer in this browser (the store was replaced or restored from a backup), so ${what}.`;
}

/** Stores one finished trial, as soon as it ends. */
export async function saveTrial(
  store: Store,
  author: string,
  study: StudyRecord,
  trial: Omit<TrialRecord, 'id' | 'author' | 'createdAt' | 'studyId'>,
  now = new Date(),
): Promise<TrialRecord> {
  const record: TrialRecord = {
    ...trial,
    id: `${study.id}/${trial.number}`,
    studyId: study.id,
    author,
    createdAt: now.toISOString(),
  };
  await store.commit(
    author,
    [
      {
        store: 'trials',
        value: record,
        action: trial.state,
        summary: `${study.name} trial ${trial.number}: ${trial.state}${trial.value === null ? '' : ` ${trial.value}`}`,
      },
    ],
    now,
    [
      {
        store: 'studies',
        key: study.id,
        message: goneMessage(study, 'its trial was not stored'),
      },
    ],
  );
  return record;
}

export async function listStudies(store: Store): Promise<StudyRecord[]> {
  const all = await store.getAll('studies');
  return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** A study's stored trials in number order. */
export async function listTrials(store: Store, studyId: string): Promise<TrialRecord[]> {
  try {
    return await store.db.getAllFromIndex(
      'trials',
      'by-study-number',
      IDBKeyRange.bound([studyId, 0], [studyId, Infinity]),
    );
  } catch (e) {
    throw toStoreError(e, 'read the trials of a study');
  }
}

/**
 * Stores a study read from another tool with all its trials, in one transaction: the whole
 * study or nothing. One event says so (not one per trial).
 */
export async function importStudy(
  store: Store,
  author: string,
  study: StudyRecord,
  trials: readonly TrialRecord[],
  now = new Date(),
): Promise<StudyRecord> {
  await store.commit(
    author,
    [
      {
        store: 'studies',
        value: study,
        action: 'import',
        summary: `study ${study.name}: imported with ${trials.length} trials`,
      },
      ...trials.map((t) => ({
        store: 'trials' as const,
        value: t,
        action: t.state,
        summary: '',
        logged: false,
      })),
    ],
    now,
  );
  return study;
}
