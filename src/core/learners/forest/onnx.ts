/**
 * An ensemble of flat trees as one ai.onnx.ml TreeEnsembleClassifier or TreeEnsembleRegressor:
 * every tree's nodes with its tree id, thresholds and leaf values as doubles, missing values on
 * the side each split learned. A forest averages: each leaf's class shares are divided by the
 * number of trees (the classifier sums them), and the regressor's aggregate is the average.
 */
import type { onnx } from 'onnx-proto';
import { attr } from '../../export/onnxParts';
import type { Encoding } from '../../records';
import type { OnnxPart } from '../learner';
import type { CompactTree } from './compact';

/** A leaf of one of the trees: where it is, and its values (`width` of them). */
export interface OnnxLeaf {
  tree: number;
  node: number;
  value: number[];
}

/**
 * The `nodes_*` attributes of ai.onnx.ml's tree ensembles for flat trees (tree id = index),
 * thresholds as doubles, `x < threshold` goes to the true branch, missing values where each
 * split learned; and the leaves with their `width` values each.
 */
export function ensembleNodes(
  trees: readonly CompactTree[],
  width: number,
): { structure: onnx.IAttributeProto[]; leaves: OnnxLeaf[] } {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const missing: number[] = [];
  const leaves: OnnxLeaf[] = [];
  trees.forEach((t, ti) => {
    for (let i = 0; i < t.feature.length; i++) {
      const split = t.feature[i]! >= 0;
      treeIds.push(ti);
      nodeIds.push(i);
      featureIds.push(split ? t.feature[i]! : 0);
      modes.push(split ? 'BRANCH_LT' : 'LEAF');
      values.push(split ? t.threshold[i]! : 0);
      trueIds.push(split ? t.left[i]! : 0);
      falseIds.push(split ? t.right[i]! : 0);
      missing.push(split ? t.missingLeft[i]! : 0);
      if (!split)
        leaves.push({ tree: ti, node: i, value: t.value.slice(i * width, (i + 1) * width) });
    }
  });
  const structure: onnx.IAttributeProto[] = [
    attr('nodes_treeids', treeIds, true),
    attr('nodes_nodeids', nodeIds, true),
    attr('nodes_featureids', featureIds, true),
    attr('nodes_modes', modes),
    attr('nodes_values_as_tensor', { doubles: values }),
    attr('nodes_truenodeids', trueIds, true),
    attr('nodes_falsenodeids', falseIds, true),
    attr('nodes_missing_value_tracks_true', missing, true),
    attr('post_transform', 'NONE'),
  ];
  return { structure, leaves };
}

/** A TreeEnsembleRegressor's `target_*` attributes: each leaf's value, added to its target. */
export function regressorTargets(
  leaves: readonly OnnxLeaf[],
  target: (leaf: OnnxLeaf) => number,
): onnx.IAttributeProto[] {
  return [
    attr(
      'target_treeids',
      leaves.map((l) => l.tree),
      true,
    ),
    attr(
      'target_nodeids',
      leaves.map((l) => l.node),
      true,
    ),
    attr('target_ids', leaves.map(target), true),
    attr('target_weights_as_tensor', { doubles: leaves.map((l) => l.value[0]!) }),
  ];
}

export function ensembleOnnx(
  trees: readonly CompactTree[],
  encoding: Encoding,
  what: string,
): OnnxPart {
  const width = encoding.classes?.length ?? 1;
  const { structure, leaves } = ensembleNodes(trees, width);
  const n = trees.length;
  if (encoding.classes) {
    const classes = encoding.classes;
    const node: onnx.INodeProto = {
      opType: 'TreeEnsembleClassifier',
      domain: 'ai.onnx.ml',
      name: 'ensemble',
      input: ['features'],
      output: ['ensemble_label', 'probabilities'],
      attribute: [
        ...structure,
        attr('classlabels_strings', classes),
        attr(
          'class_treeids',
          leaves.flatMap((l) => classes.map(() => l.tree)),
          true,
        ),
        attr(
          'class_nodeids',
          leaves.flatMap((l) => classes.map(() => l.node)),
          true,
        ),
        attr(
          'class_ids',
          leaves.flatMap(() => classes.map((_, c) => c)),
          true,
        ),
        attr('class_weights_as_tensor', {
          doubles: leaves.flatMap((l) => l.value.map((x) => x / n)),
        }),
      ],
    };
    return { nodes: [node], initializers: [], output: 'probabilities', what };
  }
  const node: onnx.INodeProto = {
    opType: 'TreeEnsembleRegressor',
    domain: 'ai.onnx.ml',
    name: 'ensemble',
    input: ['features'],
    output: ['prediction'],
    attribute: [
      ...structure,
      attr('n_targets', 1, true),
      attr('aggregate_function', 'AVERAGE'),
      ...regressorTargets(leaves, () => 0),
    ],
  };
  return { nodes: [node], initializers: [], output: 'prediction', what };
}
