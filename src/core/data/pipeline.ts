/**
 * The steps from a file to a dataset version, as the compute worker runs them: inspect a
 * file (parse, suggest a schema, show a few rows), then build the version the person chose
 * (encode, hash, profile), or derive one from a parent version.
 */
import type { ColumnSchema, Task } from '../records';
import { buildContent, contentHash, type DatasetContent } from './content';
import {
  appendRows,
  changeSchema,
  filterRows,
  replaceRows,
  type RowFilter,
  type VersionChange,
} from './derive';
import { previewRows, type RowsPreview } from './rows';
import { suggestSchema, type SchemaSuggestion } from './infer';
import { parseTable, type ParseOptions, type RawTable } from './parse';
import { profileContent, type DatasetProfile } from './profile';
import type { Progress } from '../vocabulary';

export interface Inspection {
  names: string[];
  rowCount: number;
  hasHeader: boolean;
  delimiter: string | null;
  suggestion: SchemaSuggestion;
  /** The first rows, row by row, for the preview table. */
  preview: (string | null)[][];
}

export const PREVIEW_ROWS = 8;

export interface BuiltVersion {
  id: string;
  content: DatasetContent;
  profile: DatasetProfile;
  change: VersionChange;
}

export interface SchemaChoice {
  schema: ColumnSchema[];
  task: Task;
  /** Numeric columns whose non-numeric cells the person agreed to read as missing. */
  strayAsMissing: string[];
}

export type Derivation =
  | {
      kind: 'append';
      input: string | Blob;
      parse: Omit<ParseOptions, 'onProgress'>;
      /** Leave out exact duplicates and rows whose identifier is already used. */
      skipRepeats?: boolean;
    }
  | { kind: 'replace'; input: string | Blob; parse: Omit<ParseOptions, 'onProgress'> }
  | ({ kind: 'schema' } & SchemaChoice)
  | { kind: 'filter'; filter: RowFilter };

export function inspectRaw(raw: RawTable, preferredTarget?: string): Inspection {
  const n = Math.min(PREVIEW_ROWS, raw.rowCount);
  const preview = Array.from({ length: n }, (_, r) => raw.columns.map((c) => c[r] ?? null));
  return {
    names: raw.names,
    rowCount: raw.rowCount,
    hasHeader: raw.hasHeader,
    delimiter: raw.delimiter,
    suggestion: suggestSchema(raw, preferredTarget),
    preview,
  };
}

export async function finish(
  content: DatasetContent,
  change: VersionChange,
): Promise<BuiltVersion> {
  return { id: await contentHash(content), content, profile: profileContent(content), change };
}

export async function buildFromRaw(raw: RawTable, choice: SchemaChoice): Promise<BuiltVersion> {
  const content = buildContent(raw.columns, choice.schema, choice.task, raw.rowCount, {
    strayAsMissing: new Set(choice.strayAsMissing),
  });
  return finish(content, {
    kind: 'import',
    rowsAdded: raw.rowCount,
    rowsRemoved: 0,
    columnsChanged: [],
    summary: `imported ${raw.rowCount} rows × ${raw.names.length} columns`,
  });
}

export async function derive(
  parent: DatasetContent,
  how: Derivation,
  onProgress?: Progress,
): Promise<BuiltVersion> {
  let result: { content: DatasetContent; change: VersionChange };
  switch (how.kind) {
    case 'append': {
      const extra = await parseTable(how.input, {
        ...how.parse,
        ...(onProgress ? { onProgress } : {}),
      });
      result = appendRows(parent, extra, how.skipRepeats ?? false);
      break;
    }
    case 'replace': {
      const table = await parseTable(how.input, {
        ...how.parse,
        ...(onProgress ? { onProgress } : {}),
      });
      result = replaceRows(parent, table, how.parse.fileName ?? 'a file');
      break;
    }
    case 'schema':
      result = changeSchema(parent, how.schema, how.task, new Set(how.strayAsMissing));
      break;
    case 'filter':
      result = filterRows(parent, how.filter);
      break;
  }
  return finish(result.content, result.change);
}

/** Reads a file of rows and sets it against the version: append or replace, before saving. */
export async function previewFile(
  parent: DatasetContent,
  input: string | Blob,
  parse: Omit<ParseOptions, 'onProgress'>,
  onProgress?: Progress,
): Promise<RowsPreview> {
  const table = await parseTable(input, { ...parse, ...(onProgress ? { onProgress } : {}) });
  return previewRows(parent, table);
}
