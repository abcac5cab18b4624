/**
 * Orpheus's CART trainer. It emits ml-cart trees (see `tree.ts`) but trains in O(n log n) per
 * feature per node instead of ml-cart's O(n²) (see `presort.ts`): thresholds are swept with
 * running class counts (or sums). Its rules are what users of scikit-learn expect: gini or
 * entropy, squared error, max depth, min samples to split and per leaf, min impurity decrease,
 * a seeded random subset of features per split, balanced class weights, and missing values
 * sent left or right per split, whichever is better. (ml-cart's own rules live with the tests,
 * as the oracle that proves the tree format: `tests/oracle/mlCartRules.ts`.)
 */
import { seededRandom, shuffle, type Random } from '../../random';
import { TrainingError, type TrainingSet } from '../training';
import { checkSet, Workspace, type FitOptions } from './presort';

export type { FitOptions };
import { treeModel, type TreeModel, type TreeNode } from './tree';
import { emptyCompactTree, type CompactTree } from '../forest/compact';

export type Criterion = 'gini' | 'entropy' | 'squared_error';
/** How many features a split tries: all, √p, log₂p, or a share of them (at least one). */
export type MaxFeatures = 'all' | 'sqrt' | 'log2' | '0.3' | '0.5' | '0.7';

export type CartParams = {
  criterion: Criterion;
  /** null: unlimited. */
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  minImpurityDecrease: number;
  maxFeatures: MaxFeatures;
  classWeight: 'none' | 'balanced';
};

export const DEFAULT_CART_PARAMS: CartParams = {
  criterion: 'gini',
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  minImpurityDecrease: 0,
  maxFeatures: 'all',
  classWeight: 'none',
};

export interface FittedTree {
  tree: TreeModel;
  /** Weighted impurity decrease per feature, summing to 1 (all 0 for a single leaf). */
  importances: number[];
}

interface Best {
  feature: number;
  threshold: number;
  missingLeft: boolean;
  proxy: number;
}

function resolveMaxFeatures(m: MaxFeatures, p: number): number {
  if (m === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(p)));
  if (m === 'log2') return Math.max(1, Math.floor(Math.log2(p)));
  if (m === 'all') return p;
  return Math.max(1, Math.floor(Number(m) * p));
}

/** What the builder knows of a node when it writes it (its arrays are reused afterwards). */
interface NodeFacts {
  n: number;
  /** Rows per class (classification). */
  counts: Float64Array;
  /** Weight per class (classification). */
  weighted: Float64Array;
  w: number;
  /** The weighted mean (regression). */
  mean: number;
  impurity: number;
}

/**
 * Where the builder writes the tree, node by node in pre-order: ml-cart's nested nodes (the
 * decision tree's format) or the flat arrays an ensemble keeps, written directly so that a
 * forest never makes the nested nodes of its millions of nodes.
 */
interface NodeSink<N> {
  /** A node is begun, before its children: its number, where numbers are kept. */
  open(): number;
  leaf(id: number, node: NodeFacts): N;
  split(id: number, node: NodeFacts, best: Best, decrease: number): N;
  children(parent: N, left: N, right: N): void;
}

const nestedSink = (regression: boolean): NodeSink<TreeNode> => ({
  open: () => -1,
  leaf(_, { n, counts, weighted, w, mean, impurity }) {
    if (regression) return { samples: n, value: mean, impurity, distribution: mean };
    const dist = Array.from(weighted, (c) => (w > 0 ? c / w : 0));
    return { samples: n, counts: Array.from(counts), impurity, distribution: [dist] };
  },
  split(_, { n, counts, mean, impurity }, best, decrease) {
    const node: TreeNode = {
      splitValue: best.threshold,
      splitColumn: best.feature,
      gain: decrease,
      numberSamples: n,
      ...(regression
        ? { samples: n, value: mean, impurity }
        : { samples: n, counts: Array.from(counts), impurity }),
    };
    if (best.missingLeft) node.missingLeft = true;
    return node;
  },
  children(node, left, right) {
    node.left = left;
    node.right = right;
  },
});

/** The flat tree `compactTree` would make of the nested one, written as the nodes are built. */
function flatSink(out: CompactTree, regression: boolean, width: number): NodeSink<number> {
  return {
    open() {
      const id = out.feature.length;
      out.feature.push(-1);
      out.threshold.push(0);
      out.left.push(-1);
      out.right.push(-1);
      out.missingLeft.push(0);
      out.samples.push(0);
      for (let c = 0; c < width; c++) out.value.push(0);
      return id;
    },
    leaf(id, { n, weighted, w, mean }) {
      out.samples[id] = n;
      if (regression) out.value[id] = mean;
      else for (let c = 0; c < width; c++) out.value[id * width + c] = w > 0 ? weighted[c]! / w : 0;
      return id;
    },
    split(id, { n, counts, mean }, best) {
      out.feature[id] = best.feature;
      out.threshold[id] = best.threshold;
      out.missingLeft[id] = best.missingLeft ? 1 : 0;
      out.samples[id] = n;
      if (regression) out.value[id] = mean;
      else {
        let total = 0;
        for (let c = 0; c < width; c++) total += counts[c]!;
        total ||= 1;
        for (let c = 0; c < width; c++) out.value[id * width + c] = counts[c]! / total;
      }
      return id;
    },
    children(id, left, right) {
      out.left[id] = left;
      out.right[id] = right;
    },
  };
}

/** Σ w·impurity of one side from weighted class counts (lower is better). */
export function weightedImpurity(counts: Float64Array, w: number, entropy: boolean): number {
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
  /** Per-row weights (a bootstrap's counts), or null for all 1. */
  readonly sw: Float64Array | null;
  /** Class weight × row weight of every row trained on. */
  readonly rowWeight: Float64Array;
  readonly randomThresholds: boolean;
  /** Gini with whole-number row weights: the sweep keeps each side's Σ weight² exactly. */
  readonly wholeGini: boolean;

  constructor(
    readonly ws: Workspace,
    readonly params: CartParams,
    seed: number,
    options: FitOptions = {},
  ) {
    const { set } = ws;
    this.regression = set.classes === 0;
    this.k = Math.max(1, set.classes);
    this.entropy = params.criterion === 'entropy';
    this.random = seededRandom(seed);
    this.sw = options.sampleWeight ?? null;
    this.randomThresholds = options.randomThresholds ?? false;
    this.maxFeatures = resolveMaxFeatures(params.maxFeatures, set.features);
    this.importances = new Float64Array(set.features);
    this.classWeight = new Float64Array(this.k).fill(1);
    if (!this.regression && params.classWeight === 'balanced') {
      const counts = new Float64Array(this.k);
      for (const r of ws.rows) counts[set.y[r]!]!++;
      for (let c = 0; c < this.k; c++)
        this.classWeight[c] = counts[c]! > 0 ? ws.n / (this.k * counts[c]!) : 0;
    }
    // Every row's weight, computed once: the sweeps read it for every row of every node.
    this.rowWeight = new Float64Array(set.rows);
    let total = 0;
    for (const r of ws.rows) {
      const w = this.regression ? 1 : this.classWeight[set.y[r]!]!;
      this.rowWeight[r] = this.sw ? w * this.sw[r]! : w;
      total += this.rowWeight[r]!;
    }
    this.totalWeight = total;
    this.left = new Float64Array(this.k);
    this.nonMissing = new Float64Array(this.k);
    this.missing = new Float64Array(this.k);
    this.sideL = new Float64Array(this.k);
    this.sideR = new Float64Array(this.k);
    let whole = !this.regression && !this.entropy && total * total < 2 ** 53;
    for (let i = 0; whole && i < ws.n; i++) whole = Number.isInteger(this.rowWeight[ws.rows[i]!]);
    this.wholeGini = whole;
  }

  /** Per depth, the class counts and weights of the node being built there (reused by siblings). */
  readonly #scratch: { counts: Float64Array; weighted: Float64Array }[] = [];

  build<N>(sink: NodeSink<N>, s: number, e: number, depth: number): N {
    const rw = this.rowWeight;
    const { ws, params, regression, k } = this;
    const y = ws.set.y;
    const n = e - s;
    // The node's own statistics.
    const scratch = (this.#scratch[depth] ??= {
      counts: new Float64Array(k),
      weighted: new Float64Array(k),
    });
    const { counts, weighted } = scratch;
    counts.fill(0);
    weighted.fill(0);
    let w = 0;
    let sum = 0;
    let sumSq = 0;
    for (let i = s; i < e; i++) {
      const r = ws.rows[i]!;
      const v = y[r]!;
      const wr = rw[r]!;
      if (regression) {
        sum += wr * v;
        sumSq += wr * v * v;
      } else {
        counts[v]!++;
        weighted[v]! += wr;
      }
      w += wr;
    }
    const mean = regression ? sum / w : 0;
    const nodeImpurityW = regression
      ? Math.max(0, sumSq - (sum * sum) / w)
      : weightedImpurity(weighted, w, this.entropy);
    const impurity = nodeImpurityW / w;
    const facts: NodeFacts = { n, counts, weighted, w, mean, impurity };
    const id = sink.open();

    if (
      (params.maxDepth !== null && depth >= params.maxDepth) ||
      n < params.minSamplesSplit ||
      n < 2 * params.minSamplesLeaf ||
      impurity <= 1e-12
    )
      return sink.leaf(id, facts);

    const best = this.findSplit(s, e, w, sum, weighted);
    if (!best) return sink.leaf(id, facts);
    // Weighted impurity decrease, as scikit-learn's min_impurity_decrease measures it. For
    // regression the proxy is −Σ sum²/n over the sides, so the children's error is sumSq + proxy.
    const childrenW = regression ? Math.max(0, sumSq + best.proxy) : best.proxy;
    const decrease = (nodeImpurityW - childrenW) / this.totalWeight;
    if (decrease + 1e-12 < params.minImpurityDecrease) return sink.leaf(id, facts);

    const nl = ws.partition(s, e, best.feature, best.threshold, best.missingLeft);
    if (nl === 0 || nl === n) return sink.leaf(id, facts);
    this.importances[best.feature]! += Math.max(0, decrease);
    // The split is written before its children, which reuse the scratch of deeper nodes only.
    const node = sink.split(id, facts, best, decrease);
    const left = this.build(sink, s, s + nl, depth + 1);
    const right = this.build(sink, s + nl, e, depth + 1);
    sink.children(node, left, right);
    return node;
  }

  /** Features in the order they are tried: all in order, or a seeded shuffle when subsampling. */
  featureOrder(): Int32Array {
    const p = this.ws.set.features;
    const order = new Int32Array(p).map((_, i) => i);
    return this.maxFeatures < p ? shuffle(order, this.random) : order;
  }

  // The node and feature being swept, and the best split so far: fields rather than closures,
  // since the sweep runs for every feature of every node.
  private s = 0;
  private e = 0;
  private w = 0;
  private sum = 0;
  private weighted: Float64Array = new Float64Array(0);
  private f = 0;
  private nMissing = 0;
  private wMissing = 0;
  private sumMissing = 0;
  private best: Best | null = null;

  /** Scores one candidate split of the current feature; keeps it when it is the best so far. */
  private consider(
    nl: number,
    wl: number,
    suml: number,
    threshold: number,
    missingLeft: boolean,
    sideL: Float64Array,
  ): void {
    const nr = this.e - this.s - nl;
    const minLeaf = this.params.minSamplesLeaf;
    if (nl < minLeaf || nr < minLeaf || nl === 0 || nr === 0) return;
    const wr = this.w - wl;
    let proxy: number;
    if (this.regression) {
      // Maximise Σ sum²/w over the sides (equivalent to minimising squared error); stored negated.
      const sumr = this.sum - suml;
      proxy = -((suml * suml) / wl + (sumr * sumr) / wr);
    } else {
      const { sideR, weighted, k } = this;
      for (let c = 0; c < k; c++) sideR[c] = weighted[c]! - sideL[c]!;
      proxy = weightedImpurity(sideL, wl, this.entropy) + weightedImpurity(sideR, wr, this.entropy);
    }
    this.keep(proxy, threshold, missingLeft);
  }

  /** Keeps a candidate split of the current feature when it is the best so far. */
  private keep(proxy: number, threshold: number, missingLeft: boolean): void {
    const best = this.best;
    if (best === null) this.best = { feature: this.f, threshold, missingLeft, proxy };
    else if (proxy < best.proxy) {
      best.feature = this.f;
      best.threshold = threshold;
      best.missingLeft = missingLeft;
      best.proxy = proxy;
    }
  }

  /** One threshold of the current feature, with its missing rows on either side. */
  private both(nl: number, wl: number, suml: number, t: number): void {
    this.consider(nl, wl, suml, t, false, this.left);
    if (this.nMissing > 0) {
      if (!this.regression)
        for (let c = 0; c < this.k; c++) this.sideL[c] = this.left[c]! + this.missing[c]!;
      this.consider(
        nl + this.nMissing,
        wl + this.wMissing,
        suml + this.sumMissing,
        t,
        true,
        this.sideL,
      );
    }
  }

  /** Starts the search of a node's best split: its rows [s, e), their weight, sum and classes. */
  private startNode(s: number, e: number, w: number, sum: number, weighted: Float64Array): void {
    this.s = s;
    this.e = e;
    this.w = w;
    this.sum = sum;
    this.weighted = weighted;
    this.best = null;
  }

  /** The feature about to be swept, and the totals of its missing rows (`this.missing` filled). */
  private startFeature(f: number, nMissing: number, wMissing: number, sumMissing: number): void {
    this.f = f;
    if (!this.regression)
      for (let c = 0; c < this.k; c++) this.nonMissing[c] = this.weighted[c]! - this.missing[c]!;
    this.nMissing = nMissing;
    this.wMissing = wMissing;
    this.sumMissing = sumMissing;
  }

  /** The split that sends every present value one way and the missing ones the other. */
  private missingApart(): void {
    const nPresent = this.e - this.s - this.nMissing;
    if (this.nMissing === 0 || nPresent === 0) return;
    this.consider(
      nPresent,
      this.w - this.wMissing,
      this.sum - this.sumMissing,
      Number.MAX_VALUE,
      false,
      this.nonMissing,
    );
  }

  findSplit(s: number, e: number, w: number, sum: number, weighted: Float64Array): Best | null {
    this.startNode(s, e, w, sum, weighted);
    if (this.randomThresholds) return this.findRandomSplit();
    const rw = this.rowWeight;
    const { ws, regression } = this;
    const y = ws.set.y;
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

      // Totals of the missing rows (weights, sums, class weights).
      let wMissing = 0;
      let sumMissing = 0;
      if (!regression) this.missing.fill(0);
      for (let i = m; i < e; i++) {
        const r = order[i]!;
        const wr = rw[r]!;
        wMissing += wr;
        if (regression) sumMissing += wr * y[r]!;
        else this.missing[y[r]!]! += wr;
      }
      this.startFeature(f, nMissing, wMissing, sumMissing);

      const leftCounts = this.left;
      leftCounts.fill(0);
      if (this.wholeGini && nMissing === 0) {
        this.sweepWholeGini(col, order, s, m);
        continue;
      }
      let nl = 0;
      let wl = 0;
      let suml = 0;
      // Each value is read once: the next row's value is the current one of the next step.
      let b = col[order[s]!]!;
      for (let i = s; i < m - 1; i++) {
        const r = order[i]!;
        const wr = rw[r]!;
        nl++;
        wl += wr;
        if (regression) suml += wr * y[r]!;
        else leftCounts[y[r]!]! += wr;
        const a = b;
        b = col[order[i + 1]!]!;
        if (!(a < b)) continue;
        let t = (a + b) / 2;
        if (!(t > a)) t = b; // rounding: keep a < t ≤ b so `x < t` separates them
        this.both(nl, wl, suml, t);
      }
      this.missingApart();
    }
    return this.best;
  }

  /**
   * The sweep of `findSplit` for Gini with whole-number row weights (no class weights: all 1,
   * or a bootstrap's counts) and no missing values: each side's Σ weight² is kept as rows move
   * left instead of summed over the classes at every threshold. Every such sum is a whole
   * number below 2^53, so it is exact and the proxy is the one `consider` computes, to the bit.
   */
  private sweepWholeGini(col: Float64Array, order: Int32Array, s: number, m: number): void {
    const rw = this.rowWeight;
    const y = this.ws.set.y;
    const { left, weighted } = this;
    const minLeaf = this.params.minSamplesLeaf;
    const n = this.e - this.s;
    const w = this.w;
    let squaresL = 0;
    let squaresR = 0;
    for (let c = 0; c < this.k; c++) squaresR += weighted[c]! * weighted[c]!;
    let nl = 0;
    let wl = 0;
    let b = col[order[s]!]!;
    for (let i = s; i < m - 1; i++) {
      const r = order[i]!;
      const wr = rw[r]!;
      const c = y[r]!;
      const l = left[c]!;
      // (l + wr)² − l² and (R − wr)² − R², R = weighted − l: whole numbers, exact.
      squaresL += wr * (2 * l + wr);
      squaresR += wr * (wr - 2 * (weighted[c]! - l));
      left[c] = l + wr;
      nl++;
      wl += wr;
      const a = b;
      b = col[order[i + 1]!]!;
      if (!(a < b)) continue;
      const nr = n - nl;
      if (nl < minLeaf || nr < minLeaf) continue;
      const wRight = w - wl;
      const proxy =
        (wl > 0 ? wl - squaresL / wl : 0) + (wRight > 0 ? wRight - squaresR / wRight : 0);
      let t = (a + b) / 2;
      if (!(t > a)) t = b;
      this.keep(proxy, t, false);
    }
  }

  /**
   * Extra trees: for each feature tried, one threshold drawn between the node's smallest and
   * largest present value. Two scans of the node's rows per feature (range and missing rows,
   * then the left side); no sorted orders are kept, so a split moves only the row list.
   */
  private findRandomSplit(): Best | null {
    const { ws, regression, s, e } = this;
    const rw = this.rowWeight;
    const y = ws.set.y;
    const rows = ws.rows;
    let visited = 0;
    for (const f of this.featureOrder()) {
      if (visited >= this.maxFeatures) break;
      const col = ws.cols[f]!;
      let lo = Infinity;
      let hi = -Infinity;
      let nMissing = 0;
      let wMissing = 0;
      let sumMissing = 0;
      if (!regression) this.missing.fill(0);
      for (let i = s; i < e; i++) {
        const r = rows[i]!;
        const v = col[r]!;
        if (v !== v) {
          const wr = rw[r]!;
          nMissing++;
          wMissing += wr;
          if (regression) sumMissing += wr * y[r]!;
          else this.missing[y[r]!]! += wr;
        } else {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      const nPresent = e - s - nMissing;
      if (nPresent === 0 || (lo === hi && nMissing === 0)) continue; // constant: not visited
      visited++;
      this.startFeature(f, nMissing, wMissing, sumMissing);
      if (lo < hi) {
        let t = lo + this.random() * (hi - lo);
        if (!(t > lo)) t = hi; // keep lo < t ≤ hi, so both sides have rows
        const leftCounts = this.left;
        leftCounts.fill(0);
        let nl = 0;
        let wl = 0;
        let suml = 0;
        for (let i = s; i < e; i++) {
          const r = rows[i]!;
          if (!(col[r]! < t)) continue; // missing values and the right side
          const wr = rw[r]!;
          nl++;
          wl += wr;
          if (regression) suml += wr * y[r]!;
          else leftCounts[y[r]!]! += wr;
        }
        this.both(nl, wl, suml, t);
      }
      this.missingApart();
    }
    return this.best;
  }
}

/** Trains a tree with Orpheus's rules. */
export function fitCart(
  set: TrainingSet,
  params: CartParams = DEFAULT_CART_PARAMS,
  options: FitOptions = {},
): FittedTree {
  const regression = set.classes === 0;
  const builder = builderFor(set, params, options);
  const root = builder.build(nestedSink(regression), 0, builder.ws.n, 0);
  return {
    tree: treeModel(root, regression, params.minSamplesSplit - 1, params.maxDepth),
    importances: importancesOf(builder),
  };
}

/**
 * The same tree as `fitCart`, in the flat form of an ensemble (`compactTree` of it, to the
 * bit), written directly.
 */
export function fitCompactCart(
  set: TrainingSet,
  params: CartParams = DEFAULT_CART_PARAMS,
  options: FitOptions = {},
): { tree: CompactTree; importances: number[] } {
  const builder = builderFor(set, params, options);
  const tree = emptyCompactTree();
  const regression = set.classes === 0;
  builder.build(flatSink(tree, regression, Math.max(1, set.classes)), 0, builder.ws.n, 0);
  return { tree, importances: importancesOf(builder) };
}

function builderFor(set: TrainingSet, params: CartParams, options: FitOptions): OrpheusBuilder {
  checkSet(set);
  const regression = set.classes === 0;
  if (regression && params.criterion !== 'squared_error')
    throw new TrainingError(`The ${params.criterion} criterion is for classification.`);
  if (!regression && params.criterion === 'squared_error')
    throw new TrainingError('Squared error is the criterion for regression.');
  const ws = new Workspace(set, options);
  if (ws.n === 0) throw new TrainingError('There are no rows to train on.');
  return new OrpheusBuilder(ws, params, options.seed ?? 0, options);
}

/** Weighted impurity decrease per feature, summing to 1 (all 0 for a single leaf). */
function importancesOf(builder: OrpheusBuilder): number[] {
  const total = builder.importances.reduce((a, b) => a + b, 0);
  return Array.from(builder.importances, (v) => (total > 0 ? v / total : 0));
}
