/**
 * Contributions over many rows (the hold-out rows of a version, say): each row's contribution
 * per feature and its input, and the mean absolute contribution per feature: which features
 * move this model's output, and in which direction as their values grow (the beeswarm).
 */
import type { DatasetContent } from '../data/content';
import { matrixFor } from '../data/matrix';
import type { Predictor } from '../predict/predict';
import type { Progress } from '../vocabulary';
import { explainerFor } from './contributions';

export interface RowsExplained {
  rows: number;
  features: number;
  output: string;
  method: string;
  perClass: boolean;
  base: number;
  /** rows × features contributions, row-major. */
  values: number[];
  /** rows × features encoded inputs (NaN or −1 missing), row-major. */
  inputs: number[];
  /** Per feature, the mean of |contribution| over the rows. */
  meanAbs: number[];
}

/** Explains the version's output for class `c` on the matrix rows `rows` of a data version; null for a family without a method. */
export function explainRows(
  version: Predictor,
  content: DatasetContent,
  rows: readonly number[],
  c: number,
  onProgress: Progress = () => {},
): RowsExplained | null {
  const explainer = explainerFor(version.family, version.fitted, version.encoding, c);
  if (!explainer) return null;
  const m = matrixFor(content, version.encoding);
  const p = m.features;
  const values: number[] = [];
  const inputs: number[] = [];
  const meanAbs = new Array<number>(p).fill(0);
  rows.forEach((r, i) => {
    const x = Array.from(m.x.subarray(r * p, (r + 1) * p));
    const e = explainer.explain(x);
    for (let j = 0; j < p; j++) {
      values.push(e.values[j]!);
      inputs.push(x[j]!);
      meanAbs[j] = meanAbs[j]! + Math.abs(e.values[j]!) / rows.length;
    }
    if ((i + 1) % 50 === 0 || i + 1 === rows.length) onProgress(i + 1, rows.length);
  });
  const { output, method, perClass, base } = explainer;
  return {
    rows: rows.length,
    features: p,
    output,
    method,
    perClass,
    base,
    values,
    inputs,
    meanAbs,
  };
}
