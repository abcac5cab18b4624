/**
 * A tree grown by hand, one split at a time: Weka's user classifier and a lesson's "why this
 * split?". The tree is the list of its splits (each at a node path "", "L", "LR" …), so it can be
 * undone, replayed and stored. At any node the candidates are ranked exactly as Orpheus's CART
 * ranks them (`cart.ts`: the same thresholds, missing values tried on either side, the same
 * impurity, the same tie-breaking), so always taking the best candidate, breadth first, grows
 * the tree CART trains with the same criterion and depth.
 */
import { TrainingError, type TrainingSet } from '../training';
import { weightedImpurity, type Criterion } from './cart';
import { treeModel, treeShape, type TreeModel, type TreeNode } from './tree';

/** Bumped whenever the same splits could make a different tree (recorded with each version). */
export const GROW_VERSION = '1';

/** One split of a hand-grown tree: at `node`, rows with `x[feature] < threshold` go left. */
export interface HandSplit {
  node: string;
  feature: number;
  threshold: number;
  /** Where rows missing the feature go. */
  missingLeft: boolean;
  /** True when a person chose it rather than taking the best candidate. */
  own: boolean;
}

/** The criteria a hand-grown tree can judge splits by, for a task. */
export function growCriteria(regression: boolean): Criterion[] {
  return regression ? ['squared_error'] : ['gini', 'entropy'];
}

/** The rows a tree is grown on and how a split is judged. */
export interface GrowData {
  set: TrainingSet;
  /** The training rows (indices into the set); the hold-out rows are never among them. */
  rows: Int32Array;
  criterion: Criterion;
}

/** One side of a split: its rows and their class counts, or their mean target. */
export interface Side {
  samples: number;
  counts: number[] | null;
  mean: number | null;
}

/** A possible split of a node, with what it would do. */
export interface Candidate {
  feature: number;
  threshold: number;
  missingLeft: boolean;
  /** Impurity decrease weighted by the node's share of the training rows (CART's measure). */
  decrease: number;
  left: Side;
  right: Side;
}

/** The statistics of one node's rows. */
interface NodeStats {
  samples: number;
  counts: Float64Array;
  sum: number;
  sumSq: number;
  /** Σ impurity over rows (CART's weighted impurity with unit weights). */
  impurityW: number;
}

const PATH = /^[LR]*$/;

function statsOf(data: GrowData, rows: ArrayLike<number>): NodeStats {
  const { set } = data;
  const k = Math.max(1, set.classes);
  const counts = new Float64Array(k);
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = set.y[rows[i]!]!;
    if (set.classes > 0) counts[v]!++;
    else {
      sum += v;
      sumSq += v * v;
    }
  }
  const n = rows.length;
  const impurityW =
    set.classes > 0
      ? weightedImpurity(counts, n, data.criterion === 'entropy')
      : Math.max(0, sumSq - (n > 0 ? (sum * sum) / n : 0));
  return { samples: n, counts, sum, sumSq, impurityW };
}

function side(set: TrainingSet, n: number, counts: Float64Array, sum: number): Side {
  return set.classes > 0
    ? { samples: n, counts: Array.from(counts), mean: null }
    : { samples: n, counts: null, mean: n > 0 ? sum / n : 0 };
}

/** Checks the data and the criterion against the task. */
export function checkGrowData(data: GrowData): void {
  const regression = data.set.classes === 0;
  if (regression !== (data.criterion === 'squared_error'))
    throw new TrainingError(
      regression
        ? 'Squared error is the criterion for regression.'
        : `The ${data.criterion} criterion is for regression.`,
    );
  if (data.rows.length === 0) throw new TrainingError('There are no rows to grow a tree on.');
}

/**
 * The rows of each node of the tree the splits make, by path. Throws when a split is at a node
 * the earlier ones did not make, or splits a node twice.
 */
export function partitionRows(
  data: GrowData,
  splits: readonly HandSplit[],
): Map<string, Int32Array> {
  const { set } = data;
  const p = set.features;
  const nodes = new Map<string, Int32Array>([['', data.rows]]);
  const split = new Set<string>();
  for (const s of splits) {
    const rows = nodes.get(s.node);
    if (!PATH.test(s.node) || !rows || split.has(s.node))
      throw new TrainingError(`The split at node "${s.node}" is not at a leaf of the tree.`);
    if (!Number.isInteger(s.feature) || s.feature < 0 || s.feature >= p)
      throw new TrainingError(`The split at node "${s.node}" names a feature the data lacks.`);
    if (Number.isNaN(s.threshold))
      throw new TrainingError(`The split at node "${s.node}" has no threshold.`);
    split.add(s.node);
    const left: number[] = [];
    const right: number[] = [];
    for (const r of rows) {
      const v = set.x[r * p + s.feature]!;
      const goLeft = Number.isNaN(v) ? s.missingLeft : v < s.threshold;
      (goLeft ? left : right).push(r);
    }
    nodes.set(`${s.node}L`, Int32Array.from(left));
    nodes.set(`${s.node}R`, Int32Array.from(right));
  }
  return nodes;
}

/** A feature's values at a node: present ones sorted (ties by row), missing ones after. */
function sortedRows(
  data: GrowData,
  rows: Int32Array,
  f: number,
): { order: Int32Array; present: number } {
  const { x, features } = data.set;
  const present: number[] = [];
  const missing: number[] = [];
  for (const r of rows) (Number.isNaN(x[r * features + f]!) ? missing : present).push(r);
  present.sort((a, b) => x[a * features + f]! - x[b * features + f]! || a - b);
  return { order: Int32Array.from([...present, ...missing]), present: present.length };
}

/**
 * Every split of one feature at a node, in CART's order (thresholds ascending, each with its
 * missing rows right then left, then the split of present against missing), each scored by the
 * proxy CART minimises. `visit` returns nothing; the caller keeps what it needs.
 */
function sweep(
  data: GrowData,
  rows: Int32Array,
  f: number,
  node: NodeStats,
  visit: (c: Candidate, proxy: number) => void,
): void {
  const { set } = data;
  const regression = set.classes === 0;
  const entropy = data.criterion === 'entropy';
  const p = set.features;
  const { order, present: m } = sortedRows(data, rows, f);
  const n = rows.length;
  const nMissing = n - m;
  const value = (i: number) => set.x[order[i]! * p + f]!;
  if (m === 0 || (value(0) === value(m - 1) && nMissing === 0)) return;
  const k = Math.max(1, set.classes);
  const missing = new Float64Array(k);
  let sumMissing = 0;
  for (let i = m; i < n; i++) {
    const y = set.y[order[i]!]!;
    if (regression) sumMissing += y;
    else missing[y]!++;
  }
  const total = data.rows.length;
  const consider = (
    nl: number,
    suml: number,
    left: Float64Array,
    t: number,
    missingLeft: boolean,
  ) => {
    const nr = n - nl;
    if (nl === 0 || nr === 0) return;
    const right = new Float64Array(k);
    let proxy: number;
    const sumr = node.sum - suml;
    if (regression) proxy = -((suml * suml) / nl + (sumr * sumr) / nr);
    else {
      for (let c = 0; c < k; c++) right[c] = node.counts[c]! - left[c]!;
      proxy = weightedImpurity(left, nl, entropy) + weightedImpurity(right, nr, entropy);
    }
    const childrenW = regression ? Math.max(0, node.sumSq + proxy) : proxy;
    visit(
      {
        feature: f,
        threshold: t,
        missingLeft,
        decrease: (node.impurityW - childrenW) / total,
        left: side(set, nl, left, suml),
        right: side(set, nr, right, sumr),
      },
      proxy,
    );
  };
  const left = new Float64Array(k);
  const withMissing = new Float64Array(k);
  let nl = 0;
  let suml = 0;
  for (let i = 0; i < m - 1; i++) {
    const y = set.y[order[i]!]!;
    nl++;
    if (regression) suml += y;
    else left[y]!++;
    const a = value(i);
    const b = value(i + 1);
    if (!(a < b)) continue;
    let t = (a + b) / 2;
    if (!(t > a)) t = b;
    consider(nl, suml, left, t, false);
    if (nMissing > 0) {
      for (let c = 0; c < k; c++) withMissing[c] = left[c]! + missing[c]!;
      consider(nl + nMissing, suml + sumMissing, withMissing, t, true);
    }
  }
  if (nMissing > 0 && m > 0) {
    const nonMissing = new Float64Array(k);
    for (let c = 0; c < k; c++) nonMissing[c] = node.counts[c]! - missing[c]!;
    consider(m, node.sum - sumMissing, nonMissing, Number.MAX_VALUE, false);
  }
}

/**
 * Σ impurity of a split's two sides, computed as CART computes it (so decreases agree to the
 * last bit): the sides' own for classes, the node's Σy² less the sides' Σ²/n for values.
 */
function childrenImpurity(
  regression: boolean,
  node: NodeStats,
  l: NodeStats,
  r: NodeStats,
): number {
  if (!regression) return l.impurityW + r.impurityW;
  return Math.max(0, node.sumSq - ((l.sum * l.sum) / l.samples + (r.sum * r.sum) / r.samples));
}

/** Whether a node may be split at all: two rows or more that are not all alike. */
function splittable(node: NodeStats): boolean {
  return node.samples >= 2 && node.impurityW / node.samples > 1e-12;
}

/**
 * The best split of every feature at a node, best first (ties in feature order, as CART breaks
 * them); empty for a node that cannot be split.
 */
export function candidatesAt(data: GrowData, rows: Int32Array): Candidate[] {
  const node = statsOf(data, rows);
  if (!splittable(node)) return [];
  const best: { c: Candidate; proxy: number }[] = [];
  for (let f = 0; f < data.set.features; f++) {
    let mine: { c: Candidate; proxy: number } | null = null;
    sweep(data, rows, f, node, (c, proxy) => {
      if (!mine || proxy < mine.proxy) mine = { c, proxy };
    });
    if (mine) best.push(mine);
  }
  return best.sort((a, b) => a.proxy - b.proxy).map((b) => b.c);
}

/**
 * Every threshold of one feature at a node, ascending, each with the better side for the
 * missing rows: what a person chooses from when they pick a split of their own.
 */
export function thresholdsAt(data: GrowData, rows: Int32Array, feature: number): Candidate[] {
  const node = statsOf(data, rows);
  if (node.samples < 2) return [];
  const out: { c: Candidate; proxy: number }[] = [];
  sweep(data, rows, feature, node, (c, proxy) => {
    const last = out.at(-1);
    if (last && last.c.threshold === c.threshold) {
      if (proxy < last.proxy) out[out.length - 1] = { c, proxy };
    } else out.push({ c, proxy });
  });
  return out.map((o) => o.c);
}

/** The leaves of the splits' tree, shallowest first and left to right (breadth first). */
export function leavesOf(splits: readonly HandSplit[]): string[] {
  const split = new Set(splits.map((s) => s.node));
  const out: string[] = [];
  const queue = [''];
  while (queue.length) {
    const id = queue.shift()!;
    if (split.has(id)) queue.push(`${id}L`, `${id}R`);
    else out.push(id);
  }
  return out;
}

/**
 * The next split "Next split" makes: the best candidate of the first leaf, breadth first, that
 * can be split and is shallower than `maxDepth` (null: any depth); null when none can.
 */
export function nextSplit(
  data: GrowData,
  splits: readonly HandSplit[],
  maxDepth: number | null = null,
): HandSplit | null {
  const rows = partitionRows(data, splits);
  for (const leaf of leavesOf(splits)) {
    if (maxDepth !== null && leaf.length >= maxDepth) continue;
    const best = candidatesAt(data, rows.get(leaf)!)[0];
    if (best && best.decrease + 1e-12 >= 0)
      return {
        node: leaf,
        feature: best.feature,
        threshold: best.threshold,
        missingLeft: best.missingLeft,
        own: false,
      };
  }
  return null;
}

export interface GrownTree {
  tree: TreeModel;
  /** Impurity decrease per feature, summing to 1 (all 0 for a single leaf). */
  importances: number[];
  featuresUsed: number[];
  size: { depth: number; nodes: number; leaves: number };
}

/** The tree the splits make, in the tree family's format, with its leaves' distributions. */
export function growTree(data: GrowData, splits: readonly HandSplit[]): GrownTree {
  checkGrowData(data);
  const rows = partitionRows(data, splits);
  const at = new Map(splits.map((s) => [s.node, s]));
  const { set } = data;
  const regression = set.classes === 0;
  const importances = new Float64Array(set.features);
  const build = (id: string): TreeNode => {
    const st = statsOf(data, rows.get(id)!);
    const n = st.samples;
    const impurity = n > 0 ? st.impurityW / n : 0;
    const mean = n > 0 ? st.sum / n : 0;
    const stats: TreeNode = regression
      ? { samples: n, value: mean, impurity }
      : { samples: n, counts: Array.from(st.counts), impurity };
    const s = at.get(id);
    if (!s) {
      if (regression) return { ...stats, distribution: mean };
      return { ...stats, distribution: [Array.from(st.counts, (c) => (n > 0 ? c / n : 0))] };
    }
    const l = statsOf(data, rows.get(`${id}L`)!);
    const r = statsOf(data, rows.get(`${id}R`)!);
    const decrease = (st.impurityW - childrenImpurity(regression, st, l, r)) / data.rows.length;
    importances[s.feature]! += Math.max(0, decrease);
    const node: TreeNode = {
      splitValue: s.threshold,
      splitColumn: s.feature,
      gain: decrease,
      numberSamples: n,
      ...stats,
    };
    if (s.missingLeft) node.missingLeft = true;
    node.left = build(`${id}L`);
    node.right = build(`${id}R`);
    return node;
  };
  const root = build('');
  const depth = splits.reduce((d, s) => Math.max(d, s.node.length + 1), 0);
  const tree = treeModel(root, regression, 1, depth);
  const sum = importances.reduce((a, b) => a + b, 0);
  const shape = treeShape(tree);
  return {
    tree,
    importances: Array.from(importances, (v) => (sum > 0 ? v / sum : 0)),
    featuresUsed: shape.featuresUsed,
    size: { depth: shape.depth, nodes: shape.nodes, leaves: shape.leaves },
  };
}
