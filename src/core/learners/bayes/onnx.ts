/**
 * Naive Bayes as ONNX: the imputation (`pipelineOnnx`), then per class the log prior plus the
 * normal log-densities of the numbers (one broadcast over classes and features) plus each
 * category's log-probability looked up in its table (Gather), then the softmax; in doubles,
 * cast to float at the end.
 */
import type { onnx } from 'onnx-proto';
import { attr, DOUBLE, FLOAT, INT64 } from '../../export/onnxParts';
import type { OnnxPart } from '../learner';
import { pipelineOnnx } from '../pipelineOnnx';
import type { NaiveBayes } from './model';

export function bayesOnnx(b: NaiveBayes): OnnxPart {
  const pre = pipelineOnnx(b.pipeline, 'pre');
  const k = b.classes;
  const g = b.gaussian;
  const gn = g.feature.length;
  // The per-class constant: log prior − ½ Σ (log 2π + log variance).
  const base = b.logPrior.map((l, c) => {
    let s = l;
    for (let i = 0; i < gn; i++)
      s -= 0.5 * (Math.log(2 * Math.PI) + Math.log(g.variance[c * gn + i]!));
    return s;
  });
  const initializers: onnx.ITensorProto[] = [
    ...pre.initializers,
    { name: 'nb_base', dataType: DOUBLE, dims: [k], doubleData: base },
  ];
  const nodes: onnx.INodeProto[] = [...pre.nodes];
  let total = 'nb_base';
  const add = (term: string, name: string): void => {
    const out = `nb_sum_${name}`;
    nodes.push({ opType: 'Add', name: `add ${name}`, input: [total, term], output: [out] });
    total = out;
  };
  if (gn > 0) {
    initializers.push(
      { name: 'nb_gaussian_index', dataType: INT64, dims: [gn], int64Data: g.feature },
      { name: 'nb_axis1', dataType: INT64, dims: [1], int64Data: [1] },
      { name: 'nb_axis2', dataType: INT64, dims: [1], int64Data: [2] },
      { name: 'nb_mean', dataType: DOUBLE, dims: [k, gn], doubleData: g.mean },
      { name: 'nb_variance', dataType: DOUBLE, dims: [k, gn], doubleData: g.variance },
      { name: 'nb_minus_half', dataType: DOUBLE, dims: [1], doubleData: [-0.5] },
    );
    nodes.push(
      {
        opType: 'Gather',
        name: 'numbers',
        input: [pre.output, 'nb_gaussian_index'],
        output: ['nb_x'],
        attribute: [attr('axis', 1, true)],
      },
      { opType: 'Unsqueeze', name: 'per class', input: ['nb_x', 'nb_axis1'], output: ['nb_x3'] },
      { opType: 'Sub', name: 'from the means', input: ['nb_x3', 'nb_mean'], output: ['nb_d'] },
      { opType: 'Mul', name: 'squared', input: ['nb_d', 'nb_d'], output: ['nb_d2'] },
      {
        opType: 'Div',
        name: 'over the variances',
        input: ['nb_d2', 'nb_variance'],
        output: ['nb_z'],
      },
      {
        opType: 'ReduceSum',
        name: 'over the numbers',
        input: ['nb_z', 'nb_axis2'],
        output: ['nb_zsum'],
        attribute: [attr('keepdims', 0, true)],
      },
      {
        opType: 'Mul',
        name: 'halved',
        input: ['nb_zsum', 'nb_minus_half'],
        output: ['nb_gaussian'],
      },
    );
    add('nb_gaussian', 'numbers');
  }
  b.categorical.feature.forEach((j, i) => {
    const table = b.categorical.logProb[i]!;
    const kj = table.length / k;
    initializers.push(
      { name: `nb_cat_index_${i}`, dataType: INT64, dims: [1], int64Data: [j] },
      { name: `nb_table_${i}`, dataType: DOUBLE, dims: [kj, k], doubleData: table },
    );
    nodes.push(
      {
        opType: 'Gather',
        name: `category ${i}`,
        input: [pre.output, `nb_cat_index_${i}`],
        output: [`nb_code_${i}`],
        attribute: [attr('axis', 1, true)],
      },
      {
        opType: 'Cast',
        name: `category ${i} as index`,
        input: [`nb_code_${i}`],
        output: [`nb_index_${i}`],
        attribute: [attr('to', INT64, true)],
      },
      {
        opType: 'Flatten',
        name: `category ${i} flat`,
        input: [`nb_index_${i}`],
        output: [`nb_index2_${i}`],
        attribute: [attr('axis', 0, true)],
      },
      {
        opType: 'Squeeze',
        name: `category ${i} as vector`,
        input: [`nb_index2_${i}`, 'nb_zero_axis'],
        output: [`nb_flat_${i}`],
      },
      {
        opType: 'Gather',
        name: `category ${i} log-probabilities`,
        input: [`nb_table_${i}`, `nb_flat_${i}`],
        output: [`nb_cat_${i}`],
        attribute: [attr('axis', 0, true)],
      },
    );
    add(`nb_cat_${i}`, `category_${i}`);
  });
  if (b.categorical.feature.length > 0)
    initializers.push({ name: 'nb_zero_axis', dataType: INT64, dims: [1], int64Data: [0] });
  nodes.push(
    {
      opType: 'Softmax',
      name: 'softmax',
      input: [total],
      output: ['nb_p'],
      attribute: [attr('axis', 1, true)],
    },
    {
      opType: 'Cast',
      name: 'probabilities as float',
      input: ['nb_p'],
      output: ['probabilities'],
      attribute: [attr('to', FLOAT, true)],
    },
  );
  return {
    nodes,
    initializers,
    output: 'probabilities',
    what: 'a naive Bayes model with its imputation, trained in Orpheus',
  };
}
