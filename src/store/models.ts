import type { MetricName } from '../core/train/metrics';
import type {
  EventRecord,
  ModelRecord,
  ModelVersionRecord,
  Task,
  VersionNote,
} from '../core/records';
import { canonical } from '../core/canonical';
import type { Store } from './db';
import { isConstraintError, StoreError, toStoreError } from './errors';

/** A trained version before the store gives it an id, a number and its parent. */
export type VersionDraft = Omit<
  ModelVersionRecord,
  'id' | 'modelId' | 'number' | 'parentId' | 'author' | 'createdAt'
>;

export interface NewModel {
  name: string;
  task: Task;
  metric: MetricName;
}

function summary(model: ModelRecord, v: ModelVersionRecord): string {
  return `${model.name} v${v.number} (${v.scenario})`;
}

/** Creates a model and saves its first version, in one transaction. */
export async function saveNewModel(
  store: Store,
  author: string,
  draft: NewModel,
  version: VersionDraft,
  now = new Date(),
): Promise<{ model: ModelRecord; version: ModelVersionRecord }> {
  const name = draft.name.trim();
  if (!name) throw new StoreError('Give the new model a name.');
  const taken = await store.db.getAllFromIndex('models', 'by-name', name).catch((e: unknown) => {
    throw toStoreError(e, 'check the model names');
  });
  if (taken.length > 0)
    throw new StoreError(
      `A model named "${name}" exists already; choose another name or pick it as an existing model.`,
    );
  const createdAt = now.toISOString();
  const model: ModelRecord = {
    id: crypto.randomUUID(),
    name,
    task: draft.task,
    metric: draft.metric,
    aliases: {},
    notes: {},
    author,
    createdAt,
  };
  const record: ModelVersionRecord = {
    ...version,
    id: crypto.randomUUID(),
    modelId: model.id,
    number: 1,
    parentId: null,
    author,
    createdAt,
  };
  await store.commit(
    author,
    [
      { store: 'models', value: model, action: 'create', summary: model.name },
      { store: 'modelVersions', value: record, action: 'create', summary: summary(model, record) },
    ],
    now,
  );
  return { model, version: record };
}

/**
 * Saves the next version of a model, its parent being the latest version. Two tabs saving at
 * once cannot take the same number (a unique index): the one that loses reads again and
 * takes the next, so numbers stay unique and gapless and no version is lost.
 */
export async function saveNextVersion(
  store: Store,
  author: string,
  model: ModelRecord,
  version: VersionDraft,
  now = new Date(),
): Promise<ModelVersionRecord> {
  for (let attempt = 0; ; attempt++) {
    const versions = await listModelVersions(store, model.id);
    const latest = versions.at(-1) ?? null;
    const record: ModelVersionRecord = {
      ...version,
      id: crypto.randomUUID(),
      modelId: model.id,
      number: (latest?.number ?? 0) + 1,
      parentId: latest?.id ?? null,
      author,
      createdAt: now.toISOString(),
    };
    try {
      await store.commit(
        author,
        [
          {
            store: 'modelVersions',
            value: record,
            action: 'create',
            summary: summary(model, record),
          },
        ],
        now,
      );
      return record;
    } catch (e) {
      if (!isConstraintError(e) || attempt >= 9) throw e;
    }
  }
}

export async function listModels(store: Store): Promise<ModelRecord[]> {
  return store.getAll('models');
}

/** Every version of a model, oldest first. */
export async function listModelVersions(
  store: Store,
  modelId: string,
): Promise<ModelVersionRecord[]> {
  try {
    return await store.db.getAllFromIndex(
      'modelVersions',
      'by-model-number',
      IDBKeyRange.bound([modelId, 0], [modelId, Infinity]),
    );
  } catch (e) {
    throw toStoreError(e, 'read the versions of a model');
  }
}

/** The model versions trained on a data version. */
export async function versionsTrainedOn(
  store: Store,
  datasetVersionId: string,
): Promise<ModelVersionRecord[]> {
  try {
    return await store.db.getAllFromIndex('modelVersions', 'by-dataset-version', datasetVersionId);
  } catch (e) {
    throw toStoreError(e, 'read the models trained on a data version');
  }
}

/** Sets (or clears, when empty) the note and tags of a version. */
export async function annotateVersion(
  store: Store,
  author: string,
  model: ModelRecord,
  version: ModelVersionRecord,
  note: VersionNote,
): Promise<ModelRecord> {
  const notes = { ...model.notes };
  const clean = {
    note: note.note.trim(),
    tags: [...new Set(note.tags.map((t) => t.trim()).filter(Boolean))],
  };
  if (clean.note || clean.tags.length) notes[version.id] = clean;
  else delete notes[version.id];
  const updated: ModelRecord = { ...model, notes };
  await store.commit(author, [
    {
      store: 'models',
      value: updated,
      action: 'annotate',
      summary: `${model.name} v${version.number}: ${clean.note || 'note cleared'}${clean.tags.length ? ` [${clean.tags.join(', ')}]` : ''}`,
    },
  ]);
  return updated;
}

/**
 * Adds a version received by link. It never changes a record here: the version keeps its id,
 * number, author and dates, and always comes with a model of its own: its model's record when
 * this browser has none of that id, otherwise a new model named "… (shared)" (a link may claim
 * any id). The data it was trained on stays where it was made (the version page says so).
 * Adding the same link again adds nothing.
 */
export async function importShared(
  store: Store,
  author: string,
  shared: {
    model: Pick<ModelRecord, 'id' | 'name' | 'task' | 'metric'>;
    version: ModelVersionRecord;
  },
  now = new Date(),
): Promise<{ model: ModelRecord; version: ModelVersionRecord; added: boolean }> {
  const here = await store.get('modelVersions', shared.version.id);
  if (here) {
    const owner = await store.get('models', here.modelId);
    if (
      owner &&
      canonical(here) ===
        canonical({ ...shared.version, modelId: here.modelId, parentId: here.parentId })
    )
      return { model: owner, version: here, added: false };
    throw new StoreError(
      'This browser has another model version under the id this link uses; nothing was added. Ask for a backup of the model instead of a link.',
    );
  }
  const existing = await store.get('models', shared.model.id);
  const taken = await store.db.getAllFromIndex('models', 'by-name', shared.model.name);
  const model: ModelRecord = {
    ...shared.model,
    id: existing ? crypto.randomUUID() : shared.model.id,
    name: existing || taken.length ? `${shared.model.name} (shared)` : shared.model.name,
    aliases: {},
    notes: {},
    author,
    createdAt: now.toISOString(),
  };
  const parent = shared.version.parentId
    ? await store.get('modelVersions', shared.version.parentId)
    : undefined;
  const version: ModelVersionRecord = {
    ...shared.version,
    modelId: model.id,
    parentId: parent && parent.modelId === model.id ? shared.version.parentId : null,
  };
  try {
    await store.commit(
      author,
      [
        { store: 'models', value: model, action: 'import', summary: `${model.name}, from a link` },
        {
          store: 'modelVersions',
          value: version,
          action: 'import',
          summary: `${summary(model, version)}, from a link`,
        },
      ],
      now,
    );
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw new StoreError(
      `The shared version could not be added (${e instanceof Error ? e.name : 'error'}); nothing was added. Try the link again, or ask for a backup of the model.`,
    );
  }
  return { model, version, added: true };
}

/** Sets what the model is for (its card's "Intended use"); empty clears it. */
export async function setIntendedUse(
  store: Store,
  author: string,
  model: ModelRecord,
  text: string,
): Promise<ModelRecord> {
  const updated: ModelRecord = { ...model };
  if (text.trim()) updated.intendedUse = text.trim();
  else delete updated.intendedUse;
  await store.commit(author, [
    {
      store: 'models',
      value: updated,
      action: 'describe',
      summary: `${model.name}: intended use ${text.trim() ? 'written' : 'cleared'}`,
    },
  ]);
  return updated;
}

/** Which model versions were trained on a data version, by model name and number. */
export async function modelsTrainedOn(
  store: Store,
  datasetVersionId: string,
): Promise<{ modelId: string; name: string; number: number }[]> {
  const trained = await versionsTrainedOn(store, datasetVersionId);
  const names = new Map<string, string>();
  for (const id of new Set(trained.map((t) => t.modelId)))
    names.set(id, (await store.get('models', id))?.name ?? 'a deleted model');
  return trained
    .map((t) => ({ modelId: t.modelId, name: names.get(t.modelId)!, number: t.number }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.number - b.number);
}

export type AliasMove = 'promote' | 'rollback' | 'demote' | 'alias';

/**
 * Points an alias (`champion`, `challenger`, a free name) at a version, or removes it
 * (`version` null). Versions are never touched: a rollback only moves the alias back. The event
 * records who, when, the move and the reason.
 */
export async function moveAlias(
  store: Store,
  author: string,
  model: ModelRecord,
  alias: string,
  version: ModelVersionRecord | null,
  move: AliasMove,
  reason: string,
): Promise<ModelRecord> {
  const name = alias.trim();
  if (!/^[\w-]{1,40}$/.test(name) || ['__proto__', 'constructor', 'prototype'].includes(name))
    throw new StoreError(
      'An alias is 1 to 40 letters, digits, "-" or "_", such as champion or staging.',
    );
  const aliases = { ...model.aliases };
  if (version) aliases[name] = version.id;
  else delete aliases[name];
  const updated: ModelRecord = { ...model, aliases };
  const why = reason.trim() || 'no reason given';
  await store.commit(author, [
    {
      store: 'models',
      value: updated,
      action: move,
      summary: version
        ? `${model.name}: ${name} → v${version.number} (${why})`
        : `${model.name}: ${name} removed (${why})`,
    },
  ]);
  return updated;
}

/** The moves of a model's aliases (and its other changes), newest first. */
export async function modelEvents(store: Store, modelId: string): Promise<EventRecord[]> {
  try {
    const all = await store.db.getAllFromIndex('events', 'by-record', ['model', modelId]);
    return all.reverse();
  } catch (e) {
    throw toStoreError(e, 'read the history of a model');
  }
}
