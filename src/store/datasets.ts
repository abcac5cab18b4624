import type { BuiltVersion } from '../core/data/pipeline';
import type { DatasetContent } from '../core/data/content';
import type { DatasetRecord, DatasetVersionRecord } from '../core/records';
import type { Store, Write } from './db';
import { isConstraintError, StoreError, toStoreError } from './errors';

/** What saving a version did: stored it, or found the same content already stored. */
export type SaveResult =
  | { saved: true; version: DatasetVersionRecord }
  | { saved: false; existing: DatasetVersionRecord; dataset: DatasetRecord | undefined };

export interface NewDataset {
  name: string;
  description: string;
  source: string;
}

function versionRecord(
  built: BuiltVersion,
  datasetId: string,
  number: number,
  parentId: string | null,
  source: string,
  author: string,
  createdAt: string,
): DatasetVersionRecord {
  const { task, schema, rowCount } = built.content;
  return {
    id: built.id,
    datasetId,
    number,
    parentId,
    source,
    task,
    schema,
    rowCount,
    profile: built.profile,
    change: built.change,
    author,
    createdAt,
  };
}

function versionWrites(v: DatasetVersionRecord, built: BuiltVersion, datasetName: string): Write[] {
  return [
    {
      store: 'datasetVersions',
      value: v,
      action: 'create',
      summary: `${datasetName} v${v.number}: ${v.change.summary}`,
    },
    {
      store: 'datasetColumns',
      value: { id: v.id, columns: built.content.columns },
      action: 'create',
      summary: '',
      logged: false,
    },
  ];
}

async function existing(store: Store, id: string): Promise<SaveResult | null> {
  const found = await store.get('datasetVersions', id);
  if (!found) return null;
  return { saved: false, existing: found, dataset: await store.get('datasets', found.datasetId) };
}

/** Saves an imported table as version 1 of a new dataset, unless that content is stored already. */
export async function saveImport(
  store: Store,
  author: string,
  dataset: NewDataset,
  built: BuiltVersion,
  now = new Date(),
): Promise<SaveResult> {
  const dup = await existing(store, built.id);
  if (dup) return dup;
  const createdAt = now.toISOString();
  const record: DatasetRecord = {
    id: crypto.randomUUID(),
    name: dataset.name,
    description: dataset.description,
    author,
    createdAt,
  };
  const version = versionRecord(built, record.id, 1, null, dataset.source, author, createdAt);
  await store.commit(
    author,
    [
      { store: 'datasets', value: record, action: 'create', summary: record.name },
      ...versionWrites(version, built, record.name),
    ],
    now,
  );
  return { saved: true, version };
}

/** Saves a version derived from `parent` as the next version of its dataset. */
export async function saveDerived(
  store: Store,
  author: string,
  parent: DatasetVersionRecord,
  built: BuiltVersion,
  source: string,
  now = new Date(),
): Promise<SaveResult> {
  const dup = await existing(store, built.id);
  if (dup) return dup;
  const dataset = await store.get('datasets', parent.datasetId);
  if (!dataset) throw new StoreError(`The dataset of this version is missing from the store.`);
  // Another tab may take the same number first: read again and take the next (unique index).
  for (let attempt = 0; ; attempt++) {
    const numbers = await listVersions(store, parent.datasetId).then((vs) =>
      vs.map((v) => v.number),
    );
    const version = versionRecord(
      built,
      parent.datasetId,
      Math.max(0, ...numbers) + 1,
      parent.id,
      source,
      author,
      now.toISOString(),
    );
    try {
      await store.commit(author, versionWrites(version, built, dataset.name), now);
      return { saved: true, version };
    } catch (e) {
      if (!isConstraintError(e) || attempt >= 9) throw e;
      const dup = await existing(store, built.id);
      if (dup) return dup;
    }
  }
}

/** Every version of a dataset, oldest first (descriptions only, no rows). */
export async function listVersions(
  store: Store,
  datasetId: string,
): Promise<DatasetVersionRecord[]> {
  try {
    return await store.db.getAllFromIndex(
      'datasetVersions',
      'by-dataset-number',
      IDBKeyRange.bound([datasetId, 0], [datasetId, Infinity]),
    );
  } catch (e) {
    throw toStoreError(e, 'read the versions of a dataset');
  }
}

/** The full content of a version: its description with its rows. */
export async function loadContent(
  store: Store,
  version: DatasetVersionRecord,
): Promise<DatasetContent> {
  const rows = await store.get('datasetColumns', version.id);
  if (!rows)
    throw new StoreError(`The rows of ${version.id.slice(0, 12)} are missing from the store.`);
  return {
    task: version.task,
    schema: version.schema,
    rowCount: version.rowCount,
    columns: rows.columns,
  };
}

export interface DataLabel {
  version: DatasetVersionRecord;
  /** "iris v2". */
  label: string;
}

/** Data versions by id with "dataset vN" labels; ids no longer stored are left out. */
export async function labelDataVersions(
  store: Store,
  ids: Iterable<string>,
): Promise<Map<string, DataLabel>> {
  const out = new Map<string, DataLabel>();
  for (const id of new Set(ids)) {
    const version = await store.get('datasetVersions', id);
    if (!version) continue;
    const dataset = await store.get('datasets', version.datasetId);
    out.set(id, { version, label: `${dataset?.name ?? 'unknown data'} v${version.number}` });
  }
  return out;
}
