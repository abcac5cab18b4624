import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type {
  DatasetColumnsRecord,
  DatasetRecord,
  DatasetVersionRecord,
  EventRecord,
  ModelRecord,
  ModelVersionRecord,
  PredictionRecord,
  RecordKind,
  SettingRecord,
  StudyRecord,
  TrialRecord,
} from '../core/records';
import { migrate } from '../core/migrate';
import { MAX_EVENT_SEQ } from '../core/records';

/** Every object store, its key and its indexes, as of the newest schema version. */
export interface OrpheusDB extends DBSchema {
  datasets: { key: string; value: DatasetRecord; indexes: { 'by-name': string } };
  datasetVersions: {
    key: string;
    value: DatasetVersionRecord;
    indexes: { 'by-dataset': string; 'by-dataset-number': [string, number] };
  };
  datasetColumns: { key: string; value: DatasetColumnsRecord };
  models: { key: string; value: ModelRecord; indexes: { 'by-name': string } };
  modelVersions: {
    key: string;
    value: ModelVersionRecord;
    indexes: {
      'by-model': string;
      'by-model-number': [string, number];
      'by-dataset-version': string;
      'by-created': string;
    };
  };
  studies: { key: string; value: StudyRecord; indexes: { 'by-dataset-version': string } };
  trials: {
    key: string;
    value: TrialRecord;
    indexes: { 'by-study': string; 'by-study-number': [string, number] };
  };
  predictions: {
    key: string;
    value: PredictionRecord;
    indexes: { 'by-model-version': string; 'by-created': string };
  };
  events: {
    key: number;
    value: EventRecord;
    indexes: { 'by-record': [RecordKind, string]; 'by-time': string };
  };
  settings: { key: string; value: SettingRecord };
}

export type StoreName = StoreNames<OrpheusDB>;
export type UpgradeTx = IDBPTransaction<OrpheusDB, StoreName[], 'versionchange'>;

/** The record kind each store holds, as events name it. */
export const KIND_OF_STORE: Record<StoreName, RecordKind | 'event'> = {
  datasets: 'dataset',
  datasetVersions: 'datasetVersion',
  // A version's rows are part of the version: their write is logged as the version's.
  datasetColumns: 'datasetVersion',
  models: 'model',
  modelVersions: 'modelVersion',
  studies: 'study',
  trials: 'trial',
  predictions: 'prediction',
  events: 'event',
  settings: 'setting',
};

/**
 * One step per schema version: `MIGRATIONS[i]` takes a database at version i to version i + 1.
 * Steps are never edited once released; a change of schema appends a step.
 */
export const MIGRATIONS: ReadonlyArray<(db: IDBPDatabase<OrpheusDB>, tx: UpgradeTx) => void> = [
  // v1: the record stores and the indexes their lookups need.
  (db) => {
    db.createObjectStore('datasets', { keyPath: 'id' }).createIndex('by-name', 'name');
    const dv = db.createObjectStore('datasetVersions', { keyPath: 'id' });
    dv.createIndex('by-dataset', 'datasetId');
    dv.createIndex('by-dataset-number', ['datasetId', 'number'], { unique: true });
    db.createObjectStore('models', { keyPath: 'id' }).createIndex('by-name', 'name');
    const mv = db.createObjectStore('modelVersions', { keyPath: 'id' });
    mv.createIndex('by-model', 'modelId');
    mv.createIndex('by-model-number', ['modelId', 'number'], { unique: true });
    mv.createIndex('by-dataset-version', 'datasetVersionId');
    db.createObjectStore('studies', { keyPath: 'id' }).createIndex(
      'by-dataset-version',
      'datasetVersionId',
    );
    const tr = db.createObjectStore('trials', { keyPath: 'id' });
    tr.createIndex('by-study', 'studyId');
    tr.createIndex('by-study-number', ['studyId', 'number'], { unique: true });
    db.createObjectStore('predictions', { keyPath: 'id' }).createIndex(
      'by-model-version',
      'modelVersionId',
    );
    db.createObjectStore('events', { keyPath: 'seq', autoIncrement: true }).createIndex(
      'by-record',
      ['kind', 'recordId'],
    );
    db.createObjectStore('settings', { keyPath: 'key' });
  },
  // v2: time indexes for the overview, the prediction log and the activity list.
  (_db, tx) => {
    tx.objectStore('modelVersions').createIndex('by-created', 'createdAt');
    tx.objectStore('predictions').createIndex('by-created', 'createdAt');
    tx.objectStore('events').createIndex('by-time', 'at');
  },
  // v3: a dataset version's rows get their own store, so lists of versions stay light.
  (db) => {
    db.createObjectStore('datasetColumns', { keyPath: 'id' });
  },
  // v4: model versions and studies name their family; a tree from before is a decision tree.
  (_db, tx) => {
    migrateStore(tx, 'modelVersions');
    migrateStore(tx, 'studies');
  },
  // v5: a log whose numbers an earlier Orpheus took from a file near IndexedDB's key generator
  // limit (every later write failed) is numbered again from 1, in its order.
  (db, tx) => void renumberEvents(db, tx),
  // v6: importances and prediction inputs become [column, value] pairs (`core/migrate`).
  (_db, tx) => {
    migrateStore(tx, 'modelVersions');
    migrateStore(tx, 'predictions');
  },
];

/** The events' store, made again with its indexes (a store's key generator cannot be reset). */
function createEvents(db: IDBPDatabase<OrpheusDB>): void {
  const events = db.createObjectStore('events', { keyPath: 'seq', autoIncrement: true });
  events.createIndex('by-record', ['kind', 'recordId']);
  events.createIndex('by-time', 'at');
}

async function renumberEvents(db: IDBPDatabase<OrpheusDB>, tx: UpgradeTx): Promise<void> {
  const last = await tx.objectStore('events').openCursor(null, 'prev');
  if (!last || last.key <= MAX_EVENT_SEQ) return;
  const all = await tx.objectStore('events').getAll();
  db.deleteObjectStore('events');
  createEvents(db);
  const events = tx.objectStore('events');
  for (const e of all) {
    const rest = { ...e };
    delete rest.seq;
    void events.add(rest);
  }
}

/** Rewrites every record of a store in its current shape (`core/migrate`), within the upgrade. */
function migrateStore(tx: UpgradeTx, name: 'modelVersions' | 'studies' | 'predictions'): void {
  const store = tx.objectStore(name);
  const walk = async (): Promise<void> => {
    for (let c = await store.openCursor(); c; c = await c.continue()) {
      const next = migrate(name, c.value);
      if (next !== c.value) await c.update(next as OrpheusDB[typeof name]['value']);
    }
  };
  void walk();
}

/** The schema version this build of Orpheus writes. */
export const DB_VERSION = MIGRATIONS.length;

/** Walks every step from `oldVersion` up to `newVersion`. */
export function upgrade(
  db: IDBPDatabase<OrpheusDB>,
  oldVersion: number,
  newVersion: number,
  tx: UpgradeTx,
): void {
  for (let v = oldVersion; v < newVersion; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new Error(`No migration from schema version ${v} to ${v + 1}.`);
    step(db, tx);
  }
}
