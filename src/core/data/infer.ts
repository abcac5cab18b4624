/**
 * Suggesting a schema for a raw table: a type and a role per column, the target and the task.
 * Every suggestion comes with the reason, shown to the person, who can override it.
 */
import type { ColumnRole, ColumnSchema, ColumnType, Task } from '../records';
import { cellNumbers, distinctNumbers, foldVariant } from './cells';
import type { RawTable } from './parse';

const BOOLEAN_TOKENS = new Set(['true', 'false', 'yes', 'no', 't', 'f', 'y', 'n']);
/** Column names that say "row identifier". */
export const ID_NAME = /^(id|.*[_\s-]id|uuid|guid|index|row|row_?num(ber)?|key|record)$/i;
const TARGET_NAME = /^(target|class|label|y|outcome|species|diagnosis|response)$/i;

/** A few cells of a mostly numeric column that are not numbers. */
export interface StrayCells {
  count: number;
  /** Up to five examples, with their 1-based data row. */
  examples: { row: number; value: string }[];
}

/** Values that differ only by case, surrounding spaces or accents, with how often each occurs. */
export interface VariantGroup {
  /** The spelling the merged category keeps: the most frequent one. */
  keep: string;
  values: { value: string; count: number }[];
}

/**
 * Different text values are counted up to this many. A column with more is far from a set of
 * categories, and counting every distinct string of a large file was the slowest step of import.
 */
export const DISTINCT_TEXT_CAP = 2000;

export interface ColumnFacts {
  name: string;
  missing: number;
  /** Exact, unless `distinctCapped`: then at least this many. */
  distinct: number;
  /**
   * Set when the values passed DISTINCT_TEXT_CAP and counting stopped: `seen` cells had been
   * read by then (the text cells, or every present cell of a column of numbers).
   */
  distinctCapped: { seen: number } | null;
  numeric: number;
  /** Set when at least 90 % of the present cells are numbers, but not all. */
  stray: StrayCells | null;
  allIntegers: boolean;
  booleanLike: boolean;
  /** Groups of text values that would be one category once variants are merged. */
  variants: VariantGroup[];
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

/** Text values that differ only by case, surrounding spaces or accents, grouped. */
export function variantGroups(counts: ReadonlyMap<string, number>): VariantGroup[] {
  const byFold = new Map<string, { value: string; count: number }[]>();
  for (const [value, count] of counts) {
    const key = foldVariant(value);
    const group = byFold.get(key);
    if (group) group.push({ value, count });
    else byFold.set(key, [{ value, count }]);
  }
  const groups: VariantGroup[] = [];
  for (const values of byFold.values()) {
    if (values.length < 2) continue;
    // Most frequent first; ties keep the order of first appearance (the sort is stable).
    values.sort((a, b) => b.count - a.count);
    groups.push({ keep: values[0]!.value, values });
  }
  return groups;
}

export function columnFacts(name: string, cells: readonly (string | null)[]): ColumnFacts {
  const text = new Map<string, number>();
  let capped: { seen: number } | null = null;
  const numbers = cellNumbers(cells);
  let missing = 0;
  let numeric = 0;
  let allIntegers = true;
  let booleanLike = true;
  const strayExamples: { row: number; value: string }[] = [];
  let strayCount = 0;
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (v === null || v === undefined) {
      missing++;
      continue;
    }
    const x = numbers[i]!;
    if (!Number.isNaN(x)) {
      numeric++;
      if (allIntegers && !Number.isInteger(x)) allIntegers = false;
    } else {
      strayCount++;
      if (strayExamples.length < 5) strayExamples.push({ row: i + 1, value: v });
      if (capped === null) {
        text.set(v, (text.get(v) ?? 0) + 1);
        if (text.size >= DISTINCT_TEXT_CAP) capped = { seen: strayCount };
      }
    }
    if (booleanLike && !BOOLEAN_TOKENS.has(v.toLowerCase())) booleanLike = false;
  }
  const present = cells.length - missing;
  // Exact for a name that says identifier (every value different, or not), capped otherwise.
  const limit = ID_NAME.test(name) ? Infinity : DISTINCT_TEXT_CAP;
  const numberCount = numeric > 0 ? distinctNumbers(numbers, limit) : 0;
  if (numberCount > limit && capped === null) capped = { seen: present };
  const distinct = text.size + numberCount;
  const mostlyNumeric = present > 0 && numeric > 0 && strayCount > 0 && numeric / present >= 0.9;
  // Yes/no columns are told apart by their folded values, so "Yes", "yes" and "No" are two.
  const folded = booleanLike ? new Set([...text.keys()].map(foldVariant)).size : distinct;
  return {
    name,
    missing,
    distinct,
    distinctCapped: capped,
    numeric,
    stray: mostlyNumeric ? { count: strayCount, examples: strayExamples } : null,
    allIntegers: numeric > 0 && allIntegers,
    booleanLike: present > 0 && booleanLike && folded <= 2,
    variants: capped ? [] : variantGroups(text),
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
  if (f.distinctCapped) {
    const { seen } = f.distinctCapped;
    return f.distinct >= 0.9 * seen
      ? {
          type: 'text-id',
          reason: `${f.distinct.toLocaleString('en')} different values in the first ${seen.toLocaleString('en')} text cells: free text or names rather than categories`,
        }
      : {
          type: 'categorical',
          reason: `more than ${DISTINCT_TEXT_CAP.toLocaleString('en')} distinct text values`,
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
    const merge = f.variants.length > 0 && (type === 'categorical' || type === 'boolean');
    if (merge) why = `${why}; ${describeVariants(f.variants)}`;
    return { name: f.name, type, role, reason: why, ...(merge ? { mergeVariants: true } : {}) };
  });
  const t = columns[target]!;
  return { columns, task: inferTask(facts[target]!, t.type), facts };
}

/** "yes" (52), "Yes" (40) → "yes"; "No" (8), "no" (1) → "No": the groups in words. */
export function describeVariants(groups: readonly VariantGroup[]): string {
  const shown = groups
    .slice(0, 3)
    .map((g) => `${g.values.map((x) => `"${x.value}" (${x.count})`).join(', ')} → "${g.keep}"`)
    .join('; ');
  const more = groups.length > 3 ? `; and ${groups.length - 3} more groups` : '';
  return `${groups.length === 1 ? 'one value is' : `${groups.length} values are`} spelled in several ways (case, spaces or accents): ${shown}${more}`;
}

/** Makes `name` the one target; the previous target becomes a feature. */
export function markTarget(columns: ColumnSchema[], name: string): void {
  for (const c of columns) {
    if (c.name === name) c.role = 'target';
    else if (c.role === 'target') c.role = 'feature';
  }
}
