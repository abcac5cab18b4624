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
import { ensembleNodes, regressorTargets } from '../forest/onnx';
import type { Boosted } from './model';

export function boostedOnnx(b: Boosted, encoding: Encoding): OnnxPart {
  const k = b.base.length;
  const { structure, leaves } = ensembleNodes(b.trees, 1);
  const regression = encoding.classes === null;
  const rawName = regression ? 'prediction' : 'boost_raw';
  const ensemble: onnx.INodeProto = {
    opType: 'TreeEnsembleRegressor',
    domain: 'ai.onnx.ml',
    name: 'boosted',
    input: ['features'],
    output: [rawName],
    attribute: [
      ...structure,
      attr('n_targets', k, true),
      attr('aggregate_function', 'SUM'),
      attr('base_values_as_tensor', { doubles: b.base }),
      ...regressorTargets(leaves, (l) => l.tree % k),
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
