import { cellText, type StoredColumn } from './content';

/**
 * The row order that sorts a column: numbers by value, text by code point; missing values
 * always last; ties keep their original order (stable).
 */
export function sortOrder(col: StoredColumn, rowCount: number, descending = false): Uint32Array {
  const order = new Uint32Array(rowCount);
  for (let i = 0; i < rowCount; i++) order[i] = i;
  const sign = descending ? -1 : 1;
  let cmp: (a: number, b: number) => number;
  if (col.kind === 'numeric') {
    const v = col.values;
    cmp = (a, b) => {
      const x = v[a]!;
      const y = v[b]!;
      const mx = Number.isNaN(x);
      const my = Number.isNaN(y);
      if (mx || my) return mx === my ? a - b : mx ? 1 : -1;
      return x === y ? a - b : sign * (x - y);
    };
  } else {
    cmp = (a, b) => {
      const x = cellText(col, a);
      const y = cellText(col, b);
      if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
      return x === y ? a - b : sign * (x < y ? -1 : 1);
    };
  }
  return order.sort(cmp);
}
