/**
 * What a cell is, apart from reading files: the missing-value tokens, the number rule and the
 * error a person can act on. Kept apart from `parse.ts` so the page gets them without the CSV
 * parser (which runs in the worker).
 */

/** Cells that mean "no value". Compared after trimming white space; the list is editable. */
export const DEFAULT_MISSING_TOKENS: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'null', '?'];

/** Files larger than this are refused before reading: the tab would run out of memory. */
export const MAX_IMPORT_BYTES = 150 * 1024 * 1024;

/** A problem with the data that the person can act on. */
export class DataError extends Error {
  override readonly name = 'DataError';
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Whether a cell reads as a finite number (the strict form: no thousands separators). */
export function isNumeric(s: string): boolean {
  return NUMBER.test(s);
}
