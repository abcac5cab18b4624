/**
 * Nearest neighbours as ONNX: the preprocessing (`pipelineOnnx`), every row's distance to every
 * training row (broadcast Sub, then squares or absolute values summed), TopK smallest (ties to
 * the lower index, as Orpheus breaks them), then the neighbours' one-hot classes or values
 * gathered and averaged, uniformly or by 1 / distance (a neighbour at distance 0 takes it all).
 */
import type { onnx } from 'onnx-proto';
import { attr, DOUBLE, FLOAT, INT64 } from '../../export/onnxParts';
import type { OnnxPart } from '../learner';
import { widthOf } from '../pipeline';
import { pipelineOnnx } from '../pipelineOnnx';
import type { Neighbours } from './model';

export function neighboursOnnx(m: Neighbours): OnnxPart {
  const pre = pipelineOnnx(m.pipeline, 'pre');
  const width = widthOf(m.pipeline);
  const rows = m.y.length;
  const k = Math.min(m.k, rows);
  const c = m.classes;
  // The targets per training row: one-hot classes [rows, c], or values [rows, 1].
  const targets: number[] = [];
  for (const y of m.y) {
    if (c > 0) for (let j = 0; j < c; j++) targets.push(j === y ? 1 : 0);
    else targets.push(y);
  }
  const initializers: onnx.ITensorProto[] = [
    ...pre.initializers,
    { name: 'knn_train', dataType: DOUBLE, dims: [rows, width], doubleData: m.design },
    { name: 'knn_targets', dataType: DOUBLE, dims: [rows, Math.max(1, c)], doubleData: targets },
    { name: 'knn_axis1', dataType: INT64, dims: [1], int64Data: [1] },
    { name: 'knn_axis2', dataType: INT64, dims: [1], int64Data: [2] },
    { name: 'knn_k', dataType: INT64, dims: [1], int64Data: [k] },
    { name: 'knn_zero', dataType: DOUBLE, dims: [1], doubleData: [0] },
    { name: 'knn_one', dataType: DOUBLE, dims: [1], doubleData: [1] },
  ];
  const euclidean = m.metric === 'euclidean';
  const nodes: onnx.INodeProto[] = [
    ...pre.nodes,
    { opType: 'Unsqueeze', name: 'each row', input: [pre.output, 'knn_axis1'], output: ['knn_q'] },
    {
      opType: 'Sub',
      name: 'to every training row',
      input: ['knn_q', 'knn_train'],
      output: ['knn_diff'],
    },
    euclidean
      ? { opType: 'Mul', name: 'squared', input: ['knn_diff', 'knn_diff'], output: ['knn_parts'] }
      : { opType: 'Abs', name: 'absolute', input: ['knn_diff'], output: ['knn_parts'] },
    {
      opType: 'ReduceSum',
      name: 'distances',
      input: ['knn_parts', 'knn_axis2'],
      output: ['knn_dist'],
      attribute: [attr('keepdims', 0, true)],
    },
    {
      opType: 'TopK',
      name: 'nearest',
      input: ['knn_dist', 'knn_k'],
      output: ['knn_near', 'knn_index'],
      attribute: [attr('axis', 1, true), attr('largest', 0, true), attr('sorted', 1, true)],
    },
    {
      opType: 'Gather',
      name: 'their targets',
      input: ['knn_targets', 'knn_index'],
      output: ['knn_y'],
      attribute: [attr('axis', 0, true)],
    },
  ];
  // Weights [N, k, 1]: 1 each, or 1 / distance with rows at distance 0 taking all.
  if (m.weights === 'uniform') {
    nodes.push({
      opType: 'ReduceMean',
      name: 'mean',
      input: ['knn_y'],
      output: ['knn_out'],
      attribute: [attr('axes', [1], true), attr('keepdims', 0, true)],
    });
  } else {
    nodes.push(
      ...(euclidean
        ? [{ opType: 'Sqrt', name: 'root', input: ['knn_near'], output: ['knn_d'] }]
        : [{ opType: 'Identity', name: 'distance', input: ['knn_near'], output: ['knn_d'] }]),
      { opType: 'Equal', name: 'at distance 0', input: ['knn_d', 'knn_zero'], output: ['knn_is0'] },
      {
        opType: 'Cast',
        name: 'as weights',
        input: ['knn_is0'],
        output: ['knn_w0'],
        attribute: [attr('to', DOUBLE, true)],
      },
      {
        opType: 'ReduceMax',
        name: 'any at 0',
        input: ['knn_w0'],
        output: ['knn_any0'],
        attribute: [attr('axes', [1], true), attr('keepdims', 1, true)],
      },
      {
        opType: 'Cast',
        name: 'any at 0 as bool',
        input: ['knn_any0'],
        output: ['knn_any0b'],
        attribute: [attr('to', 9, true)],
      },
      { opType: 'Div', name: 'inverse distance', input: ['knn_one', 'knn_d'], output: ['knn_inv'] },
      {
        opType: 'Where',
        name: 'weights',
        input: ['knn_any0b', 'knn_w0', 'knn_inv'],
        output: ['knn_w'],
      },
      {
        opType: 'ReduceSum',
        name: 'total weight',
        input: ['knn_w', 'knn_axis1'],
        output: ['knn_wsum'],
        attribute: [attr('keepdims', 1, true)],
      },
      { opType: 'Div', name: 'shares', input: ['knn_w', 'knn_wsum'], output: ['knn_share'] },
      {
        opType: 'Unsqueeze',
        name: 'per target',
        input: ['knn_share', 'knn_axis2'],
        output: ['knn_share3'],
      },
      { opType: 'Mul', name: 'weighted', input: ['knn_y', 'knn_share3'], output: ['knn_wy'] },
      {
        opType: 'ReduceSum',
        name: 'weighted mean',
        input: ['knn_wy', 'knn_axis1'],
        output: ['knn_out'],
        attribute: [attr('keepdims', 0, true)],
      },
    );
  }
  const output = c > 0 ? 'probabilities' : 'prediction';
  nodes.push({
    opType: 'Cast',
    name: `${output} as float`,
    input: ['knn_out'],
    output: [output],
    attribute: [attr('to', FLOAT, true)],
  });
  return {
    nodes,
    initializers,
    output,
    what: `k-nearest neighbours (k = ${k}) with its preprocessing, trained in Orpheus`,
  };
}
