/**
 * From a dataset version to what a trainer needs: a numeric feature matrix and a target
 * vector, with the encoding recorded so that predictions later map raw values the same way.
 */
import type { Encoding, FeatureEncoding } from '../records';

export type { Encoding, FeatureEncoding };
import { cellText, type DatasetContent } from './content';
import { DataError, foldVariant } from './cells';

export interface Matrix {
  /** Row-major, rows × features; NaN where a value is missing. */
  x: Float64Array;
  rows: number;
  features: number;
  /** Class codes (classification) or values (regression). */
  y: Float64Array;
  encoding: Encoding;
  /** Rows of the version left out because their target is missing. */
  droppedRows: number;
}

/**
 * The code of a label among `labels`, or −1. With `mergeVariants`, a label that differs from
 * one of them only by case, surrounding spaces or accents has its code.
 */
export function labelCode(labels: readonly string[], raw: string, mergeVariants = false): number {
  const i = labels.indexOf(raw);
  if (i >= 0 || !mergeVariants) return i;
  const key = foldVariant(raw);
  return labels.findIndex((l) => foldVariant(l) === key);
}

/** Encodes one raw value of a feature; NaN for missing or an unseen category. */
export function encodeValue(f: FeatureEncoding, raw: string | null): number {
  if (raw === null) return NaN;
  if (f.kind === 'numeric') return Number(raw);
  const i = labelCode(f.categories, raw, f.mergeVariants);
  return i < 0 ? NaN : i;
}

export function toMatrix(content: DatasetContent): Matrix {
  const { schema, columns, rowCount, task } = content;
  const ti = schema.findIndex((s) => s.role === 'target');
  if (ti < 0) throw new DataError('The data has no target column.');
  const featureIdx = schema.flatMap((s, i) =>
    s.role === 'feature' && s.type !== 'text-id' ? [i] : [],
  );
  if (featureIdx.length === 0) throw new DataError('The data has no feature columns.');
  const target = columns[ti]!;

  let classes: string[] | null = null;
  const yRaw = new Float64Array(rowCount);
  if (task === 'classification') {
    // Classes sorted, so the codes do not depend on row order.
    const labels = new Set<string>();
    for (let r = 0; r < rowCount; r++) {
      const v = cellText(target, r);
      if (v !== null) labels.add(v);
    }
    const numeric = target.kind === 'numeric';
    classes = [...labels].sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
    const code = new Map(classes.map((c, i) => [c, i]));
    for (let r = 0; r < rowCount; r++) {
      const v = cellText(target, r);
      yRaw[r] = v === null ? NaN : code.get(v)!;
    }
  } else {
    if (target.kind !== 'numeric') throw new DataError('A regression target must be numeric.');
    yRaw.set(target.values);
  }

  const features: FeatureEncoding[] = featureIdx.map((i) => {
    const col = columns[i]!;
    const name = schema[i]!.name;
    if (col.kind !== 'categorical') return { name, kind: 'numeric' };
    const categories = col.categories.slice();
    return schema[i]!.mergeVariants
      ? { name, kind: 'categorical', categories, mergeVariants: true }
      : { name, kind: 'categorical', categories };
  });

  const keep: number[] = [];
  for (let r = 0; r < rowCount; r++) if (!Number.isNaN(yRaw[r]!)) keep.push(r);
  const p = featureIdx.length;
  const x = new Float64Array(keep.length * p);
  const y = new Float64Array(keep.length);
  keep.forEach((r, k) => {
    y[k] = yRaw[r]!;
    featureIdx.forEach((i, j) => {
      const col = columns[i]!;
      x[k * p + j] =
        col.kind === 'numeric'
          ? col.values[r]!
          : col.kind === 'categorical'
            ? col.codes[r]! < 0
              ? NaN
              : col.codes[r]!
            : NaN;
    });
  });
  return {
    x,
    rows: keep.length,
    features: p,
    y,
    encoding: {
      task,
      features,
      target: schema[ti]!.name,
      classes,
      ...(classes && schema[ti]!.mergeVariants ? { mergeClassVariants: true as const } : {}),
    },
    droppedRows: rowCount - keep.length,
  };
}

/**
 * The rows of a dataset version as a saved model sees them: features taken by name and encoded
 * with the model's recorded encoding (an unseen category or a missing column reads as missing),
 * rows without a target left out as at training time. Preprocessing and model are one unit.
 */
export function matrixFor(content: DatasetContent, encoding: Encoding): Matrix {
  const { schema, columns, rowCount } = content;
  const ti = schema.findIndex((s) => s.name === encoding.target);
  if (ti < 0)
    throw new DataError(`The data has no column "${encoding.target}", the model's target.`);
  const target = columns[ti]!;
  const keep: number[] = [];
  for (let r = 0; r < rowCount; r++) if (cellText(target, r) !== null) keep.push(r);
  const p = encoding.features.length;
  const x = new Float64Array(keep.length * p);
  encoding.features.forEach((f, j) => {
    const ci = schema.findIndex((s) => s.name === f.name);
    const col = ci < 0 ? null : columns[ci]!;
    keep.forEach((r, k) => {
      x[k * p + j] =
        col === null
          ? NaN
          : f.kind === 'numeric' && col.kind === 'numeric'
            ? col.values[r]!
            : encodeValue(f, cellText(col, r));
    });
  });
  const y = new Float64Array(keep.length);
  keep.forEach((r, k) => {
    const v = cellText(target, r)!;
    y[k] = encoding.classes
      ? labelCode(encoding.classes, v, encoding.mergeClassVariants)
      : Number(v);
  });
  return { x, rows: keep.length, features: p, y, encoding, droppedRows: rowCount - keep.length };
}
