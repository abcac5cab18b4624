/**
 * What gradient boosting is built from, as scikit-learn's HistGradientBoosting and LightGBM do
 * it: every feature cut into at most 255 bins once (edges from the training rows: midpoints
 * between distinct values when there are few, quantiles otherwise; missing values in a bin of
 * their own), and trees grown leaf by leaf, always splitting the leaf with the largest gain,
 * from histograms of gradient and hessian sums. A split sends missing values to the side that
 * gains more. The trees are flat (`CompactTree`) with thresholds in the features' own values:
 * a row goes left when `x < threshold`, which is `bin(x) ≤ b`.
 */
import { shuffle, type Random } from '../../random';
import { emptyCompactTree, type CompactTree } from '../forest/compact';
import type { SharedWork } from '../learner';
import type { TrainingSet } from '../training';

export const MAX_BINS = 255;
/** The bin of a missing value. */
const MISSING = MAX_BINS;

export interface Binned {
  /** Per feature, ascending: bin(x) = how many edges are ≤ x. */
  edges: Float64Array[];
  /** Row-major bins (rows × features), MISSING where a value is missing: histograms read a row at a time. */
  bins: Uint8Array;
  /** The same bins, one array per feature: a split reads one feature of many rows. */
  columns: Uint8Array[];
  /** The binned rows' counts per feature and bin (`binCounts`), once a fit has counted them. */
  counts?: Float64Array;
}

/** The binnings kept in a fits' memo: up to this many bytes of bins (the newest kept). */
const BINNED_BYTES_KEPT = 64 * 2 ** 20;

/**
 * `binSet` of these rows, from the fits' memo when a fit on the same set binned the same rows
 * (the trials of a search on one fold and rung all do): the same edges and bins, made once.
 * The binning is shared: it must not be written to, but for its `counts`.
 */
export function binnedOf(set: TrainingSet, rows: Int32Array, shared?: SharedWork): Binned {
  type Kept = { rows: Int32Array; binned: Binned; bytes: number };
  const memo = shared?.get('boost:binned') as Kept[] | undefined;
  const same = (k: Kept) => k.rows.length === rows.length && k.rows.every((r, i) => r === rows[i]);
  const at = memo?.findIndex(same) ?? -1;
  if (memo && at >= 0) {
    const [hit] = memo.splice(at, 1);
    memo.push(hit!);
    return hit!.binned;
  }
  const binned = binSet(set, rows);
  if (shared) {
    const kept = memo ?? [];
    shared.set('boost:binned', kept);
    kept.push({ rows: Int32Array.from(rows), binned, bytes: 2 * set.rows * set.features });
    let bytes = kept.reduce((a, k) => a + k.bytes, 0);
    while (kept.length > 1 && bytes > BINNED_BYTES_KEPT) bytes -= kept.shift()!.bytes;
  }
  return binned;
}

/**
 * Edges from the given rows, then those rows binned with them: the trees read the bins of
 * the rows they train on only (a row outside is left in bin 0), so a fit on a small share
 * of a large set bins that share.
 */
export function binSet(set: TrainingSet, rows: Int32Array): Binned {
  const { x, features: p } = set;
  const edges: Float64Array[] = [];
  for (let f = 0; f < p; f++) {
    let present = 0;
    const all = new Float64Array(rows.length);
    for (const r of rows) {
      const v = x[r * p + f]!;
      if (!Number.isNaN(v)) all[present++] = v;
    }
    const values = all.subarray(0, present).sort();
    const distinct: number[] = [];
    for (const v of values) if (distinct.length === 0 || distinct.at(-1)! < v) distinct.push(v);
    const e: number[] = [];
    if (distinct.length <= MAX_BINS) {
      for (let i = 1; i < distinct.length; i++) {
        const a = distinct[i - 1]!;
        const b = distinct[i]!;
        let t = (a + b) / 2;
        if (!(t > a)) t = b;
        e.push(t);
      }
    } else {
      // Quantiles of the values: each bin holds about as many rows.
      for (let i = 1; i < MAX_BINS; i++) {
        const v = values[Math.floor((i * values.length) / MAX_BINS)]!;
        if (e.length === 0 || v > e.at(-1)!) e.push(v);
      }
    }
    edges.push(Float64Array.from(e));
  }
  const bins = new Uint8Array(set.rows * p);
  for (const r of rows) {
    for (let f = 0; f < p; f++) {
      const v = x[r * p + f]!;
      if (Number.isNaN(v)) {
        bins[r * p + f] = MISSING;
        continue;
      }
      const e = edges[f]!;
      // Upper bound: the number of edges ≤ v.
      let lo = 0;
      let hi = e.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (e[mid]! <= v) lo = mid + 1;
        else hi = mid;
      }
      bins[r * p + f] = lo;
    }
  }
  const columns = Array.from({ length: p }, (_, f) => {
    const col = new Uint8Array(set.rows);
    for (const r of rows) col[r] = bins[r * p + f]!;
    return col;
  });
  return { edges, bins, columns };
}

export interface GrowOptions {
  maxLeaves: number;
  /** null: unlimited. */
  maxDepth: number | null;
  minSamplesLeaf: number;
  /** L2 on leaf values (λ). */
  l2: number;
  learningRate: number;
  /** Features a tree may use (a seeded subset), or all. */
  features: Int32Array;
  /** Splits below this total hessian on a side are not made (scikit-learn's 1e-3). */
  minHessian: number;
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  gl: number;
  hl: number;
  nl: number;
}

interface Leaf {
  /** Node number in the tree being built. */
  node: number;
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array;
  split: Split | null;
}

const leafValue = (g: number, h: number, l2: number): number => -g / (h + l2);

/**
 * One tree on the rows `rows[0 … n)` (reordered in place as leaves split), fitted to the
 * gradients `g` and hessians `h`. `gains` gets each feature's split gains added; `update`, when
 * given, each trained row's leaf value added to its score.
 */
export function growTree(
  binned: Binned,
  features: number,
  rows: Int32Array,
  n: number,
  g: Float64Array,
  h: Float64Array,
  options: GrowOptions,
  gains: Float64Array,
  /** Scores, row `r`'s at `r · stride + offset`: each training row's leaf value is added. */
  update?: { scores: Float64Array; stride: number; offset: number },
  /** Histogram buffers to reuse (the tree returns its own to it when it is done). */
  pool: Float64Array[] = [],
  /** The root's histogram, when counted already (`rootHistograms`); taken over by the tree. */
  rootHist?: Float64Array,
): CompactTree {
  const { bins, columns, edges } = binned;
  const p = features;
  const width = MAX_BINS + 1;
  const tree = emptyCompactTree();
  const addNode = (samples: number): number => {
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.missingLeft.push(0);
    tree.samples.push(samples);
    tree.value.push(0);
    return tree.feature.length - 1;
  };
  const used = options.features;
  const nUsed = used.length;
  /** The right side's rows while a leaf is partitioned. */
  const aside = new Int32Array(n);
  /** Per bin, 1 when the split being made sends it left. */
  const goesLeft = new Uint8Array(width);
  // Each feature's bins start at `f · width · 3` (gradient, hessian, count per bin).
  const offsets = Int32Array.from(used, (f) => f * width * 3);
  const histogram = (start: number, end: number): Float64Array => {
    const hist = pool.pop()?.fill(0) ?? new Float64Array(p * width * 3);
    const odd = nUsed & 1;
    if (nUsed === p) {
      // Every feature (the subset is then 0 … p−1): offsets by counting, not read per row.
      const span = width * 3;
      for (let i = start; i < end; i++) {
        const r = rows[i]!;
        const gr = g[r]!;
        const hr = h[r]!;
        const row = r * p;
        let f = 0;
        let base = 0;
        for (; f + 1 < p; f += 2, base += 2 * span) {
          const a = base + bins[row + f]! * 3;
          const b = base + span + bins[row + f + 1]! * 3;
          hist[a]! += gr;
          hist[b]! += gr;
          hist[a + 1]! += hr;
          hist[b + 1]! += hr;
          hist[a + 2]!++;
          hist[b + 2]!++;
        }
        if (odd) {
          const a = base + bins[row + f]! * 3;
          hist[a]! += gr;
          hist[a + 1]! += hr;
          hist[a + 2]!++;
        }
      }
      return hist;
    }
    for (let i = start; i < end; i++) {
      const r = rows[i]!;
      const gr = g[r]!;
      const hr = h[r]!;
      const row = r * p;
      // Two features a step: their six sums are independent, so they overlap (a fifth faster).
      let j = 0;
      for (; j + 1 < nUsed; j += 2) {
        const a = offsets[j]! + bins[row + used[j]!]! * 3;
        const b = offsets[j + 1]! + bins[row + used[j + 1]!]! * 3;
        hist[a]! += gr;
        hist[b]! += gr;
        hist[a + 1]! += hr;
        hist[b + 1]! += hr;
        hist[a + 2]!++;
        hist[b + 2]!++;
      }
      if (odd) {
        const a = offsets[j]! + bins[row + used[j]!]! * 3;
        hist[a]! += gr;
        hist[a + 1]! += hr;
        hist[a + 2]!++;
      }
    }
    return hist;
  };
  /** Whether a leaf may split at all: rows enough for two sides, and above the depth limit. */
  const splittable = (leaf: Leaf): boolean =>
    leaf.end - leaf.start >= 2 * options.minSamplesLeaf &&
    (options.maxDepth === null || leaf.depth < options.maxDepth);
  /**
   * The leaf's best split. With `minus`, the leaf's histogram is first made its parent's
   * (which it holds) minus its sibling's (`minus`): only the bins a feature can hold.
   * Candidates are weighed in a fixed order (feature, bin, missing values right then left, then
   * every present value on one side), the first of equal gains kept. The best is kept in locals,
   * written out at each place: a shared helper made a 3,556-row fit a fifth slower.
   */
  const bestSplit = (leaf: Leaf, minus?: Float64Array): Split | null => {
    const n = leaf.end - leaf.start;
    const { l2, minHessian, minSamplesLeaf } = options;
    const G = leaf.g;
    const H = leaf.h;
    const parent = (G * G) / (H + l2);
    let bestGain = 1e-12;
    let bf = -1;
    let bb = 0;
    let bLeft = false;
    let bgl = 0;
    let bhl = 0;
    let bnl = 0;
    const hist = leaf.hist;
    for (const f of options.features) {
      const base = f * width * 3;
      const last = edges[f]!.length; // bins 0 … last hold values
      if (minus) {
        for (let at = base, to = base + (last + 1) * 3; at < to; at++) hist[at]! -= minus[at]!;
        const at = base + MISSING * 3;
        hist[at]! -= minus[at]!;
        hist[at + 1]! -= minus[at + 1]!;
        hist[at + 2]! -= minus[at + 2]!;
      }
      const mg = hist[base + MISSING * 3]!;
      const mh = hist[base + MISSING * 3 + 1]!;
      const mn = hist[base + MISSING * 3 + 2]!;
      let gl = 0;
      let hl = 0;
      let nl = 0;
      if (mn === 0) {
        // No missing values: one candidate a bin, and none once the right side is too small.
        for (let b = 0, at = base; b < last; b++, at += 3) {
          gl += hist[at]!;
          hl += hist[at + 1]!;
          nl += hist[at + 2]!;
          if (nl < minSamplesLeaf) continue;
          if (n - nl < minSamplesLeaf) break;
          const hr = H - hl;
          if (hl < minHessian || hr < minHessian) continue;
          const gr = G - gl;
          const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parent;
          if (gain > bestGain) {
            bestGain = gain;
            bf = f;
            bb = b;
            bLeft = false;
            bgl = gl;
            bhl = hl;
            bnl = nl;
          }
        }
        continue;
      }
      for (let b = 0, at = base; b < last; b++, at += 3) {
        gl += hist[at]!;
        hl += hist[at + 1]!;
        nl += hist[at + 2]!;
        // Missing values right, then left.
        for (let side = 0; side < 2; side++) {
          const sgl = side ? gl + mg : gl;
          const shl = side ? hl + mh : hl;
          const snl = side ? nl + mn : nl;
          if (snl < minSamplesLeaf || n - snl < minSamplesLeaf) continue;
          const shr = H - shl;
          if (shl < minHessian || shr < minHessian) continue;
          const sgr = G - sgl;
          const gain = (sgl * sgl) / (shl + l2) + (sgr * sgr) / (shr + l2) - parent;
          if (gain > bestGain) {
            bestGain = gain;
            bf = f;
            bb = b;
            bLeft = side === 1;
            bgl = sgl;
            bhl = shl;
            bnl = snl;
          }
        }
      }
      // Every present value one side, the missing ones the other.
      if (mn < n && n - mn >= minSamplesLeaf && mn >= minSamplesLeaf) {
        const shl = H - mh;
        const sgl = G - mg;
        if (shl >= minHessian && mh >= minHessian) {
          const gain = (sgl * sgl) / (shl + l2) + (mg * mg) / (mh + l2) - parent;
          if (gain > bestGain) {
            bestGain = gain;
            bf = f;
            bb = last;
            bLeft = false;
            bgl = sgl;
            bhl = shl;
            bnl = n - mn;
          }
        }
      }
    }
    if (bf < 0) return null;
    return { gain: bestGain, feature: bf, bin: bb, missingLeft: bLeft, gl: bgl, hl: bhl, nl: bnl };
  };

  let G = 0;
  let H = 0;
  for (let i = 0; i < n; i++) {
    G += g[rows[i]!]!;
    H += h[rows[i]!]!;
  }
  const root: Leaf = {
    node: addNode(n),
    start: 0,
    end: n,
    depth: 0,
    g: G,
    h: H,
    hist: rootHist ?? histogram(0, n),
    split: null,
  };
  root.split = options.maxLeaves > 1 && splittable(root) ? bestSplit(root) : null;
  const open: Leaf[] = [root];
  let leaves = 1;
  while (open.length > 0 && leaves < options.maxLeaves) {
    // The open leaf with the largest gain splits next.
    let k = -1;
    for (let i = 0; i < open.length; i++)
      if (open[i]!.split && (k < 0 || open[i]!.split!.gain > open[k]!.split!.gain)) k = i;
    if (k < 0) break;
    const leaf = open.splice(k, 1)[0]!;
    const s = leaf.split!;
    // Partition the leaf's rows, keeping their order on each side (left first): the rows of
    // every leaf stay ascending, so reading their bins and gradients walks memory forwards.
    // Without a branch (which side a row goes is a coin toss to the processor): each row is
    // written to both sides, and only its own side moves on.
    const column = columns[s.feature]!;
    for (let b = 0; b < width; b++) goesLeft[b] = b <= s.bin ? 1 : 0;
    goesLeft[MISSING] = s.missingLeft ? 1 : 0;
    let li = leaf.start;
    let rn = 0;
    for (let i = leaf.start; i < leaf.end; i++) {
      const r = rows[i]!;
      const left = goesLeft[column[r]!]!;
      rows[li] = r;
      aside[rn] = r;
      li += left;
      rn += 1 - left;
    }
    rows.set(aside.subarray(0, rn), li);
    const mid = li;
    const e = edges[s.feature]!;
    const node = leaf.node;
    tree.feature[node] = s.feature;
    // bin ≤ b ⇔ x < edge b (the first edge above bin b); all present values left: no edge.
    tree.threshold[node] = s.bin < e.length ? e[s.bin]! : Number.MAX_VALUE;
    tree.missingLeft[node] = s.missingLeft ? 1 : 0;
    gains[s.feature]! += s.gain / 2;
    const left: Leaf = {
      node: addNode(mid - leaf.start),
      start: leaf.start,
      end: mid,
      depth: leaf.depth + 1,
      g: s.gl,
      h: s.hl,
      hist: new Float64Array(0),
      split: null,
    };
    const right: Leaf = {
      node: addNode(leaf.end - mid),
      start: mid,
      end: leaf.end,
      depth: leaf.depth + 1,
      g: leaf.g - s.gl,
      h: leaf.h - s.hl,
      hist: new Float64Array(0),
      split: null,
    };
    tree.left[node] = left.node;
    tree.right[node] = right.node;
    leaves++;
    // Histograms only for a side that may split again: at the deepest level, half of a full
    // tree's splits, none is needed. The smaller side's is counted (when either needs one); the
    // other is the parent's minus it.
    const more = leaves < options.maxLeaves;
    const [small, big] =
      left.end - left.start <= right.end - right.start ? [left, right] : [right, left];
    const smallSplits = more && splittable(small);
    const bigSplits = more && splittable(big);
    if (smallSplits || bigSplits) {
      small.hist = histogram(small.start, small.end);
      // The bigger side's is the parent's minus the smaller's, made as its split is sought.
      if (bigSplits) big.hist = leaf.hist;
      else pool.push(leaf.hist);
    } else pool.push(leaf.hist);
    small.split = smallSplits ? bestSplit(small) : null;
    big.split = bigSplits ? bestSplit(big, small.hist) : null;
    open.push(left, right);
  }
  for (const leaf of open) {
    if (leaf.hist.length === p * width * 3) pool.push(leaf.hist);
    const value = options.learningRate * leafValue(leaf.g, leaf.h, options.l2);
    tree.value[leaf.node] = value;
    // The rows it trained on know their leaf already: no walk down the tree for them.
    if (update) {
      const { scores, stride, offset } = update;
      for (let i = leaf.start; i < leaf.end; i++) scores[rows[i]! * stride + offset]! += value;
    }
  }
  return renumber(tree);
}

/**
 * The tree with its nodes in pre-order (children after their parent, as `CompactTree` wants;
 * leaf-wise growth numbers them in the order they were made, which is already so, but a
 * pre-order keeps each subtree together for reading).
 */
function renumber(t: CompactTree): CompactTree {
  const order: number[] = [];
  const stack = [0];
  while (stack.length) {
    const i = stack.pop()!;
    order.push(i);
    if (t.feature[i]! >= 0) stack.push(t.right[i]!, t.left[i]!);
  }
  const id = new Int32Array(t.feature.length);
  order.forEach((old, i) => (id[old] = i));
  const pick = <K extends keyof CompactTree>(k: K): number[] => order.map((old) => t[k][old]!);
  const out: CompactTree = {
    feature: pick('feature'),
    threshold: pick('threshold'),
    left: order.map((old) => (t.left[old]! >= 0 ? id[t.left[old]!]! : -1)),
    right: order.map((old) => (t.right[old]! >= 0 ? id[t.right[old]!]! : -1)),
    missingLeft: pick('missingLeft'),
    samples: pick('samples'),
    value: pick('value'),
  };
  return out;
}

/** Per feature and bin (`f · 256 + bin`), how many of `rows` fall in it. */
export function binCounts(binned: Binned, features: number, rows: Int32Array): Float64Array {
  const { bins } = binned;
  const width = MAX_BINS + 1;
  const counts = new Float64Array(features * width);
  for (const r of rows)
    for (let f = 0, row = r * features; f < features; f++) counts[f * width + bins[row + f]!]!++;
  return counts;
}

/**
 * The root histograms of the trees of one round (one per class), in one pass over the rows:
 * a row's bins are read once for all of them. Every feature is counted. Sums are made in the
 * rows' order, as `growTree` makes them: the same numbers. `counts` are the rows' bin counts
 * (`binCounts`), the same every round when every round trains on the same rows.
 */
export function rootHistograms(
  binned: Binned,
  features: number,
  rows: Int32Array,
  g: readonly Float64Array[],
  h: readonly Float64Array[],
  pool: Float64Array[],
  counts: Float64Array,
): Float64Array[] {
  const { bins } = binned;
  const p = features;
  const k = g.length;
  const width = MAX_BINS + 1;
  // Per bin: the k classes' gradient and hessian sums.
  const stride = 2 * k;
  const all = new Float64Array(p * width * stride);
  const gh = new Float64Array(2 * k);
  if (k === 3) {
    // The common case with the six sums in locals.
    const [g0, g1, g2] = g as [Float64Array, Float64Array, Float64Array];
    const [h0, h1, h2] = h as [Float64Array, Float64Array, Float64Array];
    for (const r of rows) {
      const a = g0[r]!;
      const b = h0[r]!;
      const c = g1[r]!;
      const d = h1[r]!;
      const e = g2[r]!;
      const q = h2[r]!;
      const row = r * p;
      for (let f = 0, base = 0; f < p; f++, base += width) {
        const at = (base + bins[row + f]!) * stride;
        all[at]! += a;
        all[at + 1]! += b;
        all[at + 2]! += c;
        all[at + 3]! += d;
        all[at + 4]! += e;
        all[at + 5]! += q;
      }
    }
  } else
    for (const r of rows) {
      for (let c = 0; c < k; c++) {
        gh[2 * c] = g[c]![r]!;
        gh[2 * c + 1] = h[c]![r]!;
      }
      const row = r * p;
      for (let f = 0, base = 0; f < p; f++, base += width) {
        const at = (base + bins[row + f]!) * stride;
        for (let j = 0; j < 2 * k; j++) all[at + j]! += gh[j]!;
      }
    }
  return g.map((_, c) => {
    const hist = pool.pop() ?? new Float64Array(p * width * 3);
    for (let b = 0; b < p * width; b++) {
      hist[b * 3] = all[b * stride + 2 * c]!;
      hist[b * 3 + 1] = all[b * stride + 2 * c + 1]!;
      hist[b * 3 + 2] = counts[b]!;
    }
    return hist;
  });
}

/** A seeded subset of `share` of the features (at least one), in order. */
export function featureSubset(p: number, share: number, random: Random): Int32Array {
  const all = new Int32Array(p).map((_, i) => i);
  if (share >= 1) return all;
  const k = Math.max(1, Math.floor(share * p));
  return shuffle(all, random).subarray(0, k).sort();
}
