/**
 * The profile of a dataset version: what a student reads before training. Row count; per
 * column the missing and distinct counts; for numbers min, max, mean, standard deviation and a
 * histogram; for categories the most frequent labels; for the target the class balance.
 */
import type {
  CategoryCount,
  ColumnProfile,
  DatasetProfile,
  Histogram,
  NumericSummary,
  StoredColumn,
} from '../records';

export type { CategoryCount, ColumnProfile, DatasetProfile, Histogram, NumericSummary };
import { cellText, isMissing, type DatasetContent } from './content';
import { distinctNumbers } from './cells';

export const TOP_CATEGORIES = 10;
export const HISTOGRAM_BINS = 12;

/** Equal-width bins over [min, max]; a constant column gets one bin. */
export function histogram(
  values: Float64Array,
  min: number,
  max: number,
  bins = HISTOGRAM_BINS,
): Histogram {
  if (!(max > min)) {
    let n = 0;
    for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
    return { edges: [min, max], counts: [n] };
  }
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    const b = Math.min(bins - 1, Math.floor((v - min) / width));
    counts[b]!++;
  }
  return { edges, counts };
}

function numericSummary(values: Float64Array): {
  summary: NumericSummary | null;
  distinct: number;
} {
  // Two passes (the sum, then the squares about the mean): as stable as Welford's update and
  // without its division per value.
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let mean = n > 0 ? sum / n : 0;
  if (!Number.isFinite(mean)) {
    // The sum overflowed (values near the largest double): the running mean does not.
    mean = 0;
    let k = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === v) mean += (v - mean) / ++k;
    }
  }
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    const d = v - mean;
    m2 += d * d;
  }
  if (n === 0) return { summary: null, distinct: 0 };
  const distinct = distinctNumbers(values);
  return {
    summary: {
      min,
      max,
      mean,
      std: n > 1 ? Math.sqrt(m2 / (n - 1)) : 0,
      histogram: histogram(values, min, max),
    },
    distinct,
  };
}

function categoryCounts(col: StoredColumn, rowCount: number): CategoryCount[] {
  const counts = new Map<string, number>();
  if (col.kind === 'categorical') {
    const byCode = new Array<number>(col.categories.length).fill(0);
    for (const c of col.codes) if (c >= 0) byCode[c]!++;
    col.categories.forEach((v, i) => counts.set(v, byCode[i]!));
  } else {
    for (let r = 0; r < rowCount; r++) {
      const v = cellText(col, r);
      if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
  }
  return [...counts]
    .filter(([, n]) => n > 0)
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

export function profileContent(content: DatasetContent): DatasetProfile {
  const { rowCount, schema, columns, task } = content;
  const rowMissing = new Uint8Array(rowCount);
  let classBalance: CategoryCount[] | null = null;
  const profiles = columns.map((col, i): ColumnProfile => {
    const s = schema[i]!;
    let missing = 0;
    if (col.kind === 'numeric') {
      const values = col.values;
      for (let r = 0; r < rowCount; r++) {
        if (values[r] !== values[r]) {
          missing++;
          rowMissing[r] = 1;
        }
      }
    } else {
      for (let r = 0; r < rowCount; r++) {
        if (isMissing(col, r)) {
          missing++;
          rowMissing[r] = 1;
        }
      }
    }
    const base = { name: s.name, type: s.type, role: s.role, missing };
    if (col.kind === 'numeric') {
      const { summary, distinct } = numericSummary(col.values);
      if (s.role === 'target' && task === 'classification')
        classBalance = categoryCounts(col, rowCount);
      return { ...base, distinct, numeric: summary, top: null };
    }
    const all = categoryCounts(col, rowCount);
    if (s.role === 'target' && task === 'classification') classBalance = all;
    return { ...base, distinct: all.length, numeric: null, top: all.slice(0, TOP_CATEGORIES) };
  });
  let rowsWithMissing = 0;
  for (const m of rowMissing) rowsWithMissing += m;
  return { rowCount, task, columns: profiles, classBalance, rowsWithMissing };
}
