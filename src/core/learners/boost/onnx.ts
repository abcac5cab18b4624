/**
 * Boosted trees as ONNX: one ai.onnx.ml TreeEnsembleRegressor summing every tree's leaf values
 * into one raw score per output, starting from the model's starting scores (`base_values`),
 * then the logistic (two classes: [1 − p, p]) or softmax (more) to probabilities, as Orpheus
 * computes them.
 */
import type { onnx } from 'onnx-proto';
import { attr, FLOAT } from '../../export/onnxParts';
import type { Encoding } from '../../records';
import type { OnnxPart } from '../learner';
import type { Boosted } from './model';

export function boostedOnnx(b: Boosted, encoding: Encoding): OnnxPart {
  const k = b.base.length;
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const missing: number[] = [];
  const targets: { tree: number; node: number; target: number; value: number }[] = [];
  b.trees.forEach((t, ti) => {
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
      if (!split) targets.push({ tree: ti, node: i, target: ti % k, value: t.value[i]! });
    }
  });
  const regression = encoding.classes === null;
  const rawName = regression ? 'prediction' : 'boost_raw';
  const ensemble: onnx.INodeProto = {
    opType: 'TreeEnsembleRegressor',
    domain: 'ai.onnx.ml',
    name: 'boosted',
    input: ['features'],
    output: [rawName],
    attribute: [
      attr('nodes_treeids', treeIds, true),
      attr('nodes_nodeids', nodeIds, true),
      attr('nodes_featureids', featureIds, true),
      attr('nodes_modes', modes),
      attr('nodes_values_as_tensor', { doubles: values }),
      attr('nodes_truenodeids', trueIds, true),
      attr('nodes_falsenodeids', falseIds, true),
      attr('nodes_missing_value_tracks_true', missing, true),
      attr('post_transform', 'NONE'),
      attr('n_targets', k, true),
      attr('aggregate_function', 'SUM'),
      attr('base_values_as_tensor', { doubles: b.base }),
      attr(
        'target_treeids',
        targets.map((t) => t.tree),
        true,
      ),
      attr(
        'target_nodeids',
        targets.map((t) => t.node),
        true,
      ),
      attr(
        'target_ids',
        targets.map((t) => t.target),
        true,
      ),
      attr('target_weights_as_tensor', { doubles: targets.map((t) => t.value) }),
    ],
  };
  const what = `gradient-boosted trees (${b.trees.length / k} rounds) trained in Orpheus`;
  if (regression) return { nodes: [ensemble], initializers: [], output: 'prediction', what };
  if (k > 1) {
    const softmax: onnx.INodeProto = {
      opType: 'Softmax',
      name: 'softmax',
      input: [rawName],
      output: ['probabilities'],
      attribute: [attr('axis', 1, true)],
    };
    return { nodes: [ensemble, softmax], initializers: [], output: 'probabilities', what };
  }
  const one: onnx.ITensorProto = { name: 'boost_one', dataType: FLOAT, dims: [1], floatData: [1] };
  const nodes: onnx.INodeProto[] = [
    ensemble,
    { opType: 'Sigmoid', name: 'logistic', input: [rawName], output: ['boost_p1'] },
    { opType: 'Sub', name: 'complement', input: ['boost_one', 'boost_p1'], output: ['boost_p0'] },
    {
      opType: 'Concat',
      name: 'both_classes',
      input: ['boost_p0', 'boost_p1'],
      output: ['probabilities'],
      attribute: [attr('axis', 1, true)],
    },
  ];
  return { nodes, initializers: [one], output: 'probabilities', what };
}
