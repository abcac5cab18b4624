/**
 * The `.orpheus` backup file: a zip (fflate) with `manifest.json` (format, version, app
 * version, time, author, counts, the SHA-256 of every member), one JSON member of records per
 * store, and the rows of dataset versions as raw binary members, so numbers come back
 * bit for bit. Reading checks everything before anything is written: the envelope, the format
 * version, every checksum, member sizes before they are inflated, every record's shape, and
 * keys that could pollute prototypes.
 */
import { strFromU8, strToU8, unzip, zipSync, type Unzipped } from 'fflate';
import * as v from 'valibot';
import type { StoredColumn } from '../data/content';
import type { DatasetColumnsRecord } from '../records';

export const FORMAT = 'orpheus-backup';
export const FORMAT_VERSION = 1;
/** No member may inflate past this; no file may declare more in total. */
export const MAX_MEMBER_BYTES = 512 * 1024 * 1024;
export const MAX_TOTAL_BYTES = 1024 * 1024 * 1024;

export const BACKUP_STORES = [
  'settings',
  'datasets',
  'datasetVersions',
  'datasetColumns',
  'models',
  'modelVersions',
  'studies',
  'trials',
  'predictions',
  'events',
] as const;
export type BackupStore = (typeof BACKUP_STORES)[number];

export type BackupRecords = Record<BackupStore, unknown[]>;

export interface Manifest {
  format: string;
  version: number;
  app: string;
  createdAt: string;
  author: string;
  counts: Record<string, number>;
  /** Member name → SHA-256 (hex). */
  members: Record<string, string>;
}

export class BackupError extends Error {
  override name = 'BackupError';
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A column as JSON metadata plus, for numbers and codes, a binary member. */
type ColumnMeta =
  | { kind: 'numeric'; member: string }
  | { kind: 'categorical'; categories: string[]; member: string }
  | { kind: 'text'; values: (string | null)[] };

function bytesOf(a: Float64Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

/** Builds the backup file from every store's records. */
export async function writeBackup(
  records: BackupRecords,
  meta: { app: string; author: string; createdAt: string },
): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const store of BACKUP_STORES) {
    if (store === 'datasetColumns') {
      const rows = (records.datasetColumns as DatasetColumnsRecord[]).map((r, i) => ({
        id: r.id,
        columns: r.columns.map((c, j): ColumnMeta => {
          if (c.kind === 'text') return { kind: 'text', values: c.values };
          const member = `columns/${i}/${j}.bin`;
          files[member] = bytesOf(c.kind === 'numeric' ? c.values : c.codes);
          return c.kind === 'numeric'
            ? { kind: 'numeric', member }
            : { kind: 'categorical', categories: c.categories, member };
        }),
      }));
      files['records/datasetColumns.json'] = strToU8(JSON.stringify(rows));
    } else files[`records/${store}.json`] = strToU8(JSON.stringify(records[store]));
  }
  const members: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(files)) members[name] = await sha256(bytes);
  const manifest: Manifest = {
    format: FORMAT,
    version: FORMAT_VERSION,
    app: meta.app,
    createdAt: meta.createdAt,
    author: meta.author,
    counts: Object.fromEntries(BACKUP_STORES.map((s) => [s, records[s].length])),
    members,
  };
  files['manifest.json'] = strToU8(JSON.stringify(manifest, null, 1));
  return zipSync(files, { level: 6 });
}

// ---- reading

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Refuses keys that could reach an object's prototype when records are copied. */
function checkKeys(value: unknown, where: string): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((x) => checkKeys(x, where));
    return;
  }
  for (const k of Object.keys(value)) {
    if (FORBIDDEN.has(k))
      throw new BackupError(
        `${where} has a field named "${k}", which Orpheus never writes: the file was altered.`,
      );
    checkKeys((value as Record<string, unknown>)[k], where);
  }
}

const str = v.string();
const time = v.pipe(v.string(), v.isoTimestamp());
const authored = { author: str, createdAt: time };
const json = v.unknown();

/** The shape of each kind of record: required fields, their types, no extra fields. */
const SCHEMAS: Record<Exclude<BackupStore, 'datasetColumns'>, v.GenericSchema> = {
  settings: v.strictObject({ key: str, value: json, updatedAt: time }),
  datasets: v.strictObject({ id: str, name: str, description: str, ...authored }),
  datasetVersions: v.strictObject({
    id: v.pipe(str, v.regex(/^[0-9a-f]{64}$/)),
    datasetId: str,
    number: v.pipe(v.number(), v.integer(), v.minValue(1)),
    parentId: v.nullable(str),
    source: str,
    task: v.picklist(['classification', 'regression']),
    schema: v.array(
      v.strictObject({
        name: str,
        type: v.picklist(['numeric', 'categorical', 'boolean', 'text-id']),
        role: v.picklist(['feature', 'target', 'ignored']),
      }),
    ),
    rowCount: v.pipe(v.number(), v.integer(), v.minValue(0)),
    profile: json,
    change: json,
    ...authored,
  }),
  models: v.strictObject({
    id: str,
    name: str,
    task: v.picklist(['classification', 'regression']),
    metric: str,
    aliases: v.record(str, str),
    notes: v.record(str, v.strictObject({ note: str, tags: v.array(str) })),
    monitor: v.optional(json),
    ...authored,
  }),
  modelVersions: v.strictObject({
    id: str,
    modelId: str,
    number: v.pipe(v.number(), v.integer(), v.minValue(1)),
    parentId: v.nullable(str),
    datasetVersionId: str,
    scenario: v.picklist(['search-new', 'retrain', 'train-new', 'history']),
    algorithm: str,
    libraryVersions: v.record(str, str),
    hyperparameters: json,
    evaluation: json,
    metric: str,
    tree: v.looseObject({
      name: v.picklist(['DTClassifier', 'DTRegression']),
      options: json,
      root: json,
    }),
    encoding: json,
    preprocessing: v.array(str),
    modelParameters: json,
    scores: json,
    holdout: v.strictObject({ rows: v.array(v.number()), predictions: v.array(v.number()) }),
    trainRows: v.number(),
    droppedRows: v.number(),
    trainingMs: v.number(),
    seed: v.number(),
    tags: v.array(str),
    environment: json,
    search: json,
    ...authored,
  }),
  studies: v.strictObject({
    id: str,
    name: str,
    datasetVersionId: str,
    space: json,
    sampler: v.picklist(['tpe', 'tpe-multivariate', 'random', 'grid']),
    gridPoints: v.number(),
    seed: v.number(),
    metric: str,
    direction: v.picklist(['maximize', 'minimize']),
    budget: v.number(),
    halving: json,
    evaluation: json,
    state: v.picklist(['running', 'paused', 'complete', 'cancelled']),
    modelId: v.nullable(str),
    bestVersionId: v.nullable(str),
    ...authored,
  }),
  trials: v.strictObject({
    id: str,
    studyId: str,
    number: v.pipe(v.number(), v.integer(), v.minValue(0)),
    params: v.record(str, json),
    value: v.nullable(v.number()),
    state: v.picklist(['complete', 'pruned', 'failed']),
    durationMs: v.number(),
    intermediate: v.array(v.number()),
    error: v.optional(str),
    ...authored,
  }),
  predictions: v.strictObject({
    id: str,
    modelId: str,
    modelVersionId: str,
    batchId: v.nullable(str),
    row: v.number(),
    rowId: v.nullable(str),
    source: str,
    inputs: v.record(str, v.nullable(str)),
    output: str,
    probabilities: v.nullable(v.array(v.number())),
    path: v.array(str),
    label: v.nullable(str),
    labelledAt: v.nullable(str),
    ...authored,
  }),
  events: v.strictObject({
    seq: v.optional(v.number()),
    at: time,
    author: str,
    action: str,
    kind: str,
    recordId: str,
    summary: str,
  }),
};

const COLUMNS = v.array(
  v.strictObject({
    id: str,
    columns: v.array(
      v.variant('kind', [
        v.strictObject({ kind: v.literal('numeric'), member: str }),
        v.strictObject({ kind: v.literal('categorical'), categories: v.array(str), member: str }),
        v.strictObject({ kind: v.literal('text'), values: v.array(v.nullable(str)) }),
      ]),
    ),
  }),
);

function unzipChecked(bytes: Uint8Array): Promise<Unzipped> {
  let total = 0;
  return new Promise((resolve, reject) => {
    try {
      unzip(
        bytes,
        {
          filter(file) {
            total += file.originalSize;
            if (file.originalSize > MAX_MEMBER_BYTES)
              throw new BackupError(
                `The member "${file.name}" says it unpacks to ${(file.originalSize / 1e6).toFixed(0)} MB, more than Orpheus accepts (${MAX_MEMBER_BYTES / 1e6} MB): it was not unpacked.`,
              );
            if (total > MAX_TOTAL_BYTES)
              throw new BackupError(
                `The file says it unpacks to more than ${MAX_TOTAL_BYTES / 1e9} GB: it was not unpacked.`,
              );
            return true;
          },
        },
        (err, data) => {
          if (err)
            reject(new BackupError(`The file is damaged: it cannot be unpacked (${err.message}).`));
          else resolve(data);
        },
      );
    } catch (e) {
      reject(
        e instanceof BackupError
          ? e
          : new BackupError(
              `This is not an Orpheus backup: it is not a zip file (${e instanceof Error ? e.message : String(e)}).`,
            ),
      );
    }
  });
}

export interface ReadBackup {
  manifest: Manifest;
  records: BackupRecords;
}

/** Reads and checks a backup file; throws a BackupError naming the problem. */
export async function readBackup(bytes: Uint8Array): Promise<ReadBackup> {
  if (bytes.length === 0) throw new BackupError('The file is empty.');
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b)
    throw new BackupError('This is not an Orpheus backup: it is not a zip file.');
  const files = await unzipChecked(bytes);
  const manifestBytes = files['manifest.json'];
  if (!manifestBytes)
    throw new BackupError('The file has no manifest.json: it is not an Orpheus backup.');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(strFromU8(manifestBytes)) as Manifest;
  } catch {
    throw new BackupError('The manifest is not valid JSON.');
  }
  checkKeys(manifest, 'The manifest');
  if (manifest?.format !== FORMAT)
    throw new BackupError('The manifest does not name the Orpheus backup format.');
  if (typeof manifest.version !== 'number' || manifest.version > FORMAT_VERSION)
    throw new BackupError(
      `The backup is in format version ${String(manifest.version)}, made by a newer Orpheus; this one reads up to version ${FORMAT_VERSION}. Update Orpheus to open it.`,
    );
  if (!manifest.members || typeof manifest.members !== 'object')
    throw new BackupError('The manifest lists no members.');
  for (const name of Object.keys(files))
    if (name !== 'manifest.json' && !(name in manifest.members))
      throw new BackupError(
        `The member "${name}" is not listed in the manifest: the file was altered.`,
      );
  for (const [name, sum] of Object.entries(manifest.members)) {
    const data = files[name];
    if (!data) throw new BackupError(`The member "${name}" listed in the manifest is missing.`);
    if ((await sha256(data)) !== sum)
      throw new BackupError(
        `The member "${name}" does not match its checksum: the file is damaged or was altered.`,
      );
  }
  const records = {} as BackupRecords;
  for (const store of BACKUP_STORES) {
    const data = files[`records/${store}.json`];
    if (!data) throw new BackupError(`The member records/${store}.json is missing.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(strFromU8(data));
    } catch {
      throw new BackupError(`records/${store}.json is not valid JSON.`);
    }
    checkKeys(parsed, `records/${store}.json`);
    if (!Array.isArray(parsed))
      throw new BackupError(`records/${store}.json is not a list of records.`);
    if (store === 'datasetColumns') {
      const r = v.safeParse(COLUMNS, parsed);
      if (!r.success)
        throw new BackupError(`records/datasetColumns.json: ${describe(r.issues[0]!)}.`);
      records.datasetColumns = r.output.map((rec) => ({
        id: rec.id,
        columns: rec.columns.map((c): StoredColumn => {
          if (c.kind === 'text') return { kind: 'text', values: c.values };
          const raw = files[c.member];
          if (!raw) throw new BackupError(`The member "${c.member}" is missing.`);
          const buf = raw.slice().buffer;
          if (c.kind === 'numeric') {
            if (raw.byteLength % 8)
              throw new BackupError(`"${c.member}" is not a column of numbers.`);
            return { kind: 'numeric', values: new Float64Array(buf) };
          }
          if (raw.byteLength % 4) throw new BackupError(`"${c.member}" is not a column of codes.`);
          return { kind: 'categorical', categories: c.categories, codes: new Int32Array(buf) };
        }),
      }));
      continue;
    }
    const schema = SCHEMAS[store];
    parsed.forEach((rec, i) => {
      const r = v.safeParse(schema, rec);
      if (!r.success)
        throw new BackupError(`records/${store}.json, record ${i + 1}: ${describe(r.issues[0]!)}.`);
    });
    records[store] = parsed;
  }
  return { manifest, records };
}

function describe(issue: v.BaseIssue<unknown>): string {
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return `${path ? `the field "${path}" ` : ''}${issue.message.replace(/^Invalid /, 'has an invalid ')}`;
}

/**
 * The part of a store one model needs: the model, its versions, the data versions (with
 * their rows and datasets) they were trained on and the versions those came from, its
 * studies and their trials, its predictions, and the events naming any of them.
 */
export function selectModel(all: BackupRecords, modelId: string): BackupRecords {
  type Rec = Record<string, unknown>;
  const by = (store: BackupStore) => all[store] as Rec[];
  const models = by('models').filter((m) => m['id'] === modelId);
  const versions = by('modelVersions').filter((v) => v['modelId'] === modelId);
  const versionIds = new Set(versions.map((v) => v['id']));
  const studies = by('studies').filter(
    (s) => s['modelId'] === modelId || versionIds.has(s['bestVersionId']),
  );
  const studyIds = new Set(studies.map((s) => s['id']));
  const dataIds = new Set<unknown>([...versions, ...studies].map((r) => r['datasetVersionId']));
  // The lineage of each data version: its parents too.
  const dataVersions = by('datasetVersions');
  const byId = new Map(dataVersions.map((d) => [d['id'], d]));
  for (const id of [...dataIds]) {
    let parent = byId.get(id)?.['parentId'];
    while (parent && !dataIds.has(parent)) {
      dataIds.add(parent);
      parent = byId.get(parent)?.['parentId'];
    }
  }
  const keptData = dataVersions.filter((d) => dataIds.has(d['id']));
  const datasetIds = new Set(keptData.map((d) => d['datasetId']));
  const trials = by('trials').filter((t) => studyIds.has(t['studyId']));
  const predictions = by('predictions').filter((p) => versionIds.has(p['modelVersionId']));
  const named = new Set<unknown>([
    modelId,
    ...versionIds,
    ...studyIds,
    ...dataIds,
    ...datasetIds,
    ...trials.map((t) => t['id']),
  ]);
  return {
    settings: [],
    datasets: by('datasets').filter((d) => datasetIds.has(d['id'])),
    datasetVersions: keptData,
    datasetColumns: by('datasetColumns').filter((c) => dataIds.has(c['id'])),
    models,
    modelVersions: versions,
    studies,
    trials,
    predictions,
    events: by('events').filter((e) => named.has(e['recordId'])),
  };
}
