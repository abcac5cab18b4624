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

/** The form two category values share when they differ only by case, surrounding spaces or accents. */
export function foldVariant(s: string): string {
  return s
    .trim()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The number a cell holds in the strict form `[+-]digits[.digits][e[+-]digits]` (no thousands
 * separators, no spaces, no hex, no "Infinity"), or NaN. One scan of the characters, which
 * import does for every cell. Up to 15 significant digits without an exponent, the value is the
 * digits as an integer divided by a power of ten: both exact in a double, so the one rounding
 * of the division gives exactly what `Number()` gives (Clinger's fast path); anything longer
 * goes through `Number()`.
 */
export function strictNumber(s: string): number {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  const negative = c === 45;
  if (negative || c === 43) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    digits++;
    i++;
  }
  if (i < n && s.charCodeAt(i) === 46) {
    i++;
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      scale++;
      i++;
    }
  }
  if (digits === 0) return NaN;
  if (i === n) {
    if (digits <= 15 && scale <= 22) {
      const v = mantissa / POWERS_OF_TEN[scale]!;
      return negative ? -v : v;
    }
    return Number(s);
  }
  c = s.charCodeAt(i);
  if (c !== 101 && c !== 69) return NaN;
  i++;
  if (i < n && ((c = s.charCodeAt(i)) === 43 || c === 45)) i++;
  const expStart = i;
  while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) i++;
  return i === n && i > expStart ? Number(s) : NaN;
}

/** Whether a cell reads as a number (the strict form: no thousands separators). */
export function isNumeric(s: string): boolean {
  return !Number.isNaN(strictNumber(s));
}

const numbersByCells = new WeakMap<readonly (string | null)[], Float64Array>();

/**
 * Each cell's number (NaN where it is missing or not a number). Remembered for the array, so
 * the schema suggestion and the encoding that follows it read every cell once; cell arrays are
 * never changed after they are made.
 */
export function cellNumbers(cells: readonly (string | null)[]): Float64Array {
  let out = numbersByCells.get(cells);
  if (out) return out;
  out = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    out[i] = v === null || v === undefined ? NaN : strictNumber(v);
  }
  numbersByCells.set(cells, out);
  return out;
}

/**
 * Remembers the numbers of a cell array read while it was made (the reader parses each cell as
 * it trims it, while the string is still in the processor's cache). `numbers[i]` must be what
 * `cellNumbers` would give.
 */
export function rememberNumbers(cells: readonly (string | null)[], numbers: Float64Array): void {
  numbersByCells.set(cells, numbers);
}

/**
 * How many different numbers `values` holds, NaN left out and −0 the same as 0; counting
 * stops at `limit` + 1. An open-addressing hash table over the float's bits: linear in `n`, where a sort
 * or a Set of every value costs several times more on the columns an import profiles.
 */
export function distinctNumbers(values: Float64Array, limit = Infinity): number {
  const n = values.length;
  let size = 16;
  while (size < Math.min(n, limit) * 2) size *= 2;
  const keys = new Float64Array(size);
  const used = new Uint8Array(size);
  const asFloat = new Float64Array(1);
  const words = new Uint32Array(asFloat.buffer);
  const mask = size - 1;
  let distinct = 0;
  for (let i = 0; i < n; i++) {
    let v = values[i]!;
    if (v !== v) continue;
    if (v === 0) v = 0;
    asFloat[0] = v;
    let h = Math.imul(words[0]! ^ Math.imul(words[1]!, 0x9e3779b1), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 15)) & mask;
    while (used[h] === 1) {
      if (keys[h] === v) break;
      h = (h + 1) & mask;
    }
    if (used[h] === 0) {
      used[h] = 1;
      keys[h] = v;
      if (++distinct > limit) return distinct;
    }
  }
  return distinct;
}
