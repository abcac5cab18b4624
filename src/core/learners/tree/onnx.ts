/**
 * A tree as ONNX nodes: one `ai.onnx.ml` TreeEnsembleClassifier or TreeEnsembleRegressor
 * reading the encoded feature matrix. Thresholds and leaf values are doubles (`*_as_tensor`,
 * ai.onnx.ml opset 3) so ONNX Runtime splits exactly as Orpheus does; where a split sends
 * missing values is `nodes_missing_value_tracks_true`.
 */
import type { onnx } from 'onnx-proto';
import { attr } from '../../export/onnxParts';
import type { Encoding } from '../../records';
import type { OnnxPart } from '../learner';
import { isLeaf, leafProbabilities, type TreeModel, type TreeNode } from './tree';

/** The tree's nodes in depth-first order; a node's id is its index. */
function flatten(root: TreeNode): TreeNode[] {
  const nodes: TreeNode[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    nodes.push(n);
    if (!isLeaf(n)) stack.push(n.right!, n.left!);
  }
  return nodes;
}

export function treeOnnx(tree: TreeModel, encoding: Encoding): OnnxPart {
  const nodes = flatten(tree.root);
  const id = new Map(nodes.map((n, i) => [n, i]));
  const leaves = nodes.filter(isLeaf);
  const split = (n: TreeNode): boolean => !isLeaf(n);
  const structure: onnx.IAttributeProto[] = [
    attr(
      'nodes_treeids',
      nodes.map(() => 0),
      true,
    ),
    attr(
      'nodes_nodeids',
      nodes.map((_, i) => i),
      true,
    ),
    attr(
      'nodes_featureids',
      nodes.map((n) => (split(n) ? n.splitColumn! : 0)),
      true,
    ),
    attr(
      'nodes_modes',
      nodes.map((n) => (split(n) ? 'BRANCH_LT' : 'LEAF')),
    ),
    attr('nodes_values_as_tensor', { doubles: nodes.map((n) => (split(n) ? n.splitValue! : 0)) }),
    attr(
      'nodes_truenodeids',
      nodes.map((n) => (split(n) ? id.get(n.left!)! : 0)),
      true,
    ),
    attr(
      'nodes_falsenodeids',
      nodes.map((n) => (split(n) ? id.get(n.right!)! : 0)),
      true,
    ),
    attr(
      'nodes_missing_value_tracks_true',
      nodes.map((n) => (n.missingLeft ? 1 : 0)),
      true,
    ),
    attr('post_transform', 'NONE'),
  ];
  const what = 'a decision tree trained in Orpheus';
  if (encoding.classes) {
    const classes = encoding.classes;
    const weights = leaves.flatMap((l) => Array.from(leafProbabilities(l, classes.length)));
    const node: onnx.INodeProto = {
      opType: 'TreeEnsembleClassifier',
      domain: 'ai.onnx.ml',
      name: 'tree',
      input: ['features'],
      output: ['tree_label', 'probabilities'],
      attribute: [
        ...structure,
        attr('classlabels_strings', classes),
        attr(
          'class_treeids',
          leaves.flatMap(() => classes.map(() => 0)),
          true,
        ),
        attr(
          'class_nodeids',
          leaves.flatMap((l) => classes.map(() => id.get(l)!)),
          true,
        ),
        attr(
          'class_ids',
          leaves.flatMap(() => classes.map((_, c) => c)),
          true,
        ),
        attr('class_weights_as_tensor', { doubles: weights }),
      ],
    };
    return { nodes: [node], initializers: [], output: 'probabilities', what };
  }
  const node: onnx.INodeProto = {
    opType: 'TreeEnsembleRegressor',
    domain: 'ai.onnx.ml',
    name: 'tree',
    input: ['features'],
    output: ['prediction'],
    attribute: [
      ...structure,
      attr('n_targets', 1, true),
      attr('aggregate_function', 'SUM'),
      attr(
        'target_treeids',
        leaves.map(() => 0),
        true,
      ),
      attr(
        'target_nodeids',
        leaves.map((l) => id.get(l)!),
        true,
      ),
      attr(
        'target_ids',
        leaves.map(() => 0),
        true,
      ),
      attr('target_weights_as_tensor', { doubles: leaves.map((l) => l.distribution as number) }),
    ],
  };
  return { nodes: [node], initializers: [], output: 'prediction', what };
}
