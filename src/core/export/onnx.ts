/**
 * A model version as an ONNX model: the preprocessing ONNX can express, then the family's own
 * nodes (its learner's `onnx`). Each feature is a graph input named after its column, a vector
 * [N] (reshaped to [N, 1] inside the graph): numbers as doubles (NaN for missing), categories as strings, turned into the
 * version's codes by a LabelEncoder (an unknown or empty category becomes NaN, which then goes
 * where missing values go, as in Orpheus's own encoding); the columns are concatenated into the
 * double matrix `features` [N, p] the family reads. A classifier's label is the first most
 * probable class (ArgMax, Gather), as in Orpheus. Written with onnx-proto.
 */
import { onnx } from 'onnx-proto';
import type { OnnxPart } from '../learners/learner';
import { learnerFor } from '../learners/registry';
import type { Encoding } from '../records';
import { attr, DOUBLE, FLOAT, INT64, STRING, tensorInfo, utf8 } from './onnxParts';

export interface OnnxSource {
  /** The family's nodes over `features`. */
  part: OnnxPart;
  encoding: Encoding;
  /** Written into the model's metadata. */
  meta: Record<string, string>;
  producerVersion: string;
  /** The model's name, for the graph. */
  name: string;
  /** Two classes with probabilities: the second class where its probability is at least this. */
  threshold?: number;
}

/** The ONNX model of a fitted model of any family, with its encoding. */
export async function modelToOnnx(
  source: Omit<OnnxSource, 'part'> & { family: string; fitted: unknown },
): Promise<Uint8Array> {
  const { family, fitted, ...rest } = source;
  const part = await learnerFor(family).onnx(fitted, source.encoding);
  return toOnnx({ ...rest, part });
}

/** The ONNX model (protobuf bytes) of a version's encoding and its family's nodes. */
export function toOnnx(source: OnnxSource): Uint8Array {
  const { part, encoding } = source;
  const graphNodes: onnx.INodeProto[] = [];
  const inputs: onnx.IValueInfoProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const columns: string[] = [];
  // Each input is one column as a vector [N] (MLflow's ONNX flavour passes a data frame's
  // columns so), reshaped to [N, 1] inside the graph.
  initializers.push({ name: 'column_shape', dataType: INT64, dims: [2], int64Data: [-1, 1] });
  for (const f of encoding.features) {
    const column = `${f.name}__column`;
    inputs.push(tensorInfo(f.name, f.kind === 'numeric' ? DOUBLE : STRING, ['N']));
    graphNodes.push({
      opType: 'Reshape',
      name: `${f.name} as a column`,
      input: [f.name, 'column_shape'],
      output: [column],
    });
    if (f.kind === 'numeric') {
      columns.push(column);
      continue;
    }
    const code = `${f.name}__code`;
    const encoded = `${f.name}__encoded`;
    graphNodes.push({
      opType: 'LabelEncoder',
      domain: 'ai.onnx.ml',
      name: `encode ${f.name}`,
      input: [column],
      output: [code],
      attribute: [
        attr('keys_strings', f.categories),
        attr(
          'values_floats',
          f.categories.map((_, i) => i),
        ),
        attr('default_float', NaN),
      ],
    });
    graphNodes.push({
      opType: 'Cast',
      name: `${f.name} as double`,
      input: [code],
      output: [encoded],
      attribute: [attr('to', DOUBLE, true)],
    });
    columns.push(encoded);
  }
  graphNodes.push({
    opType: 'Concat',
    name: 'features',
    input: columns,
    output: ['features'],
    attribute: [attr('axis', 1, true)],
  });
  graphNodes.push(...(part.nodes as onnx.INodeProto[]));
  const outputs: onnx.IValueInfoProto[] = [];
  initializers.push(...(part.initializers as onnx.ITensorProto[]));
  const thresholded =
    source.threshold !== undefined &&
    encoding.classes?.length === 2 &&
    part.output === 'probabilities';
  if (encoding.classes && thresholded) {
    // The version's decision threshold on the second class's probability, in place of ArgMax.
    initializers.push({ name: 'second_class', dataType: INT64, dims: [], int64Data: [1] });
    initializers.push({
      name: 'decision_threshold',
      dataType: FLOAT,
      dims: [],
      floatData: [source.threshold!],
    });
    graphNodes.push({
      opType: 'Gather',
      name: 'probability of the second class',
      input: [part.output, 'second_class'],
      output: ['second_probability'],
      attribute: [attr('axis', 1, true)],
    });
    graphNodes.push({
      opType: 'GreaterOrEqual',
      name: 'at least the decision threshold',
      input: ['second_probability', 'decision_threshold'],
      output: ['is_second'],
    });
    graphNodes.push({
      opType: 'Cast',
      name: 'class by the threshold',
      input: ['is_second'],
      output: ['class_index'],
      attribute: [attr('to', INT64, true)],
    });
  }
  if (encoding.classes) {
    const classes = encoding.classes;
    if (!thresholded)
      graphNodes.push({
        opType: 'ArgMax',
        name: 'most probable class',
        input: [part.output],
        output: ['class_index'],
        attribute: [
          attr('axis', 1, true),
          attr('keepdims', 0, true),
          attr('select_last_index', 0, true),
        ],
      });
    graphNodes.push({
      opType: 'Gather',
      name: 'its label',
      input: ['class_labels', 'class_index'],
      output: ['label'],
      attribute: [attr('axis', 0, true)],
    });
    initializers.push({
      name: 'class_labels',
      dataType: STRING,
      dims: [classes.length],
      stringData: classes.map(utf8),
    });
    outputs.push(tensorInfo('label', STRING, ['N']));
    outputs.push(tensorInfo(part.output, FLOAT, ['N', classes.length]));
  } else {
    outputs.push(tensorInfo('prediction', FLOAT, ['N', 1]));
  }

  const model: onnx.IModelProto = {
    irVersion: 8,
    producerName: 'Orpheus',
    producerVersion: source.producerVersion,
    domain: 'orpheus',
    modelVersion: 1,
    docString: `${source.name}: ${part.what}.`,
    opsetImport: [
      { domain: '', version: 15 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    graph: {
      name: source.name,
      node: graphNodes,
      input: inputs,
      output: outputs,
      initializer: initializers,
      docString: `Inputs: one per feature, shape [N]. Outputs: ${encoding.classes ? `label and ${part.output === 'scores' ? 'decision values' : 'probabilities'} (in the order of the class labels)` : 'prediction'}.`,
    },
    metadataProps: Object.entries(source.meta).map(([key, value]) => ({ key, value })),
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
