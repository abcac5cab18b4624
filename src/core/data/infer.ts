/**
 * Suggesting a schema for a raw table: a type and a role per column, the target and the task.
 * Every suggestion comes with the reason, shown to the person, who can override it.
 */
import type { ColumnRole, ColumnSchema, ColumnType, Task } from '../records';
import { isNumeric } from './cells';
import type { RawTable } from './parse';

const BOOLEAN_TOKENS = new Set(['true', 'false', 'yes', 'no', 't', 'f', 'y', 'n']);
const ID_NAME = /^(id|.*[_\s-]id|uuid|guid|index|row|row_?num(ber)?|key|record)$/i;
const TARGET_NAME = /^(target|class|label|y|outcome|species|diagnosis|response)$/i;

/** A few cells of a mostly numeric column that are not numbers. */
export interface StrayCells {
  count: number;
  /** Up to five examples, with their 1-based data row. */
  examples: { row: number; value: string }[];
}

export interface ColumnFacts {
  name: string;
  missing: number;
  distinct: number;
  numeric: number;
  /** Set when at least 90 % of the present cells are numbers, but not all. */
  stray: StrayCells | null;
  allIntegers: boolean;
  booleanLike: boolean;
}

export interface ColumnSuggestion extends ColumnSchema {
  /** Why this type and role were chosen, in words for the person. */
  reason: string;
}

export interface SchemaSuggestion {
  columns: ColumnSuggestion[];
  task: Task;
  facts: ColumnFacts[];
}

export function columnFacts(name: string, cells: readonly (string | null)[]): ColumnFacts {
  const distinct = new Set<string>();
  let missing = 0;
  let numeric = 0;
  let allIntegers = true;
  let booleanLike = true;
  const strayExamples: { row: number; value: string }[] = [];
  let strayCount = 0;
  cells.forEach((v, i) => {
    if (v === null) {
      missing++;
      return;
    }
    distinct.add(v);
    if (isNumeric(v)) {
      numeric++;
      if (allIntegers && !Number.isInteger(Number(v))) allIntegers = false;
    } else {
      strayCount++;
      if (strayExamples.length < 5) strayExamples.push({ row: i + 1, value: v });
    }
    if (booleanLike && !BOOLEAN_TOKENS.has(v.toLowerCase())) booleanLike = false;
  });
  const present = cells.length - missing;
  const mostlyNumeric = present > 0 && numeric > 0 && strayCount > 0 && numeric / present >= 0.9;
  return {
    name,
    missing,
    distinct: distinct.size,
    numeric,
    stray: mostlyNumeric ? { count: strayCount, examples: strayExamples } : null,
    allIntegers: numeric > 0 && allIntegers,
    booleanLike: present > 0 && booleanLike && distinct.size <= 2,
  };
}

function typeOf(f: ColumnFacts, rows: number): { type: ColumnType; reason: string } {
  const present = rows - f.missing;
  if (present === 0) return { type: 'categorical', reason: 'every cell is missing' };
  if (f.numeric === present) return { type: 'numeric', reason: 'every value is a number' };
  if (f.booleanLike) return { type: 'boolean', reason: 'the values are yes/no or true/false' };
  if (f.stray) {
    return {
      type: 'categorical',
      reason: `${f.stray.count} ${f.stray.count === 1 ? 'value is' : 'values are'} not numbers in an otherwise numeric column`,
    };
  }
  if (f.distinct === present && present > 20) {
    return { type: 'text-id', reason: 'every value is different, like a name or an identifier' };
  }
  // Nearly every value different (91 names in 100 rows): free text, not a category to learn from.
  if (present >= 20 && f.distinct >= 0.9 * present) {
    return {
      type: 'text-id',
      reason: `${f.distinct} different values in ${present} rows: free text or names rather than categories`,
    };
  }
  return { type: 'categorical', reason: `${f.distinct} distinct text values` };
}

function pickTarget(facts: ColumnFacts[], types: ColumnType[], preferred?: string): number {
  if (preferred) {
    const i = facts.findIndex((f) => f.name === preferred);
    if (i >= 0) return i;
  }
  const named = facts.findIndex((f) => TARGET_NAME.test(f.name));
  if (named >= 0) return named;
  for (let i = facts.length - 1; i >= 0; i--) if (types[i] !== 'text-id') return i;
  return facts.length - 1;
}

/** Classification when the target has text labels or a few whole numbers; regression otherwise. */
export function inferTask(f: ColumnFacts, type: ColumnType): Task {
  if (type !== 'numeric') return 'classification';
  return f.allIntegers && f.distinct <= 20 ? 'classification' : 'regression';
}

/** Suggests types, roles, the target and the task for a freshly parsed table. */
export function suggestSchema(raw: RawTable, preferredTarget?: string): SchemaSuggestion {
  const facts = raw.names.map((n, i) => columnFacts(n, raw.columns[i]!));
  const typed = facts.map((f) => typeOf(f, raw.rowCount));
  const target = pickTarget(
    facts,
    typed.map((t) => t.type),
    preferredTarget,
  );
  const columns = facts.map((f, i): ColumnSuggestion => {
    const { type, reason } = typed[i]!;
    let role: ColumnRole = 'feature';
    let why = reason;
    if (i === target) {
      role = 'target';
      why = `${reason}; chosen as the target`;
    } else if (type === 'text-id') {
      role = 'ignored';
      why = `${reason}; ignored, since it cannot help a model generalise`;
    } else if (ID_NAME.test(f.name) && f.distinct === raw.rowCount - f.missing) {
      role = 'ignored';
      why = `${reason}; looks like a row identifier, so it is ignored`;
    } else if (f.missing === raw.rowCount) {
      role = 'ignored';
      why = `${reason}; ignored`;
    }
    return { name: f.name, type, role, reason: why };
  });
  const t = columns[target]!;
  return { columns, task: inferTask(facts[target]!, t.type), facts };
}

/** Makes `name` the one target; the previous target becomes a feature. */
export function markTarget(columns: ColumnSchema[], name: string): void {
  for (const c of columns) {
    if (c.name === name) c.role = 'target';
    else if (c.role === 'target') c.role = 'feature';
  }
}
