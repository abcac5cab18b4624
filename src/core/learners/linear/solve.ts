/**
 * The numerical parts of the linear families: the regularized log loss and its gradient
 * (binary and multinomial, as scikit-learn's `LogisticRegression` with lbfgs minimizes it), and
 * ridge regression solved exactly from the eigendecomposition of the centred normal matrix
 * (as the minimum-norm least-squares solution when `alpha` is 0, like `lstsq`).
 */
import { minimize, type Minimum } from './lbfgs';

/** A design matrix: rows × width, row-major. */
export interface Design {
  x: Float64Array;
  rows: number;
  width: number;
}

/**
 * Minimizes C · Σ wᵢ · loss(rowᵢ) + ½ ‖coefficients‖² (intercepts not penalized). Classes 2:
 * one coefficient vector and the logistic; more: one per class and the softmax.
 * Returns coefficients (k × width, row-major, k = 1 for two classes) and intercepts.
 */
export function fitLogistic(
  d: Design,
  y: Float64Array,
  classes: number,
  weights: Float64Array,
  C: number,
  maxIterations: number,
): { coef: number[]; intercept: number[]; minimum: Minimum } {
  const { x, rows: n, width: m } = d;
  const k = classes > 2 ? classes : 1;
  const size = k * (m + 1);
  const z = new Float64Array(k);
  const f = (theta: Float64Array, g: Float64Array): number => {
    g.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const row = i * m;
      for (let c = 0; c < k; c++) {
        let s = theta[k * m + c]!;
        const w = c * m;
        for (let j = 0; j < m; j++) s += theta[w + j]! * x[row + j]!;
        z[c] = s;
      }
      const wi = weights[i]! * C;
      if (k === 1) {
        const t = z[0]!;
        const yi = y[i]!;
        // log(1 + e^t) − y·t, without overflow.
        loss += wi * ((t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t))) - yi * t);
        const p = t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
        const r = wi * (p - yi);
        for (let j = 0; j < m; j++) g[j]! += r * x[row + j]!;
        g[m]! += r;
      } else {
        let top = -Infinity;
        for (let c = 0; c < k; c++) top = Math.max(top, z[c]!);
        let sum = 0;
        for (let c = 0; c < k; c++) sum += Math.exp(z[c]! - top);
        const yi = y[i]!;
        loss += wi * (top + Math.log(sum) - z[yi]!);
        for (let c = 0; c < k; c++) {
          const r = wi * (Math.exp(z[c]! - top) / sum - (c === yi ? 1 : 0));
          const w = c * m;
          for (let j = 0; j < m; j++) g[w + j]! += r * x[row + j]!;
          g[k * m + c]! += r;
        }
      }
    }
    for (let j = 0; j < k * m; j++) {
      loss += 0.5 * theta[j]! * theta[j]!;
      g[j]! += theta[j]!;
    }
    return loss;
  };
  const minimum = minimize(f, new Float64Array(size), { maxIterations, tolerance: 1e-9 });
  const coef = Array.from(minimum.x.subarray(0, k * m));
  const intercept = Array.from(minimum.x.subarray(k * m));
  return { coef, intercept, minimum };
}

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major) of a symmetric matrix, by Jacobi rotations. */
export function symmetricEigen(
  a: Float64Array,
  m: number,
): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(m * m);
  for (let i = 0; i < m; i++) V[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += A[p * m + q]! ** 2;
    let diag = 0;
    for (let p = 0; p < m; p++) diag += A[p * m + p]! ** 2;
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = A[p * m + q]!;
        if (apq === 0) continue;
        const app = A[p * m + p]!;
        const aqq = A[q * m + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < m; r++) {
          const arp = A[r * m + p]!;
          const arq = A[r * m + q]!;
          A[r * m + p] = c * arp - s * arq;
          A[r * m + q] = s * arp + c * arq;
        }
        for (let r = 0; r < m; r++) {
          const apr = A[p * m + r]!;
          const aqr = A[q * m + r]!;
          A[p * m + r] = c * apr - s * aqr;
          A[q * m + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < m; r++) {
          const vrp = V[r * m + p]!;
          const vrq = V[r * m + q]!;
          V[r * m + p] = c * vrp - s * vrq;
          V[r * m + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(m);
  for (let i = 0; i < m; i++) values[i] = A[i * m + i]!;
  return { values, vectors: V };
}

/**
 * Ridge regression with an intercept: minimizes Σ wᵢ (yᵢ − xᵢβ − b)² + α‖β‖², from the
 * weighted-centred normal equations. With α = 0 and collinear columns (a one-hot feature
 * beside the intercept), the minimum-norm solution.
 */
export function fitRidge(
  d: Design,
  y: Float64Array,
  weights: Float64Array,
  alpha: number,
): { coef: number[]; intercept: number; rank: number } {
  const { x, rows: n, width: m } = d;
  let wsum = 0;
  const mean = new Float64Array(m);
  let ymean = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    wsum += w;
    ymean += w * y[i]!;
    for (let j = 0; j < m; j++) mean[j]! += w * x[i * m + j]!;
  }
  ymean /= wsum;
  for (let j = 0; j < m; j++) mean[j]! /= wsum;
  const A = new Float64Array(m * m);
  const b = new Float64Array(m);
  const row = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    for (let j = 0; j < m; j++) row[j] = x[i * m + j]! - mean[j]!;
    const yc = y[i]! - ymean;
    for (let j = 0; j < m; j++) {
      const wr = w * row[j]!;
      b[j]! += wr * yc;
      for (let l = j; l < m; l++) A[j * m + l]! += wr * row[l]!;
    }
  }
  for (let j = 0; j < m; j++) for (let l = 0; l < j; l++) A[j * m + l] = A[l * m + j]!;
  const { values, vectors } = symmetricEigen(A, m);
  let top = 0;
  for (const v of values) top = Math.max(top, Math.abs(v));
  const cutoff = 1e-12 * top * m;
  const coef = new Array<number>(m).fill(0);
  let rank = 0;
  for (let e = 0; e < m; e++) {
    const lambda = values[e]! + alpha;
    if (!(lambda > cutoff) || lambda <= 0) continue;
    rank++;
    let proj = 0;
    for (let j = 0; j < m; j++) proj += vectors[j * m + e]! * b[j]!;
    const scale = proj / lambda;
    for (let j = 0; j < m; j++) coef[j]! += scale * vectors[j * m + e]!;
  }
  let intercept = ymean;
  for (let j = 0; j < m; j++) intercept -= mean[j]! * coef[j]!;
  return { coef, intercept, rank };
}
