/**
 * How an ensemble stores its trees: one flat array per node field instead of one nested object
 * per node (a forest has millions of nodes). Nodes are numbered in pre-order, so a node's
 * children always come after it: walking from the root always ends at a leaf, and a tree
 * read from a file is checked in one pass. Plain arrays of numbers, so a fitted ensemble stays
 * JSON-safe for backups and links.
 */
import * as v from 'valibot';
import {
  argmax,
  isLeaf,
  leafProbabilities,
  treeModel,
  type TreeModel,
  type TreeNode,
} from '../tree/tree';

export interface CompactTree {
  /** The feature each node splits on, or −1 at a leaf. */
  feature: number[];
  /** A row goes left when its value is below the threshold (0 at a leaf). */
  threshold: number[];
  /** Children's node numbers (−1 at a leaf). */
  left: number[];
  right: number[];
  /** 1 where a missing value goes left. */
  missingLeft: number[];
  /** Training rows that reached each node. */
  samples: number[];
  /**
   * `width` numbers per node: the class shares (the leaf's weighted probabilities; an inner
   * node's share of rows) or, for regression, the mean value.
   */
  value: number[];
}

/** A flat tree with no nodes yet. */
export function emptyCompactTree(): CompactTree {
  return {
    feature: [],
    threshold: [],
    left: [],
    right: [],
    missingLeft: [],
    samples: [],
    value: [],
  };
}

/** A fitted tree in the flat form. `width` is the number of classes, or 1 for regression. */
export function compactTree(tree: TreeModel, width: number): CompactTree {
  const out = emptyCompactTree();
  const regression = tree.options.kind === 'regression';
  // Pre-order without recursion; each split fills in its children's numbers when they are reached.
  const stack: { node: TreeNode; parent: number; side: 'left' | 'right' | null }[] = [
    { node: tree.root, parent: -1, side: null },
  ];
  while (stack.length) {
    const { node, parent, side } = stack.pop()!;
    const id = out.feature.length;
    if (side) out[side][parent] = id;
    const leaf = isLeaf(node);
    out.feature.push(leaf ? -1 : node.splitColumn!);
    out.threshold.push(leaf ? 0 : node.splitValue!);
    out.left.push(-1);
    out.right.push(-1);
    out.missingLeft.push(node.missingLeft ? 1 : 0);
    out.samples.push(node.samples ?? 0);
    if (regression) {
      out.value.push(leaf ? (node.distribution as number) : (node.value ?? 0));
    } else if (leaf) {
      out.value.push(...leafProbabilities(node, width));
    } else {
      const c = node.counts ?? [];
      const total = c.reduce((a, b) => a + b, 0) || 1;
      for (let k = 0; k < width; k++) out.value.push((c[k] ?? 0) / total);
    }
    if (!leaf) {
      stack.push({ node: node.right!, parent: id, side: 'right' });
      stack.push({ node: node.left!, parent: id, side: 'left' });
    }
  }
  return out;
}

/** The leaf a row reaches; `x[offset + f]` is its value of feature f. */
export function leafOf(t: CompactTree, x: ArrayLike<number>, offset = 0): number {
  let node = 0;
  let f = t.feature[0]!;
  while (f >= 0) {
    const v = x[offset + f]!;
    node = Number.isNaN(v)
      ? t.missingLeft[node]
        ? t.left[node]!
        : t.right[node]!
      : v < t.threshold[node]!
        ? t.left[node]!
        : t.right[node]!;
    f = t.feature[node]!;
  }
  return node;
}

/** The nodes from the root to a row's leaf, as tree paths ("", "L", "LR" …). */
export function pathOf(t: CompactTree, x: ArrayLike<number>): string[] {
  const path = [''];
  let id = '';
  let node = 0;
  while (t.feature[node]! >= 0) {
    const v = x[t.feature[node]!]!;
    const goLeft = Number.isNaN(v) ? t.missingLeft[node] === 1 : v < t.threshold[node]!;
    node = goLeft ? t.left[node]! : t.right[node]!;
    id += goLeft ? 'L' : 'R';
    path.push(id);
  }
  return path;
}

/** One tree of an ensemble as the tree views draw it. */
export function toTreeModel(t: CompactTree, width: number, regression: boolean): TreeModel {
  const nodes: TreeNode[] = t.feature.map((f, i) => {
    const value = t.value.slice(i * width, (i + 1) * width);
    const base: TreeNode = { samples: t.samples[i]! };
    if (f < 0)
      return regression
        ? { ...base, distribution: value[0]!, value: value[0]! }
        : { ...base, distribution: [value] };
    const node: TreeNode = { ...base, splitColumn: f, splitValue: t.threshold[i]! };
    if (t.missingLeft[i]) node.missingLeft = true;
    if (regression) node.value = value[0]!;
    else node.counts = value.map((s) => Math.round(s * t.samples[i]!));
    return node;
  });
  // Children come after their parent, so linking from the end never meets an unlinked child.
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (t.feature[i]! < 0) continue;
    nodes[i]!.left = nodes[t.left[i]!]!;
    nodes[i]!.right = nodes[t.right[i]!]!;
  }
  return treeModel(nodes[0]!, regression, 1, null);
}

/** Depth, node and leaf counts of a flat tree. */
export function compactShape(t: CompactTree): { depth: number; nodes: number; leaves: number } {
  const depth = new Int32Array(t.feature.length);
  let max = 0;
  let leaves = 0;
  for (let i = 0; i < t.feature.length; i++) {
    if (t.feature[i]! < 0) {
      leaves++;
      continue;
    }
    const d = depth[i]! + 1;
    depth[t.left[i]!] = d;
    depth[t.right[i]!] = d;
    if (d > max) max = d;
  }
  return { depth: max, nodes: t.feature.length, leaves };
}

/** The feature indices any split of the trees uses, ascending. */
export function featuresUsedBy(trees: readonly CompactTree[]): number[] {
  const used = new Set<number>();
  for (const t of trees) for (const f of t.feature) if (f >= 0) used.add(f);
  return [...used].sort((a, b) => a - b);
}

/** Size of an ensemble: trees, nodes, leaves, the deepest tree. */
export function ensembleSize(trees: readonly CompactTree[]): Record<string, number> {
  let nodes = 0;
  let leaves = 0;
  let depth = 0;
  for (const t of trees) {
    const s = compactShape(t);
    nodes += s.nodes;
    leaves += s.leaves;
    depth = Math.max(depth, s.depth);
  }
  return { trees: trees.length, nodes, leaves, depth };
}

/** A list of finite numbers, as every part of a stored flat tree is. */
export const FiniteNumbers = v.array(v.pipe(v.number(), v.finite()));

export const CompactTreeSchema = v.strictObject({
  feature: FiniteNumbers,
  threshold: FiniteNumbers,
  left: FiniteNumbers,
  right: FiniteNumbers,
  missingLeft: FiniteNumbers,
  samples: FiniteNumbers,
  value: FiniteNumbers,
});

/**
 * What is wrong with a flat tree against `features` inputs and `width` values per node, or
 * null: equal lengths, integral features in range, children after their parent and in range
 * (so every walk ends), thresholds finite.
 */
export function compactProblem(t: CompactTree, features: number, width: number): string | null {
  const n = t.feature.length;
  if (n === 0) return 'has a tree without nodes';
  for (const k of ['threshold', 'left', 'right', 'missingLeft', 'samples'] as const)
    if (t[k].length !== n) return `has a tree whose ${k} list does not match its nodes`;
  if (t.value.length !== n * width)
    return `has a tree with ${t.value.length} values for ${n} nodes of ${width}`;
  for (let i = 0; i < n; i++) {
    const f = t.feature[i]!;
    if (!Number.isInteger(f) || f < -1 || f >= features)
      return `has a split on feature ${f}, which the model does not have`;
    if (f < 0) continue;
    const l = t.left[i]!;
    const r = t.right[i]!;
    if (!Number.isInteger(l) || !Number.isInteger(r) || l <= i || r <= i || l >= n || r >= n)
      return 'has a split whose branches are not later nodes of the tree';
  }
  return null;
}

/** The class a leaf's shares pick, as the single tree picks it. */
export function leafClass(t: CompactTree, leaf: number, width: number): number {
  return argmax(t.value, leaf * width, (leaf + 1) * width);
}
