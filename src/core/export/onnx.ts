/**
 * A model version as an ONNX model: an `ai.onnx.ml` TreeEnsembleClassifier or
 * TreeEnsembleRegressor over the version's features, with the preprocessing ONNX can express
 * in front of it. Each feature is a graph input named after its column, shape [N, 1]: numbers
 * as doubles (NaN for missing), categories as strings, turned into the version's codes by a
 * LabelEncoder (an unknown or empty category becomes NaN, which then goes where missing values
 * go, as in Orpheus's own encoding). Thresholds and leaf values are kept as doubles
 * (`*_as_tensor`, ai.onnx.ml opset 3) so ONNX Runtime splits exactly as Orpheus does; where a
 * split sends missing values is `nodes_missing_value_tracks_true`. A classifier's label is the
 * first most probable class (ArgMax, Gather), as in Orpheus. Written with onnx-proto.
 */
import { onnx } from 'onnx-proto';
import type { Encoding } from '../data/matrix';
import { isLeaf, leafProbabilities, type TreeModel, type TreeNode } from '../train/tree';

const DOUBLE = onnx.TensorProto.DataType.DOUBLE;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const STRING = onnx.TensorProto.DataType.STRING;
const A = onnx.AttributeProto.AttributeType;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export interface OnnxSource {
  tree: TreeModel;
  encoding: Encoding;
  /** Written into the model's metadata. */
  meta: Record<string, string>;
  producerVersion: string;
  /** The model's name, for the graph. */
  name: string;
}

type AttrValue = number | string | number[] | string[] | { doubles: number[] };

function attr(name: string, value: AttrValue, integer = false): onnx.IAttributeProto {
  if (typeof value === 'string') return { name, type: A.STRING, s: utf8(value) };
  if (typeof value === 'number')
    return integer ? { name, type: A.INT, i: value } : { name, type: A.FLOAT, f: value };
  if (!Array.isArray(value))
    return {
      name,
      type: A.TENSOR,
      t: { dataType: DOUBLE, dims: [value.doubles.length], doubleData: value.doubles },
    };
  if (value.length > 0 && typeof value[0] === 'string')
    return { name, type: A.STRINGS, strings: (value as string[]).map(utf8) };
  return integer
    ? { name, type: A.INTS, ints: value as number[] }
    : { name, type: A.FLOATS, floats: value as number[] };
}

function tensorInfo(
  name: string,
  elemType: number,
  dims: (number | string)[],
): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

/** The tree's nodes in depth-first order; a node's id is its index. */
function flatten(root: TreeNode): TreeNode[] {
  const nodes: TreeNode[] = [];
  const visit = (n: TreeNode): void => {
    nodes.push(n);
    if (!isLeaf(n)) {
      visit(n.left!);
      visit(n.right!);
    }
  };
  visit(root);
  return nodes;
}

/** The ONNX model (protobuf bytes) of a tree and its encoding. */
export function toOnnx(source: OnnxSource): Uint8Array {
  const { tree, encoding } = source;
  const nodes = flatten(tree.root);
  const id = new Map(nodes.map((n, i) => [n, i]));
  const leaves = nodes.filter(isLeaf);
  const split = (n: TreeNode): boolean => !isLeaf(n);

  const graphNodes: onnx.INodeProto[] = [];
  const inputs: onnx.IValueInfoProto[] = [];
  const columns: string[] = [];
  for (const f of encoding.features) {
    if (f.kind === 'numeric') {
      inputs.push(tensorInfo(f.name, DOUBLE, ['N', 1]));
      columns.push(f.name);
      continue;
    }
    inputs.push(tensorInfo(f.name, STRING, ['N', 1]));
    const code = `${f.name}__code`;
    const encoded = `${f.name}__encoded`;
    graphNodes.push({
      opType: 'LabelEncoder',
      domain: 'ai.onnx.ml',
      name: `encode ${f.name}`,
      input: [f.name],
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
  const outputs: onnx.IValueInfoProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  if (encoding.classes) {
    const classes = encoding.classes;
    const weights = leaves.flatMap((l) => Array.from(leafProbabilities(l, classes.length)));
    graphNodes.push({
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
    });
    // The label is the first most probable class, as Orpheus picks it: ONNX Runtime's own
    // label output decides two-class trees by another rule.
    graphNodes.push({
      opType: 'ArgMax',
      name: 'most probable class',
      input: ['probabilities'],
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
    outputs.push(tensorInfo('probabilities', FLOAT, ['N', classes.length]));
  } else {
    graphNodes.push({
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
    });
    outputs.push(tensorInfo('prediction', FLOAT, ['N', 1]));
  }

  const model: onnx.IModelProto = {
    irVersion: 8,
    producerName: 'Orpheus',
    producerVersion: source.producerVersion,
    domain: 'orpheus',
    modelVersion: 1,
    docString: `${source.name}: a decision tree trained in Orpheus.`,
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
      docString: `Inputs: one per feature, shape [N, 1]. Outputs: ${encoding.classes ? 'label and probabilities (in the order of classlabels_strings)' : 'prediction'}.`,
    },
    metadataProps: Object.entries(source.meta).map(([key, value]) => ({ key, value })),
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
