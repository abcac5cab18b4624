/**
 * The tree format Orpheus stores: exactly the JSON that ml-cart's `DecisionTreeClassifier.load`
 * and `DecisionTreeRegression.load` accept, so ml-cart can always predict with a saved tree.
 * Orpheus adds a few fields to each node (samples, class counts, impurity, where missing values
 * go); ml-cart ignores them when it loads a tree.
 */

export type TreeKind = 'classifier' | 'regression';

/** The options block of an ml-cart model. */
export interface TreeOptions {
  kind: TreeKind;
  gainFunction: 'gini' | 'regression';
  splitFunction: 'mean';
  minNumSamples: number;
  /** `null` is how ml-cart's JSON spells an unlimited depth. */
  maxDepth: number | null;
  gainThreshold?: number;
}

export interface TreeNode {
  // ml-cart repeats its options in every node it trains; Orpheus's own trees leave them out.
  kind?: TreeKind;
  gainFunction?: string;
  splitFunction?: string;
  minNumSamples?: number;
  maxDepth?: number | null;
  gainThreshold?: number;
  /** A sample goes left when `x[splitColumn] < splitValue`. */
  splitValue?: number;
  splitColumn?: number;
  /** ml-cart: the split's gini gain (or children's squared error); Orpheus: the weighted impurity decrease. */
  gain?: number | null;
  numberSamples?: number;
  left?: TreeNode;
  right?: TreeNode;
  /** Leaves only: class probabilities as a one-row matrix, or the predicted value. */
  distribution?: number[][] | number;
  // Orpheus's additions.
  /** Training rows that reached the node. */
  samples?: number;
  /** Class counts of those rows (classification). */
  counts?: number[];
  /** Mean target of those rows (regression). */
  value?: number;
  impurity?: number;
  /** Where a missing value goes at this split (right when absent, as in ml-cart). */
  missingLeft?: boolean;
}

export interface TreeModel {
  name: 'DTClassifier' | 'DTRegression';
  options: TreeOptions;
  root: TreeNode;
}

/**
 * A tree in ml-cart's JSON around its root: a classifier or a regression tree, with the two
 * options that vary (ml-cart's min samples, one less than the rows a split needs, and the depth
 * limit, null for none).
 */
export function treeModel(
  root: TreeNode,
  regression: boolean,
  minNumSamples: number,
  maxDepth: number | null,
): TreeModel {
  return {
    name: regression ? 'DTRegression' : 'DTClassifier',
    options: {
      kind: regression ? 'regression' : 'classifier',
      gainFunction: regression ? 'regression' : 'gini',
      splitFunction: 'mean',
      minNumSamples,
      maxDepth,
    },
    root,
  };
}

export function isLeaf(node: TreeNode): boolean {
  return !(node.left && node.right);
}

/** The child a row goes to at a split node. */
export function childFor(node: TreeNode, row: ArrayLike<number>): TreeNode {
  const v = row[node.splitColumn!]!;
  if (Number.isNaN(v)) return node.missingLeft ? node.left! : node.right!;
  return v < node.splitValue! ? node.left! : node.right!;
}

/** A leaf's class probabilities padded to `classes` entries (ml-cart stores them shorter). */
export function leafProbabilities(leaf: TreeNode, classes: number): Float64Array {
  const out = new Float64Array(classes);
  const d = leaf.distribution;
  if (Array.isArray(d)) {
    const row = d[0] ?? [];
    for (let c = 0; c < Math.min(classes, row.length); c++) out[c] = row[c]!;
  }
  return out;
}

/** First index of the largest value, as ml-cart's `maxRowIndex` picks it. */
export function argmax(values: ArrayLike<number>, from = 0, to = values.length): number {
  let best = from;
  for (let i = from + 1; i < to; i++) if (values[i]! > values[best]!) best = i;
  return best - from;
}

export interface TreePrediction {
  /** Class code or value per row. */
  predictions: Float64Array;
  /** rows × classes probabilities (classification), else null. */
  probabilities: Float64Array | null;
}

/** Predicts every row of a row-major matrix. */
export function predictTree(
  tree: TreeModel,
  x: Float64Array,
  rows: number,
  features: number,
  classes: number,
): TreePrediction {
  const predictions = new Float64Array(rows);
  const classifier = tree.options.kind === 'classifier';
  const probabilities = classifier ? new Float64Array(rows * classes) : null;
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * features, (r + 1) * features);
    let node = tree.root;
    while (!isLeaf(node)) node = childFor(node, row);
    if (probabilities) {
      probabilities.set(leafProbabilities(node, classes), r * classes);
      predictions[r] = argmax(probabilities, r * classes, (r + 1) * classes);
    } else {
      predictions[r] = node.distribution as number;
    }
  }
  return { predictions, probabilities };
}

export interface TreeShape {
  depth: number;
  nodes: number;
  leaves: number;
  /** Feature indices used by at least one split, ascending. */
  featuresUsed: number[];
}

export function treeShape(tree: TreeModel): TreeShape {
  let nodes = 0;
  let leaves = 0;
  let depth = 0;
  const used = new Set<number>();
  const walk = (node: TreeNode, d: number): void => {
    nodes++;
    depth = Math.max(depth, d);
    if (isLeaf(node)) {
      leaves++;
      return;
    }
    used.add(node.splitColumn!);
    walk(node.left!, d + 1);
    walk(node.right!, d + 1);
  };
  walk(tree.root, 0);
  return { depth, nodes, leaves, featuresUsed: [...used].sort((a, b) => a - b) };
}

/** Structural equality of two trees as stored (JSON), for "reproduce": identical or not. */
export function sameTree(a: TreeModel, b: TreeModel): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
