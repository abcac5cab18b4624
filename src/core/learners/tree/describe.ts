/** How a tree's nodes read to a person: conditions with feature names and category labels. */
import type { Encoding } from '../../records';
import { argmax, isLeaf, type TreeNode } from './tree';

function threshold(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** "petal_length < 2.45", or "island is Biscoe or Dream" for a categorical feature. */
export function conditionText(node: TreeNode, encoding: Encoding): string {
  const f = encoding.features[node.splitColumn ?? -1];
  const t = node.splitValue ?? NaN;
  if (!f) return `feature ${node.splitColumn} < ${threshold(t)}`;
  if (f.kind === 'categorical') {
    const left = f.categories.filter((_, i) => i < t);
    return left.length === 1 ? `${f.name} is ${left[0]}` : `${f.name} is ${left.join(' or ')}`;
  }
  return `${f.name} < ${threshold(t)}`;
}

/** What a node would predict: the majority class (by its distribution or counts) or its value. */
export function nodePrediction(node: TreeNode, encoding: Encoding): string {
  if (encoding.classes) {
    const d = Array.isArray(node.distribution) ? node.distribution[0] : node.counts;
    if (!d || d.length === 0) return '';
    return encoding.classes[argmax(d)] ?? '';
  }
  const v = typeof node.distribution === 'number' ? node.distribution : node.value;
  return v === undefined ? '' : String(Number(v.toPrecision(4)));
}

/** Shares of each class at a node (from its counts), for the little bar in the drawing. */
export function classShares(node: TreeNode, classes: number): number[] {
  const c = node.counts;
  if (!c) {
    const d = Array.isArray(node.distribution) ? (node.distribution[0] ?? []) : [];
    return Array.from({ length: classes }, (_, i) => d[i] ?? 0);
  }
  const total = c.reduce((a, b) => a + b, 0) || 1;
  return Array.from({ length: classes }, (_, i) => (c[i] ?? 0) / total);
}

export function countNodes(node: TreeNode): number {
  return isLeaf(node) ? 1 : 1 + countNodes(node.left!) + countNodes(node.right!);
}

/**
 * A split that is not (yet) a node of a tree, in words: a hand-grown tree's candidate or step.
 * The split of known values against missing ones reads "x is known".
 */
export function splitText(
  split: { feature: number; threshold: number; missingLeft: boolean },
  encoding: Encoding,
): string {
  const name = encoding.features[split.feature]?.name ?? `feature ${split.feature}`;
  if (split.threshold === Number.MAX_VALUE) return `${name} is known`;
  const text = conditionText({ splitColumn: split.feature, splitValue: split.threshold }, encoding);
  return split.missingLeft ? `${text} (or missing)` : text;
}
