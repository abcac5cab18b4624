/**
 * Reading tabular files: CSV/TSV through papaparse (streamed in chunks, with progress) and
 * JSON arrays of objects. The result is a raw table of strings, column by column, with
 * missing cells as null. Anything a person would need to fix is a DataError whose message
 * says what is wrong and where.
 */
import Papa from 'papaparse';
import type { Progress } from '../vocabulary';
import {
  DataError,
  DEFAULT_MISSING_TOKENS,
  isNumeric,
  MAX_IMPORT_BYTES,
  rememberNumbers,
  strictNumber,
} from './cells';

export { DataError, DEFAULT_MISSING_TOKENS, isNumeric, MAX_IMPORT_BYTES } from './cells';

export interface RawTable {
  names: string[];
  /** Column-major cells, trimmed; null where the cell is missing. */
  columns: (string | null)[][];
  rowCount: number;
  hasHeader: boolean;
  /** The delimiter found, or null for JSON. */
  delimiter: string | null;
}

export interface ParseOptions {
  missingTokens?: readonly string[];
  /** Decides CSV/TSV versus JSON; guessed from the content when absent. */
  fileName?: string;
  onProgress?: Progress;
}

export function checkSize(bytes: number): void {
  if (bytes === 0) throw new DataError('The file is empty: there is nothing to import.');
  if (bytes > MAX_IMPORT_BYTES) {
    const mb = (bytes / 1024 / 1024).toFixed(0);
    throw new DataError(
      `The file is ${mb} MB; Orpheus imports files up to ${MAX_IMPORT_BYTES / 1024 / 1024} MB, since the whole table has to fit in this browser tab. Split the file or remove columns you do not need, then import the parts.`,
    );
  }
}

/** Throws unless the bytes look like UTF-8 text (no NUL bytes, valid sequences). */
export function checkText(prefix: Uint8Array): void {
  if (prefix.includes(0)) {
    throw new DataError(
      'This file is not text (it contains binary data). Orpheus imports CSV, TSV and JSON files; export the data from its program as CSV first.',
    );
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(prefix, { stream: true });
  } catch {
    throw new DataError(
      'This file is not UTF-8 text. Save it again as "CSV UTF-8" (most spreadsheet programs offer it), then import it.',
    );
  }
}

/** The UTF-16 encoding a byte-order mark names, or null. */
function utf16Of(prefix: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (prefix[0] === 0xff && prefix[1] === 0xfe) return 'utf-16le';
  if (prefix[0] === 0xfe && prefix[1] === 0xff) return 'utf-16be';
  return null;
}

function looksLikeJson(fileName: string | undefined, head: string): boolean {
  if (fileName) return /\.json$/i.test(fileName);
  return /^\s*[[{]/.test(head);
}

/** Reads a whole text or file into a raw table. */
export async function parseTable(
  input: string | Blob,
  options: ParseOptions = {},
): Promise<RawTable> {
  const missing = missingTokens(options.missingTokens ?? DEFAULT_MISSING_TOKENS);
  let head: string;
  if (typeof input === 'string') {
    if (input.length === 0) checkSize(0);
    if (input.includes('\u0000')) checkText(new Uint8Array([0]));
    head = input.slice(0, 256);
  } else {
    checkSize(input.size);
    const prefix = new Uint8Array(await input.slice(0, 65536).arrayBuffer());
    const utf16 = utf16Of(prefix);
    if (utf16) {
      // Spreadsheet programs save "Unicode text" as UTF-16: read it as the text it is.
      const text = new TextDecoder(utf16, { fatal: false }).decode(await input.arrayBuffer());
      return parseTable(text, options);
    }
    checkText(prefix);
    head = new TextDecoder().decode(prefix.slice(0, 256));
    // Lone carriage returns (old Mac line ends, or mixed in with others): read the whole text
    // and end every line the same way.
    if (/\r(?!\n)/.test(new TextDecoder().decode(prefix)))
      return parseTable(await input.text(), options);
  }
  if (typeof input === 'string' && /\r(?!\n)/.test(input)) input = input.replace(/\r\n?/g, '\n');
  if (looksLikeJson(options.fileName, head.replace(/^\uFEFF/, ''))) {
    const text = typeof input === 'string' ? input : await input.text();
    options.onProgress?.(1, 1);
    return parseJson(text, missing);
  }
  const rows = await readRows(input, options.fileName, options.onProgress);
  return fromRows(rows.rows, rows.delimiter, missing);
}

function delimiterFor(fileName: string | undefined): string {
  if (fileName && /\.(tsv|tab)$/i.test(fileName)) return '\t';
  return ''; // papaparse guesses among , \t | ;
}

function readRows(
  input: string | Blob,
  fileName: string | undefined,
  onProgress: Progress | undefined,
): Promise<{ rows: string[][]; delimiter: string }> {
  const total = typeof input === 'string' ? input.length : input.size;
  const rows: string[][] = [];
  let delimiter = '';
  return new Promise((resolve, reject) => {
    const config: Papa.ParseLocalConfig<string[], Blob> = {
      delimiter: delimiterFor(fileName),
      // Lines end at \n; a \r before it (Windows) is trimmed with the cell, so files whose
      // lines end in both ways read as one table.
      newline: '\n',
      skipEmptyLines: true,
      chunkSize: 1024 * 1024,
      chunk: (results) => {
        if (!delimiter) delimiter = results.meta.delimiter;
        for (const r of results.data) rows.push(r);
        onProgress?.(Math.min(results.meta.cursor, total), total);
      },
      complete: () => resolve({ rows, delimiter }),
      error: (e) => reject(new DataError(`The file could not be read: ${e.message}`)),
    };
    // Strings are parsed in place; files are read chunk by chunk (FileReaderSync in a worker).
    // One call serves both: papaparse's overloads split them only by the input's type.
    (Papa.parse as (input: string | Blob, config: Papa.ParseLocalConfig<string[], Blob>) => void)(
      input,
      config,
    );
  });
}

/** The missing-value tokens, with the length of the longest (most cells are longer). */
interface MissingTokens {
  set: ReadonlySet<string>;
  longest: number;
}

function missingTokens(tokens: readonly string[]): MissingTokens {
  return { set: new Set(tokens), longest: Math.max(0, ...tokens.map((t) => t.length)) };
}

function cellOf(raw: string | undefined, missing: MissingTokens): string | null {
  if (raw === undefined) raw = '';
  // Most cells start and end with a printable ASCII character, which is never white space.
  const a = raw.charCodeAt(0);
  const b = raw.charCodeAt(raw.length - 1);
  const v = a > 32 && a < 127 && b > 32 && b < 127 ? raw : raw.trim();
  return v.length <= missing.longest && missing.set.has(v) ? null : v;
}

/** Decides whether the first row names the columns. */
function firstRowIsHeader(rows: string[][]): boolean {
  const first = rows[0] ?? [];
  if (rows.length < 2) return true;
  // A header row has no numbers where the rest of its column is numeric.
  for (let c = 0; c < first.length; c++) {
    const v = (first[c] ?? '').trim();
    if (!isNumeric(v)) continue;
    let numeric = 0;
    let seen = 0;
    for (let r = 1; r < rows.length && seen < 200; r++) {
      const x = (rows[r]?.[c] ?? '').trim();
      if (x === '') continue;
      seen++;
      if (isNumeric(x)) numeric++;
    }
    if (seen > 0 && numeric / seen >= 0.9) return false;
  }
  return true;
}

function checkNames(names: string[]): void {
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    if (n === '') {
      throw new DataError(
        `Column ${i + 1} has no name. Give every column a name in the first row, then import again.`,
      );
    }
    const prev = seen.get(n);
    if (prev !== undefined) {
      throw new DataError(
        `Two columns are named "${n}" (columns ${prev + 1} and ${i + 1}). Rename one of them, then import again.`,
      );
    }
    seen.set(n, i);
  });
}

function fromRows(rows: string[][], delimiter: string, missing: MissingTokens): RawTable {
  if (rows.length === 0) throw new DataError('The file is empty: there is nothing to import.');
  const first = rows[0]!;
  if (first.length > 0) first[0] = first[0]!.replace(/^\uFEFF/, '');
  const hasHeader = firstRowIsHeader(rows);
  const names = hasHeader ? first.map((n) => n.trim()) : first.map((_, i) => `column_${i + 1}`);
  checkNames(names);
  const start = hasHeader ? 1 : 0;
  const rowCount = rows.length - start;
  if (rowCount === 0) {
    throw new DataError('The file has a header but no rows of data.');
  }
  const columns: (string | null)[][] = names.map(() => new Array<string | null>(rowCount));
  // Each cell's number too, read as the cell is trimmed: one pass over the strings, not two.
  const numbers = names.map(() => new Float64Array(rowCount));
  for (let r = start; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.length !== names.length) {
      throw new DataError(
        `Line ${r + 1} has ${row.length} ${row.length === 1 ? 'value' : 'values'}, but the header has ${names.length} columns. Fix that line (a missing or extra separator, or an unclosed quote), then import again.`,
      );
    }
    for (let c = 0; c < names.length; c++) {
      const v = cellOf(row[c], missing);
      columns[c]![r - start] = v;
      numbers[c]![r - start] = v === null ? NaN : strictNumber(v);
    }
  }
  columns.forEach((cells, c) => rememberNumbers(cells, numbers[c]!));
  return { names, columns, rowCount, hasHeader, delimiter };
}

function parseJson(text: string, missing: MissingTokens): RawTable {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new DataError(
      `The file is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (!Array.isArray(data)) {
    throw new DataError('The JSON file must hold an array of objects, one object per row.');
  }
  if (data.length === 0) throw new DataError('The JSON array is empty: there are no rows.');
  const index = new Map<string, number>();
  const names: string[] = [];
  data.forEach((row: unknown, r) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new DataError(`Row ${r + 1} of the JSON array is not an object.`);
    }
    for (const key of Object.keys(row)) {
      if (!index.has(key)) {
        index.set(key, names.length);
        names.push(key.trim());
      }
    }
  });
  checkNames(names);
  const columns: (string | null)[][] = names.map(() =>
    new Array<string | null>(data.length).fill(null),
  );
  data.forEach((row: Record<string, unknown>, r) => {
    for (const [key, value] of Object.entries(row)) {
      const c = index.get(key)!;
      if (value === null || value === undefined) continue;
      if (typeof value === 'object') {
        throw new DataError(
          `Row ${r + 1}, field "${key}" holds a nested ${Array.isArray(value) ? 'array' : 'object'}; Orpheus reads flat tables only.`,
        );
      }
      columns[c]![r] = cellOf(String(value), missing);
    }
  });
  return { names, columns, rowCount: data.length, hasHeader: true, delimiter: null };
}
