/** The fitted preprocessing steps as ONNX nodes (loaded with a family's ONNX export). */
import type { onnx } from 'onnx-proto';
import { attr, DOUBLE, INT64 } from '../export/onnxParts';
import type { FittedPipeline } from './pipeline';

/**
 * The steps as ONNX nodes over the double matrix `features` [N, p], giving the double design
 * matrix `design` [N, width]: value columns gathered, missing ones filled, centred and scaled;
 * indicators as IsNaN; one-hot columns as Equal to each code. `prefix` keeps names apart.
 */
export function pipelineOnnx(
  p: FittedPipeline,
  prefix: string,
): { nodes: onnx.INodeProto[]; initializers: onnx.ITensorProto[]; output: string } {
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const parts: string[] = [];
  const name = (s: string): string => `${prefix}_${s}`;
  const ints = (n: string, values: number[]): void => {
    initializers.push({ name: name(n), dataType: INT64, dims: [values.length], int64Data: values });
  };
  const doubles = (n: string, values: number[]): void => {
    initializers.push({
      name: name(n),
      dataType: DOUBLE,
      dims: [values.length],
      doubleData: values,
    });
  };
  const axis1 = [attr('axis', 1, true)];
  const { from, fill, center, scale } = p.values;
  if (from.length > 0) {
    ints('value_index', from);
    doubles('fill', fill);
    doubles('center', center);
    doubles('scale', scale);
    nodes.push(
      {
        opType: 'Gather',
        name: name('values'),
        input: ['features', name('value_index')],
        output: [name('v')],
        attribute: axis1,
      },
      {
        opType: 'IsNaN',
        name: name('values missing'),
        input: [name('v')],
        output: [name('v_nan')],
      },
      {
        opType: 'Where',
        name: name('impute'),
        input: [name('v_nan'), name('fill'), name('v')],
        output: [name('v_filled')],
      },
      {
        opType: 'Sub',
        name: name('centre'),
        input: [name('v_filled'), name('center')],
        output: [name('v_centred')],
      },
      {
        opType: 'Div',
        name: name('scale'),
        input: [name('v_centred'), name('scale')],
        output: [name('v_scaled')],
      },
    );
    parts.push(name('v_scaled'));
  }
  if (p.missing.length > 0) {
    ints('missing_index', p.missing);
    nodes.push(
      {
        opType: 'Gather',
        name: name('indicated'),
        input: ['features', name('missing_index')],
        output: [name('m')],
        attribute: axis1,
      },
      { opType: 'IsNaN', name: name('indicators'), input: [name('m')], output: [name('m_nan')] },
      {
        opType: 'Cast',
        name: name('indicators as double'),
        input: [name('m_nan')],
        output: [name('m_double')],
        attribute: [attr('to', DOUBLE, true)],
      },
    );
    parts.push(name('m_double'));
  }
  if (p.onehot.from.length > 0) {
    ints('onehot_index', p.onehot.from);
    doubles('codes', p.onehot.code);
    nodes.push(
      {
        opType: 'Gather',
        name: name('categories'),
        input: ['features', name('onehot_index')],
        output: [name('c')],
        attribute: axis1,
      },
      {
        opType: 'Equal',
        name: name('one-hot'),
        input: [name('c'), name('codes')],
        output: [name('c_eq')],
      },
      {
        opType: 'Cast',
        name: name('one-hot as double'),
        input: [name('c_eq')],
        output: [name('c_double')],
        attribute: [attr('to', DOUBLE, true)],
      },
    );
    parts.push(name('c_double'));
  }
  nodes.push({
    opType: 'Concat',
    name: name('design'),
    input: parts,
    output: [name('design')],
    attribute: axis1,
  });
  return { nodes, initializers, output: name('design') };
}
