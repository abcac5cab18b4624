/**
 * The decision tree family: Orpheus's CART (`cart.ts`) behind the learner seam. Its fitted
 * model is a tree in ml-cart's JSON format (`tree.ts`), so ml-cart can always load and predict
 * with it.
 */
import type { Encoding } from '../../records';
import type { Fit, Learner } from '../learner';
import type { TrainingSet } from '../training';
import { fitCart, type CartParams } from './cart';
import {
  checkTreeParams,
  defaultTreeSpace,
  paramsToCart,
  treeCapabilities,
  treeDefaults,
  TREE_PARAMETERS,
} from './params';
import { presort } from './presort';
import { treeEncodingProblem, TreeSchema } from './schema';
import {
  argmax,
  childFor,
  isLeaf,
  leafProbabilities,
  predictTree,
  sameTree,
  treeShape,
  type TreeModel,
  type TreeNode,
} from './tree';

/** Bumped whenever the trainer could build a different tree from the same data and settings. */
export const TRAINER_VERSION = '1';

/** ml-cart's version from its package.json, set at build time ("unknown" where it is not). */
const ML_CART_VERSION: string =
  typeof __ML_CART_VERSION__ === 'string' ? __ML_CART_VERSION__ : 'unknown';

/** The sorted orders of a training set, computed once and kept in the fits' shared memo. */
export function ordersOf(set: TrainingSet, shared: Map<string, unknown> | undefined): Int32Array[] {
  const memo = shared?.get('tree:orders') as Int32Array[] | undefined;
  if (memo) return memo;
  const orders = presort(set);
  shared?.set('tree:orders', orders);
  return orders;
}

/**
 * What happens to a raw row before a tree (or a forest's trees) sees it, in words a person can
 * check; `missing` says where missing values go.
 */
export function treePreprocessing(
  encoding: Encoding,
  missing = 'Missing values are kept as missing; each split sends them to the side learned in training.',
): string[] {
  const lines = [`Features in this order: ${encoding.features.map((f) => f.name).join(', ')}.`];
  for (const f of encoding.features)
    if (f.kind === 'categorical')
      lines.push(
        `"${f.name}" is coded 0 … ${f.categories.length - 1} in the order ${f.categories.join(', ')}; an unseen value counts as missing.`,
      );
  lines.push(missing);
  if (encoding.classes)
    lines.push(`Classes are coded in the order ${encoding.classes.join(', ')}.`);
  lines.push(`Rows without a value for "${encoding.target}" are not used.`);
  return lines;
}

/** A row's way down the tree: the nodes from the root ("", "L", "LR" …) and the leaf. */
function rowWalk(tree: TreeModel, x: readonly number[]): { path: string[]; leaf: TreeNode } {
  const path = [''];
  let node = tree.root;
  let id = '';
  while (!isLeaf(node)) {
    const next = childFor(node, x);
    id += next === node.left ? 'L' : 'R';
    path.push(id);
    node = next;
  }
  return { path, leaf: node };
}

export const decisionTree: Learner<CartParams, TreeModel> = {
  family: 'decision-tree',
  label: 'Decision tree',
  noun: 'tree',
  algorithm: 'orpheus-cart',
  tasks: ['classification', 'regression'],
  libraries: () => ({ trainer: TRAINER_VERSION, 'ml-cart': ML_CART_VERSION }),
  parameters: TREE_PARAMETERS,
  defaults: treeDefaults,
  withParams: paramsToCart,
  checkParams: checkTreeParams,
  defaultSpace: defaultTreeSpace,
  capabilities: treeCapabilities,
  handlesMissing: () => true,
  preprocessing: (encoding) => treePreprocessing(encoding),

  fit(set, params, context): Fit<TreeModel> {
    const { tree, importances } = fitCart(set, params, {
      seed: context.seed,
      subset: context.subset,
      orders: ordersOf(set, context.shared),
    });
    const shape = treeShape(tree);
    return {
      fitted: tree,
      importances,
      featuresUsed: shape.featuresUsed,
      size: { depth: shape.depth, nodes: shape.nodes, leaves: shape.leaves },
    };
  },

  predict: (tree, x, rows, features, classes) => predictTree(tree, x, rows, features, classes),

  predictRow(tree, x, classes) {
    const { path, leaf: node } = rowWalk(tree, x);
    if (classes > 0) {
      const p = Array.from(leafProbabilities(node, classes));
      return { value: argmax(p), probabilities: p, path };
    }
    return { value: node.distribution as number, probabilities: null, path };
  },

  trees: {
    count: () => 1,
    draw: (tree) => tree,
    path: (tree, _index, x) => rowWalk(tree, x).path,
  },

  fittedSchema: TreeSchema,
  checkFitted: treeEncodingProblem,
  describeSize: (s) => `depth ${s['depth']}, ${s['nodes']} nodes, ${s['leaves']} leaves`,
  same: sameTree,
  onnx: async (tree, encoding) => (await import('./onnx')).treeOnnx(tree, encoding),
};

/** A version's tree, when it is of this family (the tree views and the tree diff use it). */
export function treeOf(v: { family: string; fitted: unknown }): TreeModel | null {
  return v.family === decisionTree.family ? (v.fitted as TreeModel) : null;
}
