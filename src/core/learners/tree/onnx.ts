/**
 * A tree as ONNX nodes: the tree in the flat form of the ensembles (`forest/compact.ts`), as a
 * one-tree ai.onnx.ml TreeEnsembleClassifier or TreeEnsembleRegressor reading the encoded
 * feature matrix. Thresholds and leaf values are doubles (`*_as_tensor`, ai.onnx.ml opset 3) so
 * ONNX Runtime splits exactly as Orpheus does; where a split sends missing values is
 * `nodes_missing_value_tracks_true`.
 */
import type { Encoding } from '../../records';
import { compactTree } from '../forest/compact';
import { ensembleOnnx } from '../forest/onnx';
import type { OnnxPart } from '../learner';
import type { TreeModel } from './tree';

export function treeOnnx(tree: TreeModel, encoding: Encoding): OnnxPart {
  const width = encoding.classes?.length ?? 1;
  return ensembleOnnx([compactTree(tree, width)], encoding, 'a decision tree trained in Orpheus');
}
