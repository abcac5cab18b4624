import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  DatasetRecord,
  DatasetVersionRecord,
  ModelRecord,
  ModelVersionRecord,
  PredictionRecord,
  StudyRecord,
  TrialRecord,
} from '../../src/core/records';
import { Store, type Write } from '../../src/store/db';
import { StorageFullError } from '../../src/store/errors';
import { DB_VERSION, MIGRATIONS } from '../../src/store/schema';
import { readSetting, writeSetting } from '../../src/store/settings';
import { versionFixture } from './fixtures';

let dbCount = 0;
const opened: Store[] = [];
/** A fresh database name per test, so tests never see each other's records. */
function freshName(): string {
  return `orpheus-test-${++dbCount}-${Math.random().toString(36).slice(2)}`;
}
async function open(name: string, version?: number): Promise<Store> {
  const s = await Store.open(name, version === undefined ? {} : { version });
  opened.push(s);
  return s;
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

const author = 'Ada';
const createdAt = '2026-01-02T03:04:05.000Z';

function sampleWrites(): Write[] {
  const dataset: DatasetRecord = { id: 'd1', name: 'iris', description: '', author, createdAt };
  const dv: DatasetVersionRecord = {
    id: 'a'.repeat(64),
    datasetId: 'd1',
    number: 1,
    parentId: null,
    source: 'iris.csv',
    task: 'classification',
    schema: [{ name: 'species', type: 'categorical', role: 'target' }],
    rowCount: 150,
    profile: {
      rowCount: 150,
      task: 'classification',
      columns: [],
      classBalance: null,
      rowsWithMissing: 0,
    },
    change: {
      kind: 'import',
      rowsAdded: 150,
      rowsRemoved: 0,
      columnsChanged: [],
      summary: 'imported',
    },
    author,
    createdAt,
  };
  const model: ModelRecord = {
    id: 'm1',
    name: 'iris-tree',
    task: 'classification',
    metric: 'accuracy',
    aliases: {},
    notes: {},
    author,
    createdAt,
  };
  const mv: ModelVersionRecord = {
    ...versionFixture(dv.id),
    id: 'mv1',
    modelId: 'm1',
    number: 1,
    parentId: null,
    author,
    createdAt,
  };
  const study: StudyRecord = {
    id: 's1',
    name: 'tune',
    datasetVersionId: dv.id,
    family: 'decision-tree',
    space: { maxDepth: { kind: 'int', low: 1, high: 8, step: 1, log: false } },
    sampler: 'tpe',
    gridPoints: 5,
    seed: 1,
    metric: 'accuracy',
    direction: 'maximize',
    budget: 20,
    halving: { eta: 1, rungs: [1] },
    evaluation: { folds: 5, testFraction: 0.2 },
    state: 'complete',
    modelId: null,
    bestVersionId: null,
    author,
    createdAt,
  };
  const trial: TrialRecord = {
    id: 't1',
    studyId: 's1',
    number: 0,
    params: { maxDepth: 3 },
    value: 0.9,
    state: 'complete',
    durationMs: 5,
    intermediate: [],
    author,
    createdAt,
  };
  const prediction: PredictionRecord = {
    id: 'p1',
    modelId: 'm1',
    modelVersionId: 'mv1',
    batchId: null,
    row: 0,
    rowId: null,
    source: 'form',
    inputs: [['petal_width', '1.2']],
    output: 'versicolor',
    probabilities: [0, 1, 0],
    path: ['', 'R'],
    label: null,
    labelledAt: null,
    author,
    createdAt,
  };
  return [
    { store: 'datasets', value: dataset, action: 'create', summary: 'iris' },
    { store: 'datasetVersions', value: dv, action: 'create', summary: 'iris v1' },
    { store: 'models', value: model, action: 'create', summary: 'iris-tree' },
    { store: 'modelVersions', value: mv, action: 'create', summary: 'iris-tree v1' },
    { store: 'studies', value: study, action: 'create', summary: 'tune' },
    { store: 'trials', value: trial, action: 'create', summary: 'trial 0' },
    { store: 'predictions', value: prediction, action: 'create', summary: 'one row' },
    {
      store: 'settings',
      value: { key: 'userName', value: 'Ada', updatedAt: createdAt },
      action: 'update',
      summary: 'set userName',
    },
  ];
}

describe('schema upgrade', () => {
  it('numbers again a log that an earlier Orpheus let reach the key generator’s limit', async () => {
    const name = freshName();
    const old = await Store.open(name, { version: 4 });
    await old.commit(author, sampleWrites());
    // As a restored file could leave it: the next number is the last IndexedDB can give.
    await old.db.put('events', {
      seq: 2 ** 53 - 1,
      at: '2026-11-22T00:00:00.000Z',
      author,
      action: 'restore',
      kind: 'setting',
      recordId: 'x',
      summary: 'from a file',
    });
    // (Chromium then refuses every write: "Maximum key generator value reached".)
    const before = await old.getAll('events');
    old.close();

    const store = await open(name);
    const after = await store.getAll('events');
    expect(after.map((e) => e.seq)).toEqual(before.map((_, i) => i + 1));
    expect(after.map((e) => e.summary)).toEqual(before.map((e) => e.summary));
    await writeSetting(store, author, 'userName', 'Amy');
    expect(await readSetting(store, 'userName')).toBe('Amy');
    expect(await store.db.countFromIndex('events', 'by-time')).toBe(before.length + 1);
  });

  it('walks every step: a v1 database, filled, upgrades and keeps every record', async () => {
    expect(DB_VERSION).toBeGreaterThan(1);
    const name = freshName();
    const v1 = await Store.open(name, { version: 1 });
    expect(v1.db.version).toBe(1);
    expect(v1.db.transaction('events').store.indexNames.contains('by-time')).toBe(false);
    const writes = sampleWrites();
    await v1.commit(author, writes);
    v1.close();

    const latest = await open(name);
    expect(latest.db.version).toBe(DB_VERSION);
    for (const w of writes) {
      const key = w.store === 'settings' ? w.value.key : w.value.id;
      expect(await latest.get(w.store, key)).toEqual(w.value);
    }
    // The indexes added by later steps cover the records written before them.
    expect(await latest.db.countFromIndex('events', 'by-time')).toBe(writes.length);
    expect(await latest.db.getAllFromIndex('modelVersions', 'by-created')).toHaveLength(1);
    expect(await latest.db.getAllFromIndex('predictions', 'by-created')).toHaveLength(1);
  });

  it('refuses to open a database newer than any step it knows', async () => {
    const name = freshName();
    const raw = await openDB(name, MIGRATIONS.length + 1, { upgrade: () => {} });
    raw.close();
    await expect(Store.open(name)).rejects.toThrow(/Could not open the Orpheus database/);
  });
});

describe('commit', () => {
  it('writes the records and one event per record, naming who, what, which and when', async () => {
    const store = await open(freshName());
    const now = new Date('2026-05-06T07:08:09.000Z');
    const writes = sampleWrites().slice(0, 2);
    const events = await store.commit('Grace', writes, now);
    expect(events.map((e) => [e.author, e.action, e.kind, e.recordId, e.at])).toEqual([
      ['Grace', 'create', 'dataset', 'd1', now.toISOString()],
      ['Grace', 'create', 'datasetVersion', 'a'.repeat(64), now.toISOString()],
    ]);
    expect(events.every((e) => typeof e.seq === 'number')).toBe(true);
    const logged = await store.recentEvents(10);
    expect(logged.map((e) => e.recordId)).toEqual(['a'.repeat(64), 'd1']);
  });

  it('is all or nothing: rewriting an immutable version fails and nothing of the batch lands', async () => {
    const store = await open(freshName());
    const [dataset, version] = sampleWrites();
    await store.commit(author, [version!]);
    const eventsBefore = await store.count('events');
    await expect(store.commit(author, [dataset!, version!])).rejects.toThrow(
      /Could not save dataset, datasetVersion/,
    );
    expect(await store.get('datasets', 'd1')).toBeUndefined();
    expect(await store.count('events')).toBe(eventsBefore);
  });

  it('turns a full disk into a StorageFullError and writes nothing', async () => {
    const store = await open(freshName());
    const proto = IDBObjectStore.prototype as unknown as { put: (...a: unknown[]) => IDBRequest };
    const original = proto.put;
    proto.put = function (this: IDBObjectStore, ...args: unknown[]) {
      if (this.name === 'models')
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.apply(this, args);
    };
    try {
      const writes = sampleWrites();
      const err = await store.commit(author, [writes[0]!, writes[2]!]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageFullError);
      expect((err as Error).message).toMatch(/no room left/);
    } finally {
      proto.put = original;
    }
    expect(await store.count('datasets')).toBe(0);
    expect(await store.count('models')).toBe(0);
    expect(await store.count('events')).toBe(0);
  });
});

describe('settings', () => {
  it('reads back what was written, and logs the change', async () => {
    const store = await open(freshName());
    expect(await readSetting(store, 'userName')).toBeUndefined();
    await writeSetting(store, 'Ada', 'userName', 'Ada');
    expect(await readSetting(store, 'userName')).toBe('Ada');
    const [event] = await store.recentEvents(1);
    expect(event).toMatchObject({ kind: 'setting', recordId: 'userName', author: 'Ada' });
  });

  it('reads a malformed stored value as missing', async () => {
    const store = await open(freshName());
    await store.commit(author, [
      {
        store: 'settings',
        value: { key: 'userName', value: 42, updatedAt: createdAt },
        action: 'update',
        summary: 'bad',
      },
    ]);
    expect(await readSetting(store, 'userName')).toBeUndefined();
  });
});

describe('writes that need their owner', () => {
  it('a trial whose study is gone (the store was replaced from another tab) is not stored', async () => {
    const { createStudy, saveTrial, updateStudy } = await import('../../src/store/studies');
    const store = await open(freshName());
    const study = await createStudy(store, author, {
      name: 's',
      datasetVersionId: 'd',
      family: 'decision-tree',
      space: { maxDepth: { kind: 'int', low: 1, high: 3, step: 1, log: false } },
      sampler: 'random',
      gridPoints: 3,
      seed: 1,
      metric: 'accuracy',
      direction: 'maximize',
      budget: 3,
      halving: { eta: 1, rungs: [1] },
      evaluation: { folds: 3, testFraction: 0.2 },
      modelId: null,
    });
    const trial = {
      number: 0,
      params: { maxDepth: 2 },
      value: 0.5,
      state: 'complete' as const,
      durationMs: 1,
      intermediate: [0.5],
    };
    await saveTrial(store, author, study, trial);
    await store.db.clear('studies');
    const events = await store.count('events');
    await expect(saveTrial(store, author, study, { ...trial, number: 1 })).rejects.toThrow(
      /no longer in this browser/,
    );
    expect(await store.count('trials')).toBe(1);
    expect(await store.count('events')).toBe(events);
    // Nor is the study's own change of state: pausing a vanished study does not bring it back.
    await expect(
      updateStudy(store, author, { ...study, state: 'paused' }, 'pause'),
    ).rejects.toThrow(/no longer in this browser/);
    expect(await store.count('studies')).toBe(0);
    expect(await store.count('events')).toBe(events);
  });
});
