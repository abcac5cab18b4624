/**
 * The content of a dataset version, stored column by column in a compact form: numbers in a
 * Float64Array (NaN where missing), categories as Int32Array codes into a list of labels
 * (−1 where missing), identifiers as strings. Also: checks that a table can train a model,
 * and the content hash that identifies a version.
 */
import type { ColumnSchema, ColumnType, StoredColumn, Task } from '../records';

export type { StoredColumn };
import { cellNumbers, DataError, foldVariant } from './cells';
import { sha256Hex } from '../bytes';

export interface DatasetContent {
  task: Task;
  schema: ColumnSchema[];
  rowCount: number;
  /** One per schema column, in the same order. */
  columns: StoredColumn[];
}

/** The stored kind for a column type: booleans are categories with two labels. */
export function kindOf(type: ColumnType): StoredColumn['kind'] {
  return type === 'numeric' ? 'numeric' : type === 'text-id' ? 'text' : 'categorical';
}

export interface EncodeOptions {
  /** Read non-numeric cells of a numeric column as missing (the person agreed to it). */
  strayAsMissing?: boolean;
  /** One category for values that differ only by case, surrounding spaces or accents. */
  mergeVariants?: boolean;
  /** Labels the column already has (in the parent version): their spelling is kept. */
  knownCategories?: readonly string[];
}

/**
 * For each value that has variants (same letters, other case, spaces or accents), the spelling
 * its category keeps: one of `known` (the parent version's labels) when it is among them,
 * otherwise the most frequent one, the first seen on a tie.
 */
export function variantSpellings(
  cells: readonly (string | null)[],
  known: readonly string[] = [],
): Map<string, string> {
  const counts = new Map<string, number>();
  for (const v of cells) if (v !== null && v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  const best = new Map<string, { value: string; count: number }>();
  // A spelling the version already uses wins, so new rows do not respell the old ones.
  for (const value of known) best.set(foldVariant(value), { value, count: Infinity });
  for (const [value, count] of counts) {
    const key = foldVariant(value);
    const b = best.get(key);
    if (!b || count > b.count) best.set(key, { value, count });
  }
  const keep = new Map<string, string>();
  for (const value of counts.keys()) {
    const k = best.get(foldVariant(value))!.value;
    if (k !== value) keep.set(value, k);
  }
  return keep;
}

/** Labels in order of first appearance; the codes index them. */
function categorical(
  cells: readonly (string | null)[],
  mergeVariants: boolean,
  known: readonly string[] | undefined,
): StoredColumn {
  const index = new Map<string, number>();
  const categories: string[] = [];
  const codes = new Int32Array(cells.length);
  const spelling = mergeVariants ? variantSpellings(cells, known) : null;
  for (let i = 0; i < cells.length; i++) {
    let v = cells[i];
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    if (spelling) v = spelling.get(v) ?? v;
    let c = index.get(v);
    if (c === undefined) {
      c = categories.length;
      index.set(v, c);
      categories.push(v);
    }
    codes[i] = c;
  }
  return { kind: 'categorical', categories, codes };
}

/** Turns a column of cells into its stored form for the given type. */
export function encodeColumn(
  name: string,
  cells: readonly (string | null)[],
  type: ColumnType,
  options: EncodeOptions = {},
): StoredColumn {
  const kind = kindOf(type);
  if (kind === 'categorical')
    return categorical(cells, options.mergeVariants ?? false, options.knownCategories);
  if (kind === 'text') return { kind: 'text', values: cells.slice() };
  const values = cellNumbers(cells).slice();
  const bad: string[] = [];
  let badCount = 0;
  for (let i = 0; i < cells.length; i++) {
    if (!Number.isNaN(values[i]!)) continue;
    const v = cells[i];
    if (v === null || v === undefined) continue;
    badCount++;
    if (bad.length < 3) bad.push(`row ${i + 1}: "${v}"`);
  }
  if (badCount > 0 && !options.strayAsMissing) {
    throw new DataError(
      `Column "${name}" is set to numeric, but ${badCount} ${badCount === 1 ? 'cell is' : 'cells are'} not a number (${bad.join(', ')}). Either treat ${badCount === 1 ? 'it' : 'them'} as missing, or make the column categorical.`,
    );
  }
  return { kind: 'numeric', values };
}

/** The cell as text, or null where missing: the common view of every stored kind. */
export function cellText(col: StoredColumn, row: number): string | null {
  switch (col.kind) {
    case 'numeric': {
      const v = col.values[row]!;
      return Number.isNaN(v) ? null : String(v);
    }
    case 'categorical': {
      const c = col.codes[row]!;
      return c < 0 ? null : col.categories[c]!;
    }
    case 'text':
      return col.values[row] ?? null;
  }
}

/** All cells of a column as text (null where missing). */
export function columnCells(col: StoredColumn, rowCount: number): (string | null)[] {
  const out = new Array<string | null>(rowCount);
  for (let r = 0; r < rowCount; r++) out[r] = cellText(col, r);
  return out;
}

export function isMissing(col: StoredColumn, row: number): boolean {
  switch (col.kind) {
    case 'numeric':
      return Number.isNaN(col.values[row]!);
    case 'categorical':
      return col.codes[row]! < 0;
    case 'text':
      return col.values[row] === null;
  }
}

/**
 * A column's schema as a plain object, with no other field (a form's reactive copy cannot
 * cross to a worker). The merge flag is written only where it is set, so versions without it
 * keep their ids.
 */
export function plainColumn({ name, type, role, mergeVariants }: ColumnSchema): ColumnSchema {
  return mergeVariants ? { name, type, role, mergeVariants } : { name, type, role };
}

/**
 * The content's rows `rows`, in that order, as new content under the same schema (checked
 * as trainable unless `partial`: rows that only become part of a version).
 */
export function pickRows(
  content: DatasetContent,
  rows: readonly number[],
  partial = false,
): DatasetContent {
  const cells = content.columns.map((c) => rows.map((r) => cellText(c, r)));
  return buildContent(cells, content.schema, content.task, rows.length, { partial });
}

/** Builds a version's content from cells and a schema. */
export function buildContent(
  cellsByColumn: readonly (readonly (string | null)[])[],
  schema: readonly ColumnSchema[],
  task: Task,
  rowCount: number,
  options: {
    strayAsMissing?: ReadonlySet<string>;
    parent?: DatasetContent;
    /** Skip `checkTrainable`: rows that only become part of a version (appended ones). */
    partial?: boolean;
  } = {},
): DatasetContent {
  const columns = schema.map((s, i) => {
    const before = options.parent?.columns[i];
    return encodeColumn(s.name, cellsByColumn[i]!, s.type, {
      strayAsMissing: options.strayAsMissing?.has(s.name) ?? false,
      mergeVariants: s.mergeVariants ?? false,
      ...(before?.kind === 'categorical' ? { knownCategories: before.categories } : {}),
    });
  });
  const content: DatasetContent = {
    task,
    schema: schema.map(plainColumn),
    rowCount,
    columns,
  };
  if (!options.partial) checkTrainable(content);
  return content;
}

/**
 * Refuses content no model could learn from, with the reason: no rows, no target or more
 * than one, no usable feature, a target with a single class, a text target for regression.
 */
export function checkTrainable(content: DatasetContent): void {
  const { schema, columns, rowCount, task } = content;
  if (rowCount === 0) throw new DataError('The data has no rows left.');
  const targets = schema.filter((s) => s.role === 'target');
  if (targets.length !== 1) {
    throw new DataError(
      targets.length === 0
        ? 'Choose one column as the target: the value a model should learn to predict.'
        : `Only one column can be the target; ${targets.map((t) => `"${t.name}"`).join(' and ')} are both marked.`,
    );
  }
  const ti = schema.findIndex((s) => s.role === 'target');
  const target = columns[ti]!;
  const usable = schema.some((s, i) => {
    if (s.role !== 'feature' || s.type === 'text-id') return false;
    const col = columns[i]!;
    for (let r = 0; r < rowCount; r++) if (!isMissing(col, r)) return true;
    return false;
  });
  if (!usable) {
    throw new DataError(
      'No column can be used as a feature: mark at least one numeric, categorical or yes/no column (with some values) as a feature.',
    );
  }
  const name = schema[ti]!.name;
  if (task === 'regression') {
    if (target.kind !== 'numeric') {
      throw new DataError(
        `The target "${name}" holds text, so it cannot be predicted by regression. Make the task classification, or choose a numeric target.`,
      );
    }
  } else if (target.kind === 'text') {
    throw new DataError(
      `The target "${name}" is marked as an identifier; make it categorical to classify by it.`,
    );
  }
  const seen = new Set<string>();
  for (let r = 0; r < rowCount && seen.size < 2; r++) {
    const v = cellText(target, r);
    if (v !== null) seen.add(v);
  }
  if (seen.size === 0) throw new DataError(`The target "${name}" has no values.`);
  if (seen.size === 1) {
    throw new DataError(
      `The target "${name}" has only one value ("${[...seen][0]}"), so there is nothing to learn. Choose another target, or add rows with other values.`,
    );
  }
}

const encoder = new TextEncoder();

/**
 * The canonical serialization of a version: a JSON header (format, task, schema, row count)
 * and each column's values, numbers as little-endian float64 (one NaN for every missing
 * value), text as JSON. The SHA-256 of it identifies the version: same content, same id.
 */
export function canonicalBytes(content: DatasetContent): Uint8Array {
  const header = JSON.stringify({
    format: 'orpheus-dataset/1',
    task: content.task,
    schema: content.schema.map(plainColumn),
    rowCount: content.rowCount,
  });
  const parts: (Uint8Array | Float64Array)[] = [encoder.encode(header)];
  for (const col of content.columns) {
    if (col.kind === 'numeric') parts.push(col.values);
    else if (col.kind === 'categorical') {
      // The JSON of the column's cells, each category's text written once.
      const texts = col.categories.map((c) => JSON.stringify(c));
      const cells = new Array<string>(content.rowCount);
      for (let r = 0; r < content.rowCount; r++) {
        const code = col.codes[r]!;
        cells[r] = code >= 0 ? texts[code]! : 'null';
      }
      parts.push(encoder.encode(`[${cells.join(',')}]`));
    } else parts.push(encoder.encode(JSON.stringify(columnCells(col, content.rowCount))));
  }
  let total = 0;
  for (const p of parts) total += p.byteLength + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) {
    view.setUint32(at, p.byteLength, true); // length-prefixed, so no two contents collide by concatenation
    at += 4;
    if (p instanceof Float64Array) writeNumbers(p, out, view, at);
    else out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Whether this machine stores a float64 little-endian, as the canonical bytes do. */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * Numbers as little-endian float64 at `at`: one bit pattern for every missing value (engines
 * may keep NaN payloads otherwise) and 0 for −0, which is the same value.
 */
function writeNumbers(values: Float64Array, out: Uint8Array, view: DataView, at: number): void {
  if (LITTLE_ENDIAN)
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) {
      view.setUint32(at + i * 8, 0, true);
      view.setUint32(at + i * 8 + 4, 0x7ff80000, true);
    } else if (!LITTLE_ENDIAN || (v === 0 && 1 / v < 0))
      view.setFloat64(at + i * 8, v === 0 ? 0 : v, true);
  }
}

/** The version id: SHA-256 of the canonical bytes, in hex (WebCrypto). */
export async function contentHash(content: DatasetContent): Promise<string> {
  return sha256Hex(canonicalBytes(content));
}

/** The buffers behind a content's typed-array columns, to transfer it to or from a worker. */
export function columnBuffers(content: DatasetContent): ArrayBuffer[] {
  return content.columns.flatMap((c) =>
    c.kind === 'numeric'
      ? [c.values.buffer as ArrayBuffer]
      : c.kind === 'categorical'
        ? [c.codes.buffer as ArrayBuffer]
        : [],
  );
}
