/**
 * A linear model as ONNX: its fitted preprocessing (`pipelineOnnx`), then the scores as a
 * double MatMul and Add, then the logistic ([1 − p, p]) or the softmax, or the value itself;
 * cast to float at the end, as the exporter's outputs are.
 */
import type { onnx } from 'onnx-proto';
import { attr, DOUBLE, FLOAT } from '../../export/onnxParts';
import type { Encoding } from '../../records';
import type { OnnxPart } from '../learner';
import { widthOf } from '../pipeline';
import { pipelineOnnx } from '../pipelineOnnx';
import type { LinearModel } from './model';

export function linearOnnx(m: LinearModel, encoding: Encoding, family: string): OnnxPart {
  const pre = pipelineOnnx(m.pipeline, 'pre');
  const width = widthOf(m.pipeline);
  const k = m.intercept.length;
  // Coefficients transposed to [width, k], so that design [N, width] × them is [N, k].
  const weights: number[] = [];
  for (let j = 0; j < width; j++) for (let c = 0; c < k; c++) weights.push(m.coef[c * width + j]!);
  const initializers: onnx.ITensorProto[] = [
    ...pre.initializers,
    { name: 'linear_weights', dataType: DOUBLE, dims: [width, k], doubleData: weights },
    { name: 'linear_intercept', dataType: DOUBLE, dims: [k], doubleData: m.intercept },
  ];
  const nodes: onnx.INodeProto[] = [
    ...pre.nodes,
    {
      opType: 'MatMul',
      name: 'scores',
      input: [pre.output, 'linear_weights'],
      output: ['linear_product'],
    },
    {
      opType: 'Add',
      name: 'intercept',
      input: ['linear_product', 'linear_intercept'],
      output: ['linear_scores'],
    },
  ];
  const what = `a ${family.replace('-', ' ')} with its preprocessing, trained in Orpheus`;
  const toFloat = (from: string, to: string): onnx.INodeProto => ({
    opType: 'Cast',
    name: `${to} as float`,
    input: [from],
    output: [to],
    attribute: [attr('to', FLOAT, true)],
  });
  if (encoding.classes === null) {
    nodes.push(toFloat('linear_scores', 'prediction'));
    return { nodes, initializers, output: 'prediction', what };
  }
  if (m.decision) {
    // Decision values per class; two classes: [−z, z], so the larger is the predicted one.
    if (k > 1) nodes.push(toFloat('linear_scores', 'scores'));
    else {
      nodes.push(
        { opType: 'Neg', name: 'the other side', input: ['linear_scores'], output: ['linear_neg'] },
        {
          opType: 'Concat',
          name: 'both classes',
          input: ['linear_neg', 'linear_scores'],
          output: ['linear_both'],
          attribute: [attr('axis', 1, true)],
        },
        toFloat('linear_both', 'scores'),
      );
    }
    return { nodes, initializers, output: 'scores', what };
  }
  if (k > 1) {
    nodes.push(
      {
        opType: 'Softmax',
        name: 'softmax',
        input: ['linear_scores'],
        output: ['linear_p'],
        attribute: [attr('axis', 1, true)],
      },
      toFloat('linear_p', 'probabilities'),
    );
    return { nodes, initializers, output: 'probabilities', what };
  }
  initializers.push({ name: 'linear_one', dataType: DOUBLE, dims: [1], doubleData: [1] });
  nodes.push(
    { opType: 'Sigmoid', name: 'logistic', input: ['linear_scores'], output: ['linear_p1'] },
    {
      opType: 'Sub',
      name: 'complement',
      input: ['linear_one', 'linear_p1'],
      output: ['linear_p0'],
    },
    {
      opType: 'Concat',
      name: 'both classes',
      input: ['linear_p0', 'linear_p1'],
      output: ['linear_p'],
      attribute: [attr('axis', 1, true)],
    },
    toFloat('linear_p', 'probabilities'),
  );
  return { nodes, initializers, output: 'probabilities', what };
}
