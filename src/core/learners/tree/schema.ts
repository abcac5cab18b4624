/**
 * The check a tree gets when it comes from outside (a backup, a link): the shape ml-cart's
 * format has, walked without recursion and within bounds the trainer never exceeds, then
 * against the version's encoding (feature indices in range, one probability per class).
 */
import * as v from 'valibot';
import type { Encoding } from '../../records';
import type { TreeModel, TreeNode } from './tree';

/** Deeper than any tree Orpheus's trainer keeps for a person to read; drawings recurse this far. */
export const MAX_TREE_DEPTH = 1000;
export const MAX_TREE_NODES = 1_000_000;

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const optionalNumber = (x: unknown): boolean => x === undefined || x === null || finite(x);

/** What is wrong with a stored tree's shape, or null. */
export function treeShapeProblem(x: unknown): string | null {
  if (!isObject(x)) return 'is not a tree';
  if (x['name'] !== 'DTClassifier' && x['name'] !== 'DTRegression')
    return 'names no kind of tree Orpheus writes';
  if (!isObject(x['options'])) return 'has no tree options';
  const classifier = x['name'] === 'DTClassifier';
  const stack: [unknown, number][] = [[x['root'], 0]];
  let nodes = 0;
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (!isObject(node)) return 'has a node that is not a node';
    if (++nodes > MAX_TREE_NODES) return `has more than ${MAX_TREE_NODES} nodes`;
    if (depth > MAX_TREE_DEPTH) return `is deeper than ${MAX_TREE_DEPTH} levels`;
    for (const k of ['samples', 'value', 'impurity', 'gain', 'numberSamples'])
      if (!optionalNumber(node[k])) return `has a node whose ${k} is not a number`;
    if (
      node['counts'] !== undefined &&
      !(Array.isArray(node['counts']) && node['counts'].every(finite))
    )
      return 'has a node whose class counts are not numbers';
    const split = node['left'] !== undefined || node['right'] !== undefined;
    if (split) {
      const c = node['splitColumn'];
      if (!(typeof c === 'number' && Number.isInteger(c) && c >= 0))
        return 'has a split on a feature that is not a feature number';
      if (!finite(node['splitValue'])) return 'has a split without a finite threshold';
      if (!isObject(node['left']) || !isObject(node['right']))
        return 'has a split without both branches';
      if (node['missingLeft'] !== undefined && typeof node['missingLeft'] !== 'boolean')
        return 'has a split whose missing-value side is not yes or no';
      stack.push([node['right'], depth + 1], [node['left'], depth + 1]);
      continue;
    }
    const d = node['distribution'];
    if (classifier) {
      if (!(Array.isArray(d) && d.length === 1 && Array.isArray(d[0]) && d[0].every(finite)))
        return 'has a leaf without class probabilities';
    } else if (!finite(d)) return 'has a leaf without a finite value';
  }
  return null;
}

/** The tree checked against the features and classes of its version's encoding. */
export function treeEncodingProblem(tree: TreeModel, encoding: Encoding): string | null {
  if ((tree.name === 'DTClassifier') !== (encoding.classes !== null))
    return 'does not match the task of its encoding';
  const features = encoding.features.length;
  const classes = encoding.classes?.length ?? 0;
  const stack: TreeNode[] = [tree.root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.left && n.right) {
      if (n.splitColumn! >= features)
        return `splits on feature ${n.splitColumn}, but the version has ${features} features`;
      stack.push(n.left, n.right);
    } else if (Array.isArray(n.distribution) && n.distribution[0]!.length > classes)
      return `has a leaf with ${n.distribution[0]!.length} class probabilities for ${classes} classes`;
  }
  return null;
}

export const TreeSchema = v.custom<TreeModel>(
  (x) => treeShapeProblem(x) === null,
  (issue) => `The tree ${treeShapeProblem(issue.input) ?? 'is not valid'}`,
);
