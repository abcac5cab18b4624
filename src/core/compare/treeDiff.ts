/**
 * The difference between two trees, node by node: nodes are matched by their path from the
 * root ("" the root, then L/R), so a change reads as "the split at depth 2 moved from
 * petal_width < 1.75 to < 1.65" and both drawings can highlight the same places.
 */
import { conditionText, nodePrediction } from '../learners/tree/describe';
import { isLeaf, type TreeModel, type TreeNode } from '../learners/tree/tree';
import type { Encoding } from '../records';

export type NodeChange =
  /** Same feature, another threshold. */
  | 'threshold'
  /** Another feature. */
  | 'feature'
  /** Both leaves, another prediction. */
  | 'leaf'
  /** A split in the second tree where the first has a leaf. */
  | 'split-added'
  /** A leaf in the second tree where the first has a split. */
  | 'split-removed';

export interface NodeDiff {
  path: string;
  depth: number;
  change: NodeChange;
  /** Human-readable, e.g. "split at depth 2 moved from petal_width < 1.75 to < 1.65". */
  summary: string;
}

export interface TreeDiff {
  changes: NodeDiff[];
  /** Paths of nodes to highlight in each drawing (a changed node and, for added or removed splits, its subtree). */
  highlightA: Set<string>;
  highlightB: Set<string>;
  /** Nodes compared that are the same. */
  same: number;
}

function where(depth: number): string {
  return depth === 0 ? 'the root' : `depth ${depth}`;
}

function subtree(node: TreeNode, path: string, into: Set<string>): void {
  into.add(path);
  if (isLeaf(node)) return;
  subtree(node.left!, `${path}L`, into);
  subtree(node.right!, `${path}R`, into);
}

/** Compares `a` (the base) with `b`. Encodings name features and classes. */
export function diffTrees(a: TreeModel, encA: Encoding, b: TreeModel, encB: Encoding): TreeDiff {
  const changes: NodeDiff[] = [];
  const highlightA = new Set<string>();
  const highlightB = new Set<string>();
  let same = 0;
  const featureName = (enc: Encoding, n: TreeNode): string =>
    enc.features[n.splitColumn ?? -1]?.name ?? `feature ${n.splitColumn}`;

  const walk = (x: TreeNode, y: TreeNode, path: string, depth: number): void => {
    const leafX = isLeaf(x);
    const leafY = isLeaf(y);
    if (leafX && leafY) {
      const px = nodePrediction(x, encA);
      const py = nodePrediction(y, encB);
      if (px === py) same++;
      else {
        changes.push({
          path,
          depth,
          change: 'leaf',
          summary: `leaf at ${where(depth)} predicts ${py} instead of ${px}`,
        });
        highlightA.add(path);
        highlightB.add(path);
      }
      return;
    }
    if (leafX !== leafY) {
      if (leafX) {
        changes.push({
          path,
          depth,
          change: 'split-added',
          summary: `new split at ${where(depth)}: ${conditionText(y, encB)}`,
        });
        highlightA.add(path);
        subtree(y, path, highlightB);
      } else {
        changes.push({
          path,
          depth,
          change: 'split-removed',
          summary: `split at ${where(depth)} (${conditionText(x, encA)}) became a leaf`,
        });
        subtree(x, path, highlightA);
        highlightB.add(path);
      }
      return;
    }
    const fx = featureName(encA, x);
    const fy = featureName(encB, y);
    if (fx !== fy) {
      changes.push({
        path,
        depth,
        change: 'feature',
        summary: `split at ${where(depth)} changed from ${conditionText(x, encA)} to ${conditionText(y, encB)}`,
      });
      highlightA.add(path);
      highlightB.add(path);
    } else if (x.splitValue !== y.splitValue) {
      const to = conditionText(y, encB).slice(fy.length + 1);
      changes.push({
        path,
        depth,
        change: 'threshold',
        summary: `split at ${where(depth)} moved from ${conditionText(x, encA)} to ${to}`,
      });
      highlightA.add(path);
      highlightB.add(path);
    } else same++;
    walk(x.left!, y.left!, `${path}L`, depth + 1);
    walk(x.right!, y.right!, `${path}R`, depth + 1);
  };
  walk(a.root, b.root, '', 0);
  return { changes, highlightA, highlightB, same };
}
