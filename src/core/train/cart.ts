/**
 * Orpheus's CART trainer. It emits ml-cart trees (see `tree.ts`) but trains in O(n log n) per
 * feature per node instead of ml-cart's O(n²): every feature is sorted once, each node owns the
 * same contiguous range of every sorted order, thresholds are swept with running class counts
 * (or sums), and a split partitions the orders stably, so children stay sorted for free.
 *
 * Two sets of rules:
 * - `orpheus` (the default): what users of scikit-learn expect — gini or entropy, squared error,
 *   max depth, min samples to split and per leaf, min impurity decrease, a seeded random subset
 *   of features per split, balanced class weights, and missing values sent left or right per
 *   split, whichever is better.
 * - `ml-cart`: ml-cart's own rules, arithmetic and tie-breaking, so that the tree is the one
 *   ml-cart's `train` would build (its test oracle). Gains are compared first with fast
 *   count-based arithmetic; the near-best candidates are then recomputed exactly as ml-cart
 *   computes them, and the first strictly best wins, as in ml-cart.
 */
import { seededRandom, shuffle, type Random } from '../random';
import type { TreeModel, TreeNode, TreeOptions } from './tree';

export type Criterion = 'gini' | 'entropy' | 'squared_error';
export type MaxFeatures = 'all' | 'sqrt' | 'log2';

export interface CartParams {
  criterion: Criterion;
  /** null: unlimited. */
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  minImpurityDecrease: number;
  maxFeatures: MaxFeatures;
  classWeight: 'none' | 'balanced';
}

export const DEFAULT_CART_PARAMS: CartParams = {
  criterion: 'gini',
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  minImpurityDecrease: 0,
  maxFeatures: 'all',
  classWeight: 'none',
};

/** ml-cart's options, with its defaults. */
export interface MlCartParams {
  minNumSamples: number;
  maxDepth: number | null;
  /** ml-cart's classifier default is 0.01; its regression default is 0. */
  gainThreshold?: number;
}

/** What a trainer needs: a row-major matrix and a target. */
export interface TrainingSet {
  /** rows × features, row-major; NaN where missing. */
  x: Float64Array;
  rows: number;
  features: number;
  /** Class codes 0 … classes − 1, or values. */
  y: Float64Array;
  /** Number of classes; 0 for regression. */
  classes: number;
}

export interface FitOptions {
  seed?: number;
  /** Train on these rows only (a fold); all rows when absent. */
  subset?: Int32Array;
  /** Sorted orders of the whole set from `presort`, shared between fits on the same data. */
  orders?: Int32Array[];
}

export interface FittedTree {
  tree: TreeModel;
  /** Weighted impurity decrease per feature, summing to 1 (all 0 for a single leaf). */
  importances: number[];
}

export class TrainingError extends Error {
  override name = 'TrainingError';
}

/** Row indices sorted by each feature (missing last, ties in row order). */
export function presort(set: TrainingSet): Int32Array[] {
  const { x, rows, features } = set;
  const orders: Int32Array[] = [];
  const key = new Float64Array(rows);
  for (let f = 0; f < features; f++) {
    let missing = 0;
    for (let r = 0; r < rows; r++) {
      const v = x[r * features + f]!;
      key[r] = v;
      if (Number.isNaN(v)) missing++;
    }
    const order = new Int32Array(rows - missing);
    const tail = new Int32Array(missing);
    for (let r = 0, i = 0, j = 0; r < rows; r++) {
      if (Number.isNaN(key[r]!)) tail[j++] = r;
      else order[i++] = r;
    }
    order.sort((a, b) => key[a]! - key[b]! || a - b);
    const all = new Int32Array(rows);
    all.set(order);
    all.set(tail, order.length);
    orders.push(all);
  }
  return orders;
}

function checkSet(set: TrainingSet): void {
  if (set.rows === 0) throw new TrainingError('There are no rows to train on.');
  if (set.features === 0) throw new TrainingError('There are no feature columns to train on.');
  if (set.x.length !== set.rows * set.features || set.y.length !== set.rows)
    throw new TrainingError('The feature matrix and the target do not have the same rows.');
  for (let r = 0; r < set.rows; r++) {
    const v = set.y[r]!;
    if (Number.isNaN(v)) throw new TrainingError(`Row ${r + 1} has no target value.`);
    if (set.classes > 0 && (v < 0 || v >= set.classes || !Number.isInteger(v)))
      throw new TrainingError(`Row ${r + 1} has a class code outside 0 … ${set.classes - 1}.`);
  }
}

/**
 * The per-fit working state: column-major values, the sorted orders restricted to the rows
 * trained on, the rows in their original order (ml-cart's arithmetic depends on it), and a
 * scratch buffer for stable partitions.
 */
class Workspace {
  readonly n: number;
  readonly cols: Float64Array[];
  readonly orders: Int32Array[];
  readonly rows: Int32Array;
  readonly goesLeft: Uint8Array;
  readonly scratch: Int32Array;

  constructor(
    readonly set: TrainingSet,
    options: FitOptions,
  ) {
    const { x, rows, features } = set;
    this.cols = [];
    for (let f = 0; f < features; f++) {
      const col = new Float64Array(rows);
      for (let r = 0; r < rows; r++) col[r] = x[r * features + f]!;
      this.cols.push(col);
    }
    const all = options.orders ?? presort(set);
    if (options.subset) {
      const member = new Uint8Array(rows);
      for (const r of options.subset) member[r] = 1;
      this.n = options.subset.length;
      this.rows = Int32Array.from(options.subset).sort();
      this.orders = all.map((o) => {
        const kept = new Int32Array(this.n);
        let i = 0;
        for (const r of o) if (member[r]) kept[i++] = r;
        return kept;
      });
    } else {
      this.n = rows;
      this.rows = new Int32Array(rows).map((_, i) => i);
      this.orders = all.map((o) => o.slice());
    }
    this.goesLeft = new Uint8Array(rows);
    this.scratch = new Int32Array(this.n);
  }

  /** Marks rows of [s, e) that go left, stably partitions every order; returns the left count. */
  partition(s: number, e: number, f: number, threshold: number, missingLeft: boolean): number {
    const col = this.cols[f]!;
    const { goesLeft, rows, scratch } = this;
    let nl = 0;
    for (let i = s; i < e; i++) {
      const r = rows[i]!;
      const v = col[r]!;
      const left = Number.isNaN(v) ? missingLeft : v < threshold;
      goesLeft[r] = left ? 1 : 0;
      if (left) nl++;
    }
    for (const o of [rows, ...this.orders]) {
      let li = s;
      let ri = 0;
      for (let i = s; i < e; i++) {
        const r = o[i]!;
        if (goesLeft[r]) o[li++] = r;
        else scratch[ri++] = r;
      }
      o.set(scratch.subarray(0, ri), li);
    }
    return nl;
  }
}

// ---------------------------------------------------------------------------------------------
// Orpheus rules

interface Best {
  feature: number;
  threshold: number;
  missingLeft: boolean;
  proxy: number;
}

function resolveMaxFeatures(m: MaxFeatures, p: number): number {
  if (m === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(p)));
  if (m === 'log2') return Math.max(1, Math.floor(Math.log2(p)));
  return p;
}

/** Σ w·impurity of one side from weighted class counts (lower is better). */
function weightedImpurity(counts: Float64Array, w: number, entropy: boolean): number {
  if (w <= 0) return 0;
  let s = 0;
  if (entropy) {
    for (let c = 0; c < counts.length; c++) {
      const v = counts[c]!;
      if (v > 0) s -= v * Math.log2(v / w);
    }
    return s;
  }
  for (let c = 0; c < counts.length; c++) s += counts[c]! * counts[c]!;
  return w - s / w;
}

class OrpheusBuilder {
  readonly k: number;
  readonly regression: boolean;
  readonly entropy: boolean;
  readonly classWeight: Float64Array;
  readonly maxFeatures: number;
  readonly importances: Float64Array;
  readonly random: Random;
  readonly totalWeight: number;
  // Scratch for sweeps.
  readonly left: Float64Array;
  readonly nonMissing: Float64Array;
  readonly missing: Float64Array;
  readonly sideL: Float64Array;
  readonly sideR: Float64Array;

  constructor(
    readonly ws: Workspace,
    readonly params: CartParams,
    seed: number,
  ) {
    const { set } = ws;
    this.regression = set.classes === 0;
    this.k = Math.max(1, set.classes);
    this.entropy = params.criterion === 'entropy';
    this.random = seededRandom(seed);
    this.maxFeatures = resolveMaxFeatures(params.maxFeatures, set.features);
    this.importances = new Float64Array(set.features);
    this.classWeight = new Float64Array(this.k).fill(1);
    if (!this.regression && params.classWeight === 'balanced') {
      const counts = new Float64Array(this.k);
      for (const r of ws.rows) counts[set.y[r]!]!++;
      for (let c = 0; c < this.k; c++)
        this.classWeight[c] = counts[c]! > 0 ? ws.n / (this.k * counts[c]!) : 0;
    }
    let total = 0;
    for (const r of ws.rows) total += this.weight(r);
    this.totalWeight = total;
    this.left = new Float64Array(this.k);
    this.nonMissing = new Float64Array(this.k);
    this.missing = new Float64Array(this.k);
    this.sideL = new Float64Array(this.k);
    this.sideR = new Float64Array(this.k);
  }

  weight(r: number): number {
    return this.regression ? 1 : this.classWeight[this.ws.set.y[r]!]!;
  }

  build(s: number, e: number, depth: number): TreeNode {
    const { ws, params, regression, k } = this;
    const y = ws.set.y;
    const n = e - s;
    // The node's own statistics.
    const counts = new Float64Array(k);
    const weighted = new Float64Array(k);
    let w = 0;
    let sum = 0;
    let sumSq = 0;
    for (let i = s; i < e; i++) {
      const r = ws.rows[i]!;
      const v = y[r]!;
      if (regression) {
        sum += v;
        sumSq += v * v;
      } else {
        counts[v]!++;
        weighted[v]! += this.classWeight[v]!;
      }
      w += this.weight(r);
    }
    const mean = regression ? sum / n : 0;
    const nodeImpurityW = regression
      ? Math.max(0, sumSq - (sum * sum) / n)
      : weightedImpurity(weighted, w, this.entropy);
    const impurity = nodeImpurityW / w;
    const stats: TreeNode = regression
      ? { samples: n, value: mean, impurity }
      : { samples: n, counts: Array.from(counts), impurity };

    const leaf = (): TreeNode => {
      if (regression) return { ...stats, distribution: mean };
      const dist = Array.from(weighted, (c) => (w > 0 ? c / w : 0));
      return { ...stats, distribution: [dist] };
    };

    if (
      (params.maxDepth !== null && depth >= params.maxDepth) ||
      n < params.minSamplesSplit ||
      n < 2 * params.minSamplesLeaf ||
      impurity <= 1e-12
    )
      return leaf();

    const best = this.findSplit(s, e, w, sum, weighted);
    if (!best) return leaf();
    // Weighted impurity decrease, as scikit-learn's min_impurity_decrease measures it. For
    // regression the proxy is −Σ sum²/n over the sides, so the children's error is sumSq + proxy.
    const childrenW = regression ? Math.max(0, sumSq + best.proxy) : best.proxy;
    const decrease = (nodeImpurityW - childrenW) / this.totalWeight;
    if (decrease + 1e-12 < params.minImpurityDecrease) return leaf();

    const nl = ws.partition(s, e, best.feature, best.threshold, best.missingLeft);
    if (nl === 0 || nl === n) return leaf();
    this.importances[best.feature]! += Math.max(0, decrease);
    const node: TreeNode = {
      splitValue: best.threshold,
      splitColumn: best.feature,
      gain: decrease,
      numberSamples: n,
      ...stats,
    };
    if (best.missingLeft) node.missingLeft = true;
    node.left = this.build(s, s + nl, depth + 1);
    node.right = this.build(s + nl, e, depth + 1);
    return node;
  }

  /** Features in the order they are tried: all in order, or a seeded shuffle when subsampling. */
  featureOrder(): Int32Array {
    const p = this.ws.set.features;
    const order = new Int32Array(p).map((_, i) => i);
    return this.maxFeatures < p ? shuffle(order, this.random) : order;
  }

  findSplit(s: number, e: number, w: number, sum: number, weighted: Float64Array): Best | null {
    const { ws, params, regression, k } = this;
    const y = ws.set.y;
    const minLeaf = params.minSamplesLeaf;
    let best: Best | null = null;
    let visited = 0;
    for (const f of this.featureOrder()) {
      if (visited >= this.maxFeatures) break;
      const col = ws.cols[f]!;
      const order = ws.orders[f]!;
      // Missing values sit at the end of the node's range.
      let m = e;
      while (m > s && Number.isNaN(col[order[m - 1]!]!)) m--;
      const nMissing = e - m;
      const nPresent = m - s;
      if (nPresent === 0 || col[order[s]!]! === col[order[m - 1]!]!) {
        if (nMissing === 0 || nPresent === 0) continue; // constant: does not count as visited
      }
      visited++;

      // Totals of present and missing rows.
      let wMissing = 0;
      let sumMissing = 0;
      if (regression) {
        for (let i = m; i < e; i++) sumMissing += y[order[i]!]!;
      } else {
        this.missing.fill(0);
        for (let i = m; i < e; i++) {
          const c = y[order[i]!]!;
          this.missing[c]! += this.classWeight[c]!;
          wMissing += this.classWeight[c]!;
        }
        for (let c = 0; c < k; c++) this.nonMissing[c] = weighted[c]! - this.missing[c]!;
      }
      const wPresent = regression ? nPresent : w - wMissing;
      const sumPresent = sum - sumMissing;

      const consider = (
        nl: number,
        wl: number,
        suml: number,
        threshold: number,
        missingLeft: boolean,
      ): void => {
        const nr = e - s - nl;
        if (nl < minLeaf || nr < minLeaf || nl === 0 || nr === 0) return;
        let proxy: number;
        if (regression) {
          // Maximise Σ sum²/n over the sides (equivalent to minimising squared error); stored negated.
          const sumr = sum - suml;
          proxy = -((suml * suml) / nl + (sumr * sumr) / nr);
        } else {
          const wr = w - wl;
          for (let c = 0; c < k; c++) this.sideR[c] = weighted[c]! - this.sideL[c]!;
          proxy =
            weightedImpurity(this.sideL, wl, this.entropy) +
            weightedImpurity(this.sideR, wr, this.entropy);
        }
        if (best === null || proxy < best.proxy) {
          best = { feature: f, threshold, missingLeft, proxy };
        }
      };

      const leftCounts = this.left;
      leftCounts.fill(0);
      let nl = 0;
      let wl = 0;
      let suml = 0;
      for (let i = s; i < m - 1; i++) {
        const r = order[i]!;
        const v = y[r]!;
        nl++;
        if (regression) {
          suml += v;
        } else {
          leftCounts[v]! += this.classWeight[v]!;
          wl += this.classWeight[v]!;
        }
        const a = col[r]!;
        const b = col[order[i + 1]!]!;
        if (!(a < b)) continue;
        let t = (a + b) / 2;
        if (!(t > a)) t = b; // rounding: keep a < t ≤ b so `x < t` separates them
        if (regression) {
          this.considerSides(consider, nl, wl, suml, t, nMissing, wMissing, sumMissing);
        } else {
          this.sideL.set(leftCounts);
          consider(nl, wl, suml, t, false);
          if (nMissing > 0) {
            for (let c = 0; c < k; c++) this.sideL[c] = leftCounts[c]! + this.missing[c]!;
            consider(nl + nMissing, wl + wMissing, suml, t, true);
          }
        }
      }
      // Present values on one side, missing ones on the other.
      if (nMissing > 0 && nPresent > 0) {
        if (regression) {
          consider(nPresent, nPresent, sumPresent, Number.MAX_VALUE, false);
        } else {
          this.sideL.set(this.nonMissing);
          consider(nPresent, wPresent, 0, Number.MAX_VALUE, false);
        }
      }
    }
    return best;
  }

  considerSides(
    consider: (nl: number, wl: number, suml: number, t: number, missingLeft: boolean) => void,
    nl: number,
    wl: number,
    suml: number,
    t: number,
    nMissing: number,
    wMissing: number,
    sumMissing: number,
  ): void {
    consider(nl, wl, suml, t, false);
    if (nMissing > 0) consider(nl + nMissing, wl + wMissing, suml + sumMissing, t, true);
  }
}

/** Trains a tree with Orpheus's rules. */
export function fitCart(
  set: TrainingSet,
  params: CartParams = DEFAULT_CART_PARAMS,
  options: FitOptions = {},
): FittedTree {
  checkSet(set);
  const regression = set.classes === 0;
  if (regression && params.criterion !== 'squared_error')
    throw new TrainingError(`The ${params.criterion} criterion is for classification.`);
  if (!regression && params.criterion === 'squared_error')
    throw new TrainingError('Squared error is the criterion for regression.');
  const ws = new Workspace(set, options);
  if (ws.n === 0) throw new TrainingError('There are no rows to train on.');
  const builder = new OrpheusBuilder(ws, params, options.seed ?? 0);
  const root = builder.build(0, ws.n, 0);
  const total = builder.importances.reduce((a, b) => a + b, 0);
  const importances = Array.from(builder.importances, (v) => (total > 0 ? v / total : 0));
  const options_: TreeOptions = {
    kind: regression ? 'regression' : 'classifier',
    gainFunction: regression ? 'regression' : 'gini',
    splitFunction: 'mean',
    minNumSamples: params.minSamplesSplit - 1,
    maxDepth: params.maxDepth,
  };
  return {
    tree: { name: regression ? 'DTRegression' : 'DTClassifier', options: options_, root },
    importances,
  };
}

// ---------------------------------------------------------------------------------------------
// ml-cart rules

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
