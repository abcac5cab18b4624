/**
 * Data drift per feature: the population stability index between the training data
 * (expected) and recent inputs (actual), PSI = Σ (a − e) · ln(a / e) over bins. Numeric
 * features use the training data's deciles as bins; categorical ones their categories (plus
 * "other"); missing values are a bin of their own. Shares are floored at 0.0001 so an empty
 * bin does not make the index infinite. Common reading: < 0.1 stable, 0.1–0.25 moderate,
 * > 0.25 large shift.
 */
import type { FeatureEncoding } from '../data/matrix';

const FLOOR = 1e-4;

export interface FeatureDrift {
  feature: string;
  psi: number;
  level: 'stable' | 'moderate' | 'large';
}

export function psi(expected: number[], actual: number[]): number {
  const te = expected.reduce((a, b) => a + b, 0) || 1;
  const ta = actual.reduce((a, b) => a + b, 0) || 1;
  let out = 0;
  expected.forEach((e, i) => {
    const pe = Math.max(FLOOR, e / te);
    const pa = Math.max(FLOOR, (actual[i] ?? 0) / ta);
    out += (pa - pe) * Math.log(pa / pe);
  });
  return out;
}

function level(v: number): FeatureDrift['level'] {
  return v < 0.1 ? 'stable' : v <= 0.25 ? 'moderate' : 'large';
}

/** Bin counts of encoded values (NaN = missing) for one feature, with edges from `train`. */
function bins(f: FeatureEncoding, train: number[], values: number[]): { e: number[]; a: number[] } {
  if (f.kind === 'categorical') {
    const k = f.categories.length;
    const count = (vs: number[]): number[] => {
      const c = new Array<number>(k + 1).fill(0);
      for (const v of vs) c[Number.isNaN(v) || v < 0 || v >= k ? k : v]!++;
      return c;
    };
    return { e: count(train), a: count(values) };
  }
  const present = train.filter((v) => !Number.isNaN(v)).sort((p, q) => p - q);
  const edges = [
    ...new Set(
      Array.from({ length: 9 }, (_, i) => present[Math.floor(((i + 1) * present.length) / 10)]),
    ),
  ].filter((v): v is number => v !== undefined);
  const count = (vs: number[]): number[] => {
    const c = new Array<number>(edges.length + 2).fill(0);
    for (const v of vs) {
      if (Number.isNaN(v)) c[edges.length + 1]!++;
      else {
        let b = 0;
        while (b < edges.length && v >= edges[b]!) b++;
        c[b]!++;
      }
    }
    return c;
  };
  return { e: count(train), a: count(values) };
}

/** PSI per feature, worst first. `train` and `recent` are rows of encoded values. */
export function featureDrift(
  features: FeatureEncoding[],
  train: number[][],
  recent: number[][],
): FeatureDrift[] {
  return features
    .map((f, j) => {
      const { e, a } = bins(
        f,
        train.map((r) => r[j]!),
        recent.map((r) => r[j]!),
      );
      const v = psi(e, a);
      return { feature: f.name, psi: v, level: level(v) };
    })
    .sort((p, q) => q.psi - p.psi);
}
