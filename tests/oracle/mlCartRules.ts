/**
 * ml-cart's own rules, arithmetic and tie-breaking on Orpheus's presorted workspace: the tree
 * ml-cart's `train` would build, in O(n log n) per feature per node. The oracle that proves
 * Orpheus's tree format and workspace against ml-cart itself (tests/unit/cart.test.ts) and
 * the benchmark's reference; never shipped. Gains are compared first with fast count-based
 * arithmetic; the near-best candidates are then recomputed exactly as ml-cart computes them,
 * and the first strictly best wins, as in ml-cart.
 */
import { checkSet, Workspace, type FitOptions } from '../../src/core/learners/tree/presort';
import type { TrainingSet } from '../../src/core/learners/training';
import type { TreeModel, TreeNode, TreeOptions } from '../../src/core/learners/tree/tree';

/** ml-cart's options, with its defaults. */
export interface MlCartParams {
  minNumSamples: number;
  maxDepth: number | null;
  /** ml-cart's classifier default is 0.01; its regression default is 0. */
  gainThreshold?: number;
}

/** `v` added `times` times, as ml-cart's `toDiscreteDistribution` accumulates 1/n per sample. */
function repeatedSum(v: number, times: number): number {
  let s = 0;
  for (let i = 0; i < times; i++) s += v;
  return s;
}

/** ml-cart's gini impurity of a side with these class counts, in its arithmetic. */
function mlCartGini(counts: ArrayLike<number>, n: number): number {
  if (n === 0) return 0;
  let sum = 0.0;
  const share = 1 / n;
  for (let c = 0; c < counts.length; c++) {
    const p = repeatedSum(share, counts[c]!);
    sum += p * p;
  }
  return 1 - sum;
}

/** ml-cart's `squaredError` of values in the order given. */
function mlCartSquaredError(values: number[]): number {
  const l = values.length;
  if (l === 0) return 0.0;
  let total = 0;
  for (const v of values) total += v;
  const m = total / l;
  let error = 0.0;
  for (const v of values) error += (v - m) * (v - m);
  return error;
}

interface Candidate {
  feature: number;
  value: number;
  fast: number;
  /** Class counts of the left side (classification). */
  left: Float64Array | null;
  nl: number;
}

class MlCartBuilder {
  readonly regression: boolean;
  readonly k: number;
  readonly options: TreeOptions;
  readonly maxDepth: number;
  readonly gainThreshold: number;

  constructor(
    readonly ws: Workspace,
    params: MlCartParams,
  ) {
    this.regression = ws.set.classes === 0;
    this.k = Math.max(1, ws.set.classes);
    this.maxDepth = params.maxDepth ?? Infinity;
    this.gainThreshold = params.gainThreshold ?? (this.regression ? 0 : 0.01);
    this.options = {
      gainFunction: this.regression ? 'regression' : 'gini',
      splitFunction: 'mean',
      minNumSamples: params.minNumSamples,
      maxDepth: params.maxDepth,
      ...(this.regression && params.gainThreshold === undefined
        ? {}
        : { gainThreshold: this.gainThreshold }),
      kind: this.regression ? 'regression' : 'classifier',
    };
  }

  nodeBase(): TreeNode {
    const o = this.options;
    return {
      kind: o.kind,
      gainFunction: o.gainFunction,
      splitFunction: o.splitFunction,
      minNumSamples: o.minNumSamples,
      maxDepth: o.maxDepth,
      gainThreshold: this.gainThreshold,
    };
  }

  /** The targets of the node's rows in their original order. */
  targets(s: number, e: number): number[] {
    const out: number[] = [];
    for (let i = s; i < e; i++) out.push(this.ws.set.y[this.ws.rows[i]!]!);
    return out;
  }

  prediction(s: number, e: number): number[][] | number {
    const ys = this.targets(s, e);
    if (this.regression) {
      let total = 0;
      for (const v of ys) total += v;
      return total / ys.length;
    }
    let classes = 0;
    for (const v of ys) classes = Math.max(classes, v + 1);
    const counts = new Array<number>(classes).fill(0);
    const share = 1 / ys.length;
    for (const v of ys) counts[v]! += share;
    return [counts];
  }

  /** The exact gain (classification) or error (regression) ml-cart computes for a candidate. */
  exact(s: number, e: number, cand: Candidate, parentCounts: Float64Array): number {
    const n = e - s;
    if (!this.regression) {
      const left = cand.left!;
      const right = new Float64Array(this.k);
      for (let c = 0; c < this.k; c++) right[c] = parentCounts[c]! - left[c]!;
      const nr = n - cand.nl;
      let splits = 0.0;
      splits += (mlCartGini(right, nr) * nr) / n;
      splits += (mlCartGini(left, cand.nl) * cand.nl) / n;
      return mlCartGini(parentCounts, n) - splits;
    }
    const col = this.ws.cols[cand.feature]!;
    const lesser: number[] = [];
    const greater: number[] = [];
    for (let i = s; i < e; i++) {
      const r = this.ws.rows[i]!;
      (col[r]! < cand.value ? lesser : greater).push(this.ws.set.y[r]!);
    }
    let error = 0.0;
    error += mlCartSquaredError(greater);
    error += mlCartSquaredError(lesser);
    return error;
  }

  build(s: number, e: number, depth: number, parentGain: number | null): TreeNode {
    const { ws, regression, k } = this;
    const y = ws.set.y;
    const n = e - s;
    const node = this.nodeBase();
    if (n <= this.options.minNumSamples) {
      node.distribution = this.prediction(s, e);
      return node;
    }
    const parentCounts = new Float64Array(k);
    let mean = 0;
    if (regression) {
      for (let i = s; i < e; i++) mean += y[ws.rows[i]!]!;
      mean /= n;
    } else {
      for (let i = s; i < e; i++) parentCounts[y[ws.rows[i]!]!]!++;
    }
    let centeredSq = 0;
    if (regression) for (let i = s; i < e; i++) centeredSq += (y[ws.rows[i]!]! - mean) ** 2;
    const tol = regression ? 1e-9 * centeredSq + 1e-12 : 1e-9;
    const parentGini = regression ? 0 : 1 - sumSquares(parentCounts, n);

    // Sweep every feature; keep the candidates whose fast gain is within `tol` of the best.
    let bestFast = regression ? Infinity : -Infinity;
    let kept: Candidate[] = [];
    const prefix = new Float64Array(k);
    let runCounts = new Float64Array(k);
    for (let f = 0; f < ws.cols.length; f++) {
      const col = ws.cols[f]!;
      const order = ws.orders[f]!;
      prefix.fill(0);
      runCounts.fill(0);
      let runStart = s;
      let sumL = 0;
      let sqL = 0;
      let runSum = 0;
      let runSq = 0;
      for (let i = s + 1; i < e; i++) {
        const prev = order[i - 1]!;
        const cur = order[i]!;
        const yp = y[prev]!;
        if (regression) {
          sumL += yp - mean;
          sqL += (yp - mean) ** 2;
        } else prefix[yp]!++;
        if (yp !== y[cur]!) {
          const a = col[prev]!;
          const value = (a + col[cur]!) / 2;
          const atRun = !(value > a);
          const nl = atRun ? runStart - s : i - s;
          let fast: number;
          let left: Float64Array | null = null;
          if (regression) {
            const sl = atRun ? runSum : sumL;
            const ql = atRun ? runSq : sqL;
            const nr = n - nl;
            const sr = -sl; // centred sums add to 0
            const qr = centeredSq - ql;
            fast = (nl > 0 ? ql - (sl * sl) / nl : 0) + (nr > 0 ? qr - (sr * sr) / nr : 0);
          } else {
            left = (atRun ? runCounts : prefix).slice();
            const nr = n - nl;
            let ginis = 0;
            if (nr > 0) {
              let sq = 0;
              for (let c = 0; c < k; c++) sq += ((parentCounts[c]! - left[c]!) / nr) ** 2;
              ginis += ((1 - sq) * nr) / n;
            }
            if (nl > 0) ginis += ((1 - sumSquares(left, nl)) * nl) / n;
            fast = parentGini - ginis;
          }
          const better = regression ? fast < bestFast : fast > bestFast;
          if (better) bestFast = fast;
          const near = regression ? fast <= bestFast + tol : fast >= bestFast - tol;
          if (near) {
            kept.push({ feature: f, value, fast, left, nl });
            if (kept.length > 64) kept = this.prune(kept, bestFast, tol);
          }
        }
        if (col[cur]! !== col[prev]!) {
          runStart = i;
          if (regression) {
            runSum = sumL;
            runSq = sqL;
          } else runCounts = prefix.slice();
        }
      }
    }

    // ml-cart: first strictly best exact gain (or error) wins.
    let gain = regression ? Infinity : -Infinity;
    let chosen: Candidate | null = null;
    for (const cand of this.prune(kept, bestFast, tol)) {
      const g = this.exact(s, e, cand, parentCounts);
      if (regression ? g < gain : g > gain) {
        gain = g;
        chosen = cand;
      }
    }
    if (chosen) {
      node.splitValue = chosen.value;
      node.splitColumn = chosen.feature;
    }
    node.gain = Number.isFinite(gain) ? gain : null;
    if (chosen) node.numberSamples = n;
    let nl = 0;
    if (chosen) {
      const col = ws.cols[chosen.feature]!;
      for (let i = s; i < e; i++) if (col[ws.rows[i]!]! < chosen.value) nl++;
    }
    if (
      chosen &&
      depth < this.maxDepth &&
      gain > this.gainThreshold &&
      gain !== parentGain &&
      nl > 0 &&
      nl < n
    ) {
      ws.partition(s, e, chosen.feature, chosen.value, false);
      node.left = this.build(s, s + nl, depth + 1, gain);
      node.right = this.build(s + nl, e, depth + 1, gain);
    } else {
      node.distribution = this.prediction(s, e);
    }
    return node;
  }

  prune(kept: Candidate[], bestFast: number, tol: number): Candidate[] {
    return kept.filter((c) =>
      this.regression ? c.fast <= bestFast + tol : c.fast >= bestFast - tol,
    );
  }
}

function sumSquares(counts: Float64Array, n: number): number {
  let sq = 0;
  for (let c = 0; c < counts.length; c++) sq += (counts[c]! / n) ** 2;
  return sq;
}

/**
 * Trains with ml-cart's rules and arithmetic: the same tree ml-cart's own `train` builds
 * (on data without missing values), in O(n log n) per feature per node.
 */
export function fitMlCart(
  set: TrainingSet,
  params: MlCartParams,
  options: FitOptions = {},
): TreeModel {
  checkSet(set);
  const ws = new Workspace(set, options);
  const builder = new MlCartBuilder(ws, params);
  const root = builder.build(0, ws.n, 0, null);
  return {
    options: builder.options,
    root,
    name: builder.regression ? 'DTRegression' : 'DTClassifier',
  };
}
