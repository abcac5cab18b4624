/**
 * A file of rows set against a dataset version: what appending it would repeat (exact duplicate
 * rows, identifier values already used), and what taking it as the version's whole new content
 * would change (rows added, removed, changed), matched by the identifier column when there is
 * one, by whole-row content otherwise.
 */
import type { VersionChange } from '../records';
import { DataError } from './cells';
import { buildContent, cellText, checkTrainable, pickRows, type DatasetContent } from './content';
import { ID_NAME } from './infer';
import type { RawTable } from './parse';

/** Examples of rows are shown up to this many. */
const EXAMPLES = 5;

export interface AppendCheck {
  rows: number;
  /** Rows equal in every cell to a row already there or to an earlier row of the file. */
  duplicateRows: number;
  /** Rows whose identifier is already used (and are not exact duplicates). */
  repeatedIds: number;
  identifier: string | null;
  /** 1-based rows of the file, with why each one repeats. */
  examples: { row: number; why: string }[];
}

export interface RowDiff {
  /** The column rows were matched by, or null when they were matched by content. */
  identifier: string | null;
  /** Why an identifier column was not used, when there is one by name. */
  identifierNote: string | null;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  examples: { change: 'added' | 'removed' | 'changed'; key: string }[];
}

export interface RowsPreview {
  fileRows: number;
  append: AppendCheck;
  /** What replacing the content would change, or why it cannot. */
  replace: RowDiff | { problem: string };
}

/** The file's columns, in the version's order; refuses other columns with what differs. */
function alignedCells(parent: DatasetContent, table: RawTable): (string | null)[][] {
  const names = parent.schema.map((s) => s.name);
  const missing = names.filter((n) => !table.names.includes(n));
  const unknown = table.names.filter((n) => !names.includes(n));
  if (missing.length > 0 || unknown.length > 0) {
    const parts: string[] = [];
    if (missing.length) parts.push(`missing ${missing.map((n) => `"${n}"`).join(', ')}`);
    if (unknown.length) parts.push(`has extra ${unknown.map((n) => `"${n}"`).join(', ')}`);
    throw new DataError(
      `The rows must have the same columns as the dataset; this file is ${parts.join(' and ')}.`,
    );
  }
  return names.map((n) => table.columns[table.names.indexOf(n)]!);
}

/** The file encoded as the version is (its types, merges and task), not yet checked as a whole. */
export function asContent(parent: DatasetContent, table: RawTable): DatasetContent {
  return buildContent(alignedCells(parent, table), parent.schema, parent.task, table.rowCount, {
    parent,
    partial: true,
  });
}

/** One string per row, equal exactly when every cell is. */
function rowKeys(content: DatasetContent): string[] {
  const keys = new Array<string>(content.rowCount);
  for (let r = 0; r < content.rowCount; r++) {
    let k = '';
    for (const col of content.columns) {
      const v = cellText(col, r);
      k += v === null ? '\u0000' : `\u0001${v.length}:${v}`;
    }
    keys[r] = k;
  }
  return keys;
}

/**
 * The column that identifies rows: named like an identifier, not the target, and with a
 * value in every row of the version, no two the same. Null when there is none.
 */
export function identifierColumn(content: DatasetContent): number | null {
  for (let i = 0; i < content.schema.length; i++) {
    const s = content.schema[i]!;
    if (s.role === 'target' || !ID_NAME.test(s.name)) continue;
    if (uniqueValues(content, i) !== null) return i;
  }
  return null;
}

/** The column's values, or null if one is missing or two are the same. */
function uniqueValues(content: DatasetContent, i: number): string[] | null {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let r = 0; r < content.rowCount; r++) {
    const v = cellText(content.columns[i]!, r);
    if (v === null || seen.has(v)) return null;
    seen.add(v);
    out.push(v);
  }
  return out;
}

/** Which rows of `extra` appending would repeat; `skip` marks them (1) for leaving out. */
/** What both comparisons of a version with a file need, worked out once for both. */
interface Compared {
  /** The version's identifier column, or null. */
  id: number | null;
  /** Every row's key, of the version and of the file. */
  before: string[];
  after: string[];
}

function compared(parent: DatasetContent, next: DatasetContent): Compared {
  return { id: identifierColumn(parent), before: rowKeys(parent), after: rowKeys(next) };
}

export function checkAppend(
  parent: DatasetContent,
  extra: DatasetContent,
  c: Compared = compared(parent, extra),
): { check: AppendCheck; skip: Uint8Array } {
  const id = c.id;
  const keys = new Set(c.before);
  const ids = new Set<string>();
  if (id !== null)
    for (let r = 0; r < parent.rowCount; r++) ids.add(cellText(parent.columns[id]!, r)!);
  const skip = new Uint8Array(extra.rowCount);
  const examples: AppendCheck['examples'] = [];
  let duplicateRows = 0;
  let repeatedIds = 0;
  const extraKeys = c.after;
  for (let r = 0; r < extra.rowCount; r++) {
    const k = extraKeys[r]!;
    const v = id === null ? null : cellText(extra.columns[id]!, r);
    let why: string | null = null;
    if (keys.has(k)) {
      duplicateRows++;
      why = 'the same as a row already there';
    } else if (v !== null && ids.has(v)) {
      repeatedIds++;
      why = `its ${parent.schema[id!]!.name} "${v}" is already used`;
    }
    keys.add(k);
    if (v !== null) ids.add(v);
    if (why) {
      skip[r] = 1;
      if (examples.length < EXAMPLES) examples.push({ row: r + 1, why });
    }
  }
  return {
    check: {
      rows: extra.rowCount,
      duplicateRows,
      repeatedIds,
      identifier: id === null ? null : parent.schema[id]!.name,
      examples,
    },
    skip,
  };
}

/** What taking `next` as the whole new content of `parent` changes, row by row. */
export function diffRows(
  parent: DatasetContent,
  next: DatasetContent,
  c: Compared = compared(parent, next),
): RowDiff {
  const { id, before, after } = c;
  const examples: RowDiff['examples'] = [];
  const note = (change: RowDiff['examples'][number]['change'], key: string) => {
    if (examples.length < EXAMPLES) examples.push({ change, key });
  };
  const nextIds = id === null ? null : uniqueValues(next, id);
  if (id !== null && nextIds !== null) {
    const name = parent.schema[id]!.name;
    const old = new Map<string, number>();
    for (let r = 0; r < parent.rowCount; r++) old.set(cellText(parent.columns[id]!, r)!, r);
    let added = 0;
    let changed = 0;
    let unchanged = 0;
    nextIds.forEach((v, r) => {
      const o = old.get(v);
      if (o === undefined) {
        added++;
        note('added', `${name} ${v}`);
      } else {
        old.delete(v);
        if (before[o] === after[r]) unchanged++;
        else {
          changed++;
          note('changed', `${name} ${v}`);
        }
      }
    });
    for (const v of old.keys()) note('removed', `${name} ${v}`);
    return {
      identifier: name,
      identifierNote: null,
      added,
      removed: old.size,
      changed,
      unchanged,
      examples,
    };
  }
  // By content: a row is unchanged when an equal one was there (each old row matched once).
  const counts = new Map<string, number>();
  for (const k of before) counts.set(k, (counts.get(k) ?? 0) + 1);
  let added = 0;
  let unchanged = 0;
  after.forEach((k, r) => {
    const n = counts.get(k) ?? 0;
    if (n > 0) {
      counts.set(k, n - 1);
      unchanged++;
    } else {
      added++;
      note('added', `row ${r + 1} of the file`);
    }
  });
  let removed = 0;
  for (const n of counts.values()) removed += n;
  return {
    identifier: null,
    identifierNote:
      id !== null
        ? `${parent.schema[id]!.name} has missing or repeated values in the file, so rows were matched by their whole content`
        : null,
    added,
    removed,
    changed: 0,
    unchanged,
    examples,
  };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/** The change a replacement records, in numbers and one sentence. */
export function replaceChange(diff: RowDiff, fileName: string): VersionChange {
  const by = diff.identifier ? `matched by ${diff.identifier}` : 'matched by whole rows';
  const parts = [
    `${plural(diff.added, 'row')} added`,
    `${diff.removed.toLocaleString('en')} removed`,
  ];
  if (diff.identifier) parts.push(`${diff.changed.toLocaleString('en')} changed`);
  return {
    kind: 'replace',
    rowsAdded: diff.added,
    rowsRemoved: diff.removed,
    rowsChanged: diff.changed,
    columnsChanged: [],
    summary: `content replaced from ${fileName}: ${parts.join(', ')} (${by})`,
  };
}

/** "Matched by ID: 20 added, 0 removed, 3 changed, 97 unchanged." */
export function describeDiff(d: RowDiff): string {
  const n = (x: number) => x.toLocaleString('en');
  const changed = d.identifier ? `, ${n(d.changed)} changed` : '';
  return `Matched by ${d.identifier ?? 'whole rows'}: ${n(d.added)} added, ${n(d.removed)} removed${changed}, ${n(d.unchanged)} unchanged.`;
}

/** "97 of the file's rows are exact duplicates of rows already there, and 3 reuse an ID value." */
export function describeRepeats(a: AppendCheck): string {
  const parts: string[] = [];
  if (a.duplicateRows > 0)
    parts.push(
      `${a.duplicateRows.toLocaleString('en')} of the file's rows ${a.duplicateRows === 1 ? 'is an exact duplicate of a row' : 'are exact duplicates of rows'} already there`,
    );
  if (a.repeatedIds > 0)
    parts.push(
      `${a.repeatedIds.toLocaleString('en')} ${a.repeatedIds === 1 ? 'reuses' : 'reuse'} ${a.identifier} values already there`,
    );
  return `${parts.join(', and ')}.`;
}

/** Sets the file against the version both ways, for the person to choose. */
export function previewRows(parent: DatasetContent, table: RawTable): RowsPreview {
  const extra = asContent(parent, table);
  const c = compared(parent, extra);
  const { check } = checkAppend(parent, extra, c);
  let replace: RowsPreview['replace'];
  try {
    checkTrainable(extra);
    replace = diffRows(parent, extra, c);
    if (replace.added === 0 && replace.removed === 0 && replace.changed === 0)
      replace = {
        problem: 'The file holds exactly the rows the version has: nothing would change.',
      };
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    replace = { problem: e.message };
  }
  return { fileRows: table.rowCount, append: check, replace };
}

/** Keeps the rows of `content` whose flag in `skip` is 0. */
export function withoutRows(content: DatasetContent, skip: Uint8Array): DatasetContent {
  const rows: number[] = [];
  for (let r = 0; r < content.rowCount; r++) if (!skip[r]) rows.push(r);
  return pickRows(content, rows, true);
}
