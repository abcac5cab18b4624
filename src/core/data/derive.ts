/**
 * Making a new version from an existing one: appending rows, changing the schema, or
 * keeping only the rows that pass a filter. Each returns new content (the parent is never
 * touched) and the change is described for the lineage.
 */
import type { ColumnSchema, Task, VersionChange } from '../records';

export type { VersionChange };
import {
  buildContent,
  cellText,
  checkTrainable,
  columnCells,
  pickRows,
  type DatasetContent,
} from './content';
import { asContent, checkAppend, diffRows, replaceChange, withoutRows } from './rows';
import { DataError, isNumeric } from './cells';
import type { RawTable } from './parse';

/**
 * Appends the rows of another table with the same columns (in any order). With `skipRepeats`,
 * rows that are exact duplicates or reuse an identifier value are left out (and counted).
 */
export function appendRows(
  parent: DatasetContent,
  table: RawTable,
  skipRepeats = false,
): { content: DatasetContent; change: VersionChange } {
  let extra = asContent(parent, table);
  let skipped = 0;
  if (skipRepeats) {
    const { skip } = checkAppend(parent, extra);
    for (const s of skip) skipped += s;
    if (skipped === extra.rowCount)
      throw new DataError('Every row of the file is already there: nothing would be appended.');
    if (skipped > 0) extra = withoutRows(extra, skip);
  }
  const rowCount = parent.rowCount + extra.rowCount;
  const cells = parent.columns.map((c, i) =>
    columnCells(c, parent.rowCount).concat(columnCells(extra.columns[i]!, extra.rowCount)),
  );
  const content = buildContent(cells, parent.schema, parent.task, rowCount, { parent });
  const n = extra.rowCount;
  return {
    content,
    change: {
      kind: 'append',
      rowsAdded: n,
      rowsRemoved: 0,
      columnsChanged: [],
      summary: `${n} ${n === 1 ? 'row' : 'rows'} appended${skipped ? `; ${skipped} repeated ${skipped === 1 ? 'row' : 'rows'} left out` : ''}`,
    },
  };
}

/** Takes the table as the whole new content, recording the rows it adds, removes and changes. */
export function replaceRows(
  parent: DatasetContent,
  table: RawTable,
  fileName: string,
): { content: DatasetContent; change: VersionChange } {
  const content = asContent(parent, table);
  checkTrainable(content);
  const diff = diffRows(parent, content);
  if (diff.added === 0 && diff.removed === 0 && diff.changed === 0)
    throw new DataError('The file holds exactly the rows the version has: nothing would change.');
  return { content, change: replaceChange(diff, fileName) };
}

/** Re-encodes the content under a new schema and task (types converted from the cells). */
export function changeSchema(
  parent: DatasetContent,
  schema: readonly ColumnSchema[],
  task: Task,
  strayAsMissing: ReadonlySet<string> = new Set(),
): { content: DatasetContent; change: VersionChange } {
  if (
    schema.length !== parent.schema.length ||
    schema.some((s, i) => s.name !== parent.schema[i]!.name)
  ) {
    throw new DataError('A schema change keeps the same columns in the same order.');
  }
  const cells = parent.columns.map((c) => columnCells(c, parent.rowCount));
  const content = buildContent(cells, schema, task, parent.rowCount, { strayAsMissing });
  const changed: string[] = [];
  schema.forEach((s, i) => {
    const p = parent.schema[i]!;
    if (p.type !== s.type) changed.push(`${s.name}: ${p.type} → ${s.type}`);
    if (p.role !== s.role) changed.push(`${s.name}: ${p.role} → ${s.role}`);
    if (!p.mergeVariants !== !s.mergeVariants)
      changed.push(
        `${s.name}: ${s.mergeVariants ? 'spelling variants merged' : 'spelling variants kept apart'}`,
      );
  });
  if (task !== parent.task) changed.push(`task: ${parent.task} → ${task}`);
  if (changed.length === 0)
    throw new DataError('Nothing changed: the schema is the same as before.');
  return {
    content,
    change: {
      kind: 'schema',
      rowsAdded: 0,
      rowsRemoved: 0,
      columnsChanged: changed,
      summary: changed.join('; '),
    },
  };
}

export type FilterOp = '=' | '≠' | '<' | '≤' | '>' | '≥' | 'is missing' | 'is not missing';
export const FILTER_OPS: readonly FilterOp[] = [
  '=',
  '≠',
  '<',
  '≤',
  '>',
  '≥',
  'is missing',
  'is not missing',
];

/** Keep the rows where `column op value` holds. */
export interface RowFilter {
  column: string;
  op: FilterOp;
  value: string;
}

export function describeFilter(f: RowFilter): string {
  return f.op === 'is missing' || f.op === 'is not missing'
    ? `${f.column} ${f.op}`
    : `${f.column} ${f.op} ${f.value}`;
}

/** A predicate over row indexes for the filter. */
export function rowPredicate(content: DatasetContent, f: RowFilter): (row: number) => boolean {
  const i = content.schema.findIndex((s) => s.name === f.column);
  if (i < 0) throw new DataError(`There is no column "${f.column}".`);
  const col = content.columns[i]!;
  if (f.op === 'is missing') return (r) => cellText(col, r) === null;
  if (f.op === 'is not missing') return (r) => cellText(col, r) !== null;
  const want = f.value.trim();
  if (col.kind === 'numeric') {
    if (!isNumeric(want))
      throw new DataError(`"${f.column}" is numeric: compare it with a number, not "${want}".`);
    const x = Number(want);
    const v = col.values;
    const cmp: Record<
      Exclude<FilterOp, 'is missing' | 'is not missing'>,
      (a: number) => boolean
    > = {
      '=': (a) => a === x,
      '≠': (a) => a !== x,
      '<': (a) => a < x,
      '≤': (a) => a <= x,
      '>': (a) => a > x,
      '≥': (a) => a >= x,
    };
    const test = cmp[f.op];
    return (r) => !Number.isNaN(v[r]!) && test(v[r]!);
  }
  if (f.op !== '=' && f.op !== '≠') {
    throw new DataError(`"${f.column}" holds text: use = or ≠, or a missing test.`);
  }
  return f.op === '='
    ? (r) => cellText(col, r) === want
    : (r) => {
        const c = cellText(col, r);
        return c !== null && c !== want;
      };
}

/** Keeps only the rows that pass the filter. */
export function filterRows(
  parent: DatasetContent,
  f: RowFilter,
): { content: DatasetContent; change: VersionChange } {
  const keep = rowPredicate(parent, f);
  const rows: number[] = [];
  for (let r = 0; r < parent.rowCount; r++) if (keep(r)) rows.push(r);
  const removed = parent.rowCount - rows.length;
  if (removed === 0)
    throw new DataError(`Every row passes "${describeFilter(f)}": nothing would change.`);
  if (rows.length === 0)
    throw new DataError(`No row passes "${describeFilter(f)}": the version would be empty.`);
  const content = pickRows(parent, rows);
  return {
    content,
    change: {
      kind: 'filter',
      rowsAdded: 0,
      rowsRemoved: removed,
      columnsChanged: [],
      summary: `kept rows where ${describeFilter(f)}; ${removed} removed`,
    },
  };
}
