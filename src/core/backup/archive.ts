/**
 * The `.orpheus` backup file: a zip with `manifest.json` (format, version, app version, time,
 * author, counts, the SHA-256 of every member), the records of each store as JSON parts of a
 * few MB, and the rows of dataset versions as raw binary members, so numbers come back bit for
 * bit. Both directions stream (zip.js: native deflate, a reader that reads the zip's directory
 * first and each member by its offset): the writer sends the file piece by piece to a sink, the
 * reader takes a member at a time, so memory holds about one member, never the store. Reading
 * checks everything: the envelope, the format version, the member list, declared and actual
 * sizes, every checksum, every record's shape, and keys that could pollute prototypes.
 *
 * Layouts: version 1 kept each store in one member `records/<store>.json`; version 2 splits it
 * into parts `records/<store>/<n>.json`. `recordsMember` reads both.
 */
import {
  BlobReader,
  configure,
  Uint8ArrayReader,
  ZipReader,
  ZipWriter,
  type Entry,
} from '@zip.js/zip.js';
import * as v from 'valibot';
import { sha256Hex, transform } from '../bytes';
import { checkKeys as checkKeysOf, checkRecord, describeIssue, RecordError } from '../check';
import { contentHash } from '../data/content';
import {
  KEY_FIELDS,
  REFERENCES,
  referencedIds,
  STORE_NAMES,
  targetStore,
  type DatasetColumnsRecord,
  type DatasetVersionRecord,
  type RecordStoreName,
  type StoredColumn,
} from '../records';

// Native CompressionStream does the deflating; no extra workers.
configure({ useWebWorkers: false });

export const FORMAT = 'orpheus-backup';
export const FORMAT_VERSION = 2;
/** No member may inflate past this; no file may declare more in total. */
export const MAX_MEMBER_BYTES = 512 * 1024 * 1024;
export const MAX_TOTAL_BYTES = 1024 * 1024 * 1024;
/** Records are written in parts of about this many bytes of JSON. */
const PART_BYTES = 4 * 1024 * 1024;

/** Every store, in the order a backup writes them (the order of `RECORD_SCHEMAS`). */
export const BACKUP_STORES: readonly RecordStoreName[] = STORE_NAMES;
export type BackupStore = RecordStoreName;

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

/** A column as JSON metadata plus, for numbers and codes, a binary member. */
type ColumnMeta =
  | { kind: 'numeric'; member: string }
  | { kind: 'categorical'; categories: string[]; member: string }
  | { kind: 'text'; values: (string | null)[] };

function bytesOf(a: Float64Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Where the writer sends the file, piece by piece (a file on disk, a list of blob parts …). */
export type Sink = (chunk: Uint8Array) => Promise<void>;

/**
 * Writes a backup record by record. Records of a store are gathered into parts of about
 * `PART_BYTES` of JSON; each part, and each column of each dataset version, is a member,
 * hashed and deflated on its own (stored when it does not compress, as random numbers do), and
 * its zip bytes go to the sink before the next begins. `finish` adds the manifest.
 */
export class BackupWriter {
  readonly #zip: ZipWriter<unknown>;
  readonly #members: Record<string, string> = {};
  readonly #counts: Record<string, number> = Object.fromEntries(BACKUP_STORES.map((s) => [s, 0]));
  #part: { store: BackupStore; json: string[]; bytes: number } | null = null;
  #parts = 0;
  /** Bytes of records (JSON and binary columns) written so far, before compression. */
  rawBytes = 0;
  /** Bytes of the file sent to the sink so far. */
  fileBytes = 0;
  /** The size of the largest member, before compression. */
  largestMember = 0;

  constructor(sink: Sink) {
    this.#zip = new ZipWriter(
      new WritableStream<Uint8Array>({
        write: async (chunk) => {
          this.fileBytes += chunk.length;
          await sink(chunk);
        },
      }),
    );
  }

  async add(store: BackupStore, record: unknown): Promise<void> {
    this.#counts[store]!++;
    if (store === 'datasetColumns') {
      await this.#columns(record as DatasetColumnsRecord);
      return;
    }
    if (this.#part && this.#part.store !== store) await this.#flushPart();
    const json = JSON.stringify(record);
    this.#part ??= { store, json: [], bytes: 0 };
    this.#part.json.push(json);
    this.#part.bytes += json.length;
    if (this.#part.bytes >= PART_BYTES) await this.#flushPart();
  }

  async #columns(record: DatasetColumnsRecord): Promise<void> {
    await this.#flushPart();
    const n = this.#parts++;
    const columns: ColumnMeta[] = [];
    for (const [j, c] of record.columns.entries()) {
      if (c.kind === 'text') {
        columns.push({ kind: 'text', values: c.values });
        continue;
      }
      const member = `columns/${n}/${j}.bin`;
      await this.#member(member, bytesOf(c.kind === 'numeric' ? c.values : c.codes), true);
      columns.push(
        c.kind === 'numeric'
          ? { kind: 'numeric', member }
          : { kind: 'categorical', categories: c.categories, member },
      );
    }
    await this.#member(
      `records/datasetColumns/${n}.json`,
      new TextEncoder().encode(JSON.stringify([{ id: record.id, columns }])),
    );
  }

  async #flushPart(): Promise<void> {
    const part = this.#part;
    if (!part) return;
    this.#part = null;
    await this.#member(
      `records/${part.store}/${this.#parts++}.json`,
      new TextEncoder().encode(`[${part.json.join(',')}]`),
    );
  }

  async #member(name: string, bytes: Uint8Array, binary = false): Promise<void> {
    this.#members[name] = await sha256Hex(bytes);
    this.rawBytes += bytes.length;
    this.largestMember = Math.max(this.largestMember, bytes.length);
    // JSON is deflated (level 6: the browser's own deflate); a binary column at level 1 when a
    // sample shows it compresses, stored otherwise (random numbers do not compress, and level 6
    // on numbers runs at a quarter of level 1's speed for little gain).
    const level = !binary ? 6 : (await compresses(bytes.subarray(0, 64 * 1024))) ? 1 : 0;
    await this.#zip.add(name, new Uint8ArrayReader(bytes), { level });
  }

  /** Writes the manifest and the zip's directory; the file is complete after this. */
  async finish(meta: { app: string; author: string; createdAt: string }): Promise<Manifest> {
    await this.#flushPart();
    const manifest: Manifest = {
      format: FORMAT,
      version: FORMAT_VERSION,
      app: meta.app,
      createdAt: meta.createdAt,
      author: meta.author,
      counts: { ...this.#counts },
      members: { ...this.#members },
    };
    await this.#zip.add(
      'manifest.json',
      new Uint8ArrayReader(new TextEncoder().encode(JSON.stringify(manifest, null, 1))),
    );
    await this.#zip.close();
    return manifest;
  }
}

/** True when deflating the sample saves at least a tenth of it. */
async function compresses(sample: Uint8Array): Promise<boolean> {
  const packed = await transform(sample, new CompressionStream('deflate-raw'));
  return packed.length < sample.length * 0.9;
}

/** Builds a whole backup file in memory (tests, small selections). */
export async function writeBackup(
  records: BackupRecords,
  meta: { app: string; author: string; createdAt: string },
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const writer = new BackupWriter((c) => {
    chunks.push(c);
    return Promise.resolve();
  });
  for (const store of BACKUP_STORES) for (const r of records[store]) await writer.add(store, r);
  await writer.finish(meta);
  return concat(chunks);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// ---- reading

/** Refuses keys that could reach an object's prototype when records are copied. */
export function checkKeys(value: unknown, where: string): void {
  try {
    checkKeysOf(value, where);
  } catch (e) {
    if (e instanceof RecordError) throw new BackupError(e.message);
    throw e;
  }
}

const str = v.string();

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

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Some records of one store, as they come out of the file (columns with their typed arrays). */
export interface BackupItem {
  store: BackupStore;
  records: unknown[];
}

/** The store whose records a member holds, in either layout; null for other members. */
function recordsMember(name: string): BackupStore | null {
  const m = /^records\/([A-Za-z]+)(?:\.json|\/\d+\.json)$/.exec(name);
  if (!m) return null;
  const store = BACKUP_STORES.find((s) => s === m[1]);
  if (!store) throw new BackupError(`The member "${name}" names no kind of record Orpheus keeps.`);
  return store;
}

function parseRecords(store: BackupStore, name: string, data: Uint8Array): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text(data));
  } catch {
    throw new BackupError(`${name} is not valid JSON.`);
  }
  checkKeys(parsed, name);
  if (!Array.isArray(parsed)) throw new BackupError(`${name} is not a list of records.`);
  if (store === 'datasetColumns') {
    const r = v.safeParse(COLUMNS, parsed);
    if (!r.success) throw new BackupError(`${name}: ${describeIssue(r.issues[0]!)}.`);
    return r.output;
  }
  return parsed.map((rec, i) => {
    try {
      return checkRecord(store, rec);
    } catch (e) {
      if (e instanceof RecordError)
        throw new BackupError(`${name}, record ${i + 1}: ${e.message}.`);
      throw e;
    }
  });
}

/** The rows of a data version must be the content its id is the SHA-256 of. */
async function checkContent(
  rows: DatasetColumnsRecord,
  described: ReadonlyMap<string, DatasetVersionRecord>,
): Promise<void> {
  const v = described.get(rows.id);
  if (!v)
    throw new BackupError(
      `The file holds rows of the data version “${rows.id.slice(0, 16)}…” but not its description: the file was altered.`,
    );
  const ok =
    rows.columns.length === v.schema.length &&
    (await contentHash({
      task: v.task,
      schema: v.schema,
      rowCount: v.rowCount,
      columns: rows.columns,
    }).catch(() => '')) === v.id;
  if (!ok)
    throw new BackupError(
      `The rows of the data version “${v.id.slice(0, 16)}…” do not match its id (the SHA-256 of its content): the file was altered.`,
    );
}

/** Rebuilds the typed arrays of dataset columns from their binary members (taken from `bins`). */
function withColumns(
  metas: v.InferOutput<typeof COLUMNS>,
  bins: Map<string, Uint8Array>,
): DatasetColumnsRecord[] {
  return metas.map((rec) => ({
    id: rec.id,
    columns: rec.columns.map((c): StoredColumn => {
      if (c.kind === 'text') return { kind: 'text', values: c.values };
      const raw = bins.get(c.member);
      if (!raw) throw new BackupError(`The member "${c.member}" is missing.`);
      bins.delete(c.member);
      const buf = raw.slice().buffer;
      if (c.kind === 'numeric') {
        if (raw.byteLength % 8) throw new BackupError(`"${c.member}" is not a column of numbers.`);
        return { kind: 'numeric', values: new Float64Array(buf) };
      }
      if (raw.byteLength % 4) throw new BackupError(`"${c.member}" is not a column of codes.`);
      return { kind: 'categorical', categories: c.categories, codes: new Int32Array(buf) };
    }),
  }));
}

/** A manifest as Orpheus writes it: every field, its type and its range. */
const MANIFEST = v.strictObject({
  format: v.literal(FORMAT),
  version: v.pipe(v.number(), v.integer(), v.minValue(1)),
  app: v.pipe(v.string(), v.maxLength(200)),
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
  author: v.pipe(v.string(), v.maxLength(1000)),
  counts: v.record(
    v.picklist(STORE_NAMES),
    v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER)),
  ),
  /** Member name → its SHA-256 (compared with the member's own when it is read). */
  members: v.record(v.string(), v.pipe(v.string(), v.maxLength(128))),
});

/** The members a backup may hold: record parts (either layout) and columns of numbers or codes. */
const MEMBER_NAME =
  /^(?:manifest\.json|records\/[A-Za-z]+(?:\.json|\/\d{1,9}\.json)|columns\/\d{1,9}\/\d{1,6}\.bin)$/;

function checkManifest(bytes: Uint8Array): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text(bytes));
  } catch {
    throw new BackupError('The manifest is not valid JSON.');
  }
  checkKeys(raw, 'The manifest');
  const m = (raw ?? {}) as Record<string, unknown>;
  if (m['format'] !== FORMAT)
    throw new BackupError('The manifest does not name the Orpheus backup format.');
  const version = m['version'];
  if (typeof version !== 'number')
    throw new BackupError(
      `The manifest's format version is ${JSON.stringify(version)}, not a number: the file was altered.`,
    );
  if (version > FORMAT_VERSION)
    throw new BackupError(
      `The backup is in format version ${version}, made by a newer Orpheus; this one reads up to version ${FORMAT_VERSION}. Update Orpheus to open it.`,
    );
  const r = v.safeParse(MANIFEST, raw);
  if (!r.success) throw new BackupError(`The manifest: ${describeIssue(r.issues[0]!)}.`);
  return r.output;
}

/**
 * Inflates one member, stopping as soon as it gives more bytes than its header declared (or
 * than any member may have): a bomb is refused while it inflates, not after.
 */
async function inflate(entry: Entry): Promise<Uint8Array> {
  const limit = Math.min(entry.uncompressedSize, MAX_MEMBER_BYTES);
  const tooBig = (): BackupError =>
    new BackupError(
      `The member "${entry.filename}" unpacks to more than the ${limit.toLocaleString('en')} bytes its header declares: unpacking was stopped.`,
    );
  const out = new Uint8Array(limit);
  let size = 0;
  const sink = new WritableStream<Uint8Array>({
    write(chunk) {
      if (size + chunk.length > limit) throw tooBig();
      out.set(chunk, size);
      size += chunk.length;
    },
  });
  try {
    if (entry.directory) throw new BackupError(`"${entry.filename}" is a folder, not a member.`);
    await entry.getData(sink);
  } catch (e) {
    if (e instanceof BackupError) throw e;
    if (e instanceof Error && /uncompressed size/i.test(e.message)) throw tooBig();
    throw new BackupError(
      `The member "${entry.filename}" is damaged: it cannot be unpacked (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
  if (size !== entry.uncompressedSize)
    throw new BackupError(
      `The member "${entry.filename}" is shorter than its header says: the file is damaged.`,
    );
  return out;
}

/**
 * Reads a backup file member by member, checking as it goes: the zip's directory and the
 * manifest first (format, version, the member list, declared sizes: nothing is inflated from a
 * file that fails those), then each member in turn against its checksum and its schema, handing
 * its records to `onItem`. Throws a BackupError naming the problem. A caller writing the
 * records as they come must discard them if this throws.
 */
export async function scanBackup(
  file: Blob | Uint8Array,
  onItem: (item: BackupItem) => Promise<void> | void,
  onProgress?: (read: number, total: number) => void,
  signal?: AbortSignal,
  /** Whether a record the file points at but does not hold is in the store (merge); none: it must be in the file. */
  exists?: (store: BackupStore, id: string) => Promise<boolean>,
): Promise<Manifest> {
  const size = file instanceof Blob ? file.size : file.length;
  if (size === 0) throw new BackupError('The file is empty.');
  const head = file instanceof Blob ? new Uint8Array(await file.slice(0, 2).arrayBuffer()) : file;
  if (head[0] !== 0x50 || head[1] !== 0x4b)
    throw new BackupError('This is not an Orpheus backup: it is not a zip file.');
  const reader = new ZipReader(
    file instanceof Blob ? new BlobReader(file) : new Uint8ArrayReader(file),
  );
  let entries: Entry[];
  try {
    entries = await reader.getEntries();
  } catch (e) {
    throw new BackupError(
      `The file is damaged or cut short: its zip directory cannot be read (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
  let total = 0;
  for (const e of entries) {
    if (e.uncompressedSize > MAX_MEMBER_BYTES)
      throw new BackupError(
        `The member "${e.filename}" says it unpacks to ${(e.uncompressedSize / 1e6).toFixed(0)} MB, more than Orpheus accepts (${MAX_MEMBER_BYTES / 1e6} MB): it was not unpacked.`,
      );
    total += e.uncompressedSize;
    if (total > MAX_TOTAL_BYTES)
      throw new BackupError(
        `The file says it unpacks to more than ${MAX_TOTAL_BYTES / 1e9} GB: it was not unpacked.`,
      );
  }
  const manifestEntry = entries.find((e) => e.filename === 'manifest.json');
  if (!manifestEntry)
    throw new BackupError('The file has no manifest.json: it is not an Orpheus backup.');
  const manifest = checkManifest(await inflate(manifestEntry));
  const names = new Set(entries.map((e) => e.filename));
  for (const name of names)
    if (name !== 'manifest.json' && !Object.hasOwn(manifest.members, name))
      throw new BackupError(
        `The member "${name}" is not listed in the manifest: the file was altered.`,
      );
  for (const name of Object.keys(manifest.members))
    if (!names.has(name))
      throw new BackupError(`The member "${name}" listed in the manifest is missing.`);
  for (const e of entries)
    if (!MEMBER_NAME.test(e.filename))
      throw new BackupError(
        `The member "${e.filename.slice(0, 200)}" is not one Orpheus writes: the file was altered.`,
      );
  if (new Set(entries.map((e) => e.filename)).size !== entries.length)
    throw new BackupError('The file holds a member twice: the file was altered.');
  // Since format 2 each column member belongs to the data version record of its group: one
  // without it is refused from the directory, before anything is unpacked.
  if (manifest.version >= 2)
    for (const name of names) {
      const group = /^columns\/(\d+)\//.exec(name)?.[1];
      if (group !== undefined && !names.has(`records/datasetColumns/${group}.json`))
        throw new BackupError(
          `The member "${name}" is not used by any record: the file was altered.`,
        );
    }

  const counts = new Map<string, number>();
  const bins = new Map<string, Uint8Array>();
  const keys = new Map<BackupStore, Set<string>>();
  /** Data versions described so far, to check each one's rows against its id. */
  const described = new Map<string, DatasetVersionRecord>();
  /** Per store, the ids records point at there, with the first record that does. */
  const pointedAt = new Map<BackupStore, Map<string, string>>();
  const unused = (): BackupError =>
    new BackupError(
      `The member "${[...bins.keys()][0]}" is not used by any record: the file was altered.`,
    );
  let done = 0;
  for (const entry of entries) {
    signal?.throwIfAborted();
    const name = entry.filename;
    if (name === 'manifest.json') continue;
    // Since format 2 the columns of a data version come just before its record: any left over
    // when another member begins are used by no record (format 1 kept every column first).
    if (
      manifest.version >= 2 &&
      bins.size > 0 &&
      !name.startsWith('columns/') &&
      !name.startsWith('records/datasetColumns')
    )
      throw unused();
    const bytes = await inflate(entry);
    if ((await sha256Hex(bytes)) !== manifest.members[name])
      throw new BackupError(
        `The member "${name}" does not match its checksum: the file is damaged or was altered.`,
      );
    done += entry.compressedSize;
    if (name.startsWith('columns/')) bins.set(name, bytes);
    else {
      const store = recordsMember(name);
      if (store) {
        let records = parseRecords(store, name, bytes);
        if (store === 'datasetColumns') {
          records = withColumns(records as v.InferOutput<typeof COLUMNS>, bins);
          if (manifest.version >= 2 && bins.size > 0) throw unused();
        }
        if (store === 'datasetVersions')
          for (const r of records as DatasetVersionRecord[]) described.set(r.id, r);
        if (store === 'datasetColumns')
          for (const r of records as DatasetColumnsRecord[]) await checkContent(r, described);
        for (const r of records as Record<string, unknown>[])
          for (const ref of REFERENCES[store]) {
            const to = targetStore(r, ref);
            if (!to || store === 'events') continue;
            for (const id of referencedIds(r, ref)) {
              const wanted = pointedAt.get(to) ?? new Map<string, string>();
              pointedAt.set(to, wanted);
              if (!wanted.has(id)) wanted.set(id, `${store} ${String(r[KEY_FIELDS[store]])}`);
            }
          }
        const seen = keys.get(store) ?? new Set<string>();
        keys.set(store, seen);
        for (const r of records) {
          const key = String((r as Record<string, unknown>)[KEY_FIELDS[store]]);
          if (store !== 'events' || key !== 'undefined') {
            if (seen.has(key))
              throw new BackupError(
                `The file holds two ${store} records with the key "${key.slice(0, 100)}": the file was altered.`,
              );
            seen.add(key);
          }
        }
        counts.set(store, (counts.get(store) ?? 0) + records.length);
        await onItem({ store, records });
      }
    }
    onProgress?.(done, size);
  }
  await reader.close();
  if (bins.size > 0) throw unused();
  // Every reference leads to a record of the file, or (merging) of this browser.
  for (const [to, wanted] of pointedAt)
    for (const [id, from] of wanted) {
      if (keys.get(to)?.has(id)) continue;
      signal?.throwIfAborted();
      if (exists && (await exists(to, id))) continue;
      throw new BackupError(
        `The ${from.replace(/ .*/, '')} record “${from.replace(/^\S+ /, '').slice(0, 80)}” points at the ${to} record “${id.slice(0, 80)}”, which is neither in the file nor in this browser: the file was altered or cut.`,
      );
    }
  for (const store of BACKUP_STORES) {
    const want = manifest.counts?.[store] ?? 0;
    if ((counts.get(store) ?? 0) !== want)
      throw new BackupError(
        `The manifest counts ${want} ${store} records but the file holds ${counts.get(store) ?? 0}.`,
      );
  }
  return manifest;
}

export interface ReadBackup {
  manifest: Manifest;
  records: BackupRecords;
}

/** Reads and checks a whole backup into memory (tests and small files). */
export async function readBackup(bytes: Uint8Array): Promise<ReadBackup> {
  const records = Object.fromEntries(BACKUP_STORES.map((s) => [s, []])) as unknown as BackupRecords;
  const manifest = await scanBackup(bytes, ({ store, records: r }) => {
    records[store].push(...r);
  });
  return { manifest, records };
}

type Rec = Record<string, unknown>;

/**
 * The part of a store one model needs, derived from the declared references (`REFERENCES`):
 * the model, and everything that comes along with what is selected (its versions, studies,
 * their trials, predictions, the events naming any of them), and everything a selected record
 * points at (the data versions, their parents, their datasets). Decided from the model's own
 * records and the small stores, so the large ones (trials, predictions, events, rows) can be
 * streamed past it, each in store order.
 */
export function selection(
  part: {
    modelVersions: unknown[];
    studies: unknown[];
    datasetVersions: unknown[];
  },
  modelId: string,
): (store: BackupStore, record: unknown) => boolean {
  const chosen = new Map<RecordStoreName, Set<string>>(STORE_NAMES.map((s) => [s, new Set()]));
  const has = (s: RecordStoreName | undefined, id: string): boolean =>
    s !== undefined && chosen.get(s)!.has(id);
  chosen.get('models')!.add(modelId);
  /** Whether a record comes along with one already chosen. */
  const comesAlong = (s: RecordStoreName, r: Rec): boolean =>
    REFERENCES[s].some(
      (ref) => ref.along && referencedIds(r, ref).some((id) => has(targetStore(r, ref), id)),
    );
  /** Chooses a record and what it points at (never another model). */
  const choose = (s: RecordStoreName, r: Rec): void => {
    chosen.get(s)!.add(String(r[KEY_FIELDS[s]]));
    for (const ref of REFERENCES[s]) {
      const to = targetStore(r, ref);
      if (to && to !== 'models' && to !== 'settings')
        for (const id of referencedIds(r, ref)) chosen.get(to)!.add(id);
    }
  };
  const small = [
    ['modelVersions', part.modelVersions],
    ['studies', part.studies],
    ['datasetVersions', part.datasetVersions],
  ] as const;
  const total = (): number => [...chosen.values()].reduce((n, set) => n + set.size, 0);
  // Until a whole pass over the small stores chooses nothing new.
  for (let before = -1; before !== total();) {
    before = total();
    for (const [s, records] of small)
      for (const r of records as Rec[])
        if (has(s, String(r[KEY_FIELDS[s]])) || comesAlong(s, r)) choose(s, r);
  }
  return (store, record) => {
    const r = record as Rec;
    if (store === 'settings') return false;
    if (store === 'datasetColumns') return has('datasetVersions', String(r['id']));
    if (has(store, String(r[KEY_FIELDS[store]]))) return true;
    if (!comesAlong(store, r)) return false;
    choose(store, r);
    return true;
  };
}

/** `selection` applied to records in memory. */
export function selectModel(all: BackupRecords, modelId: string): BackupRecords {
  const keep = selection(all, modelId);
  return Object.fromEntries(
    BACKUP_STORES.map((s) => [s, all[s].filter((r) => keep(s, r))]),
  ) as BackupRecords;
}
