/**
 * Exact TreeSHAP, path-dependent (Lundberg et al., "From local explanations to global
 * understanding with explainable AI for trees", Nature Machine Intelligence 2020, Algorithm 2):
 * each feature's Shapley value for one row of one tree, where a feature left out of a
 * coalition is averaged over the training rows that reached each split (the node covers). The
 * contributions of a row sum to the tree's output minus its expected output.
 *
 * A tree here is an ensemble's flat tree (`CompactTree`): `width` values per node (the class
 * shares, or one value). All `width` outputs are explained in one walk.
 */
import { compactShape, type CompactTree } from '../learners/forest/compact';

/** The children a row takes at a split node (a missing value goes its learned way). */
function goesLeft(t: CompactTree, node: number, x: ArrayLike<number>): boolean {
  const v = x[t.feature[node]!]!;
  return Number.isNaN(v) ? t.missingLeft[node] === 1 : v < t.threshold[node]!;
}

/** The tree's expected output per output: its leaves' values weighted by the rows reaching them. */
export function expectedValue(t: CompactTree, width: number): Float64Array {
  const out = new Float64Array(width);
  const total = t.samples[0]!;
  for (let i = 0; i < t.feature.length; i++)
    if (t.feature[i]! < 0)
      for (let k = 0; k < width; k++)
        out[k] = out[k]! + (t.samples[i]! / total) * t.value[i * width + k]!;
  return out;
}

/**
 * The paths of unique features, one segment per depth of the walk, in flat arrays: a node's
 * path starts right after its parent's (as in the reference implementation), so a walk
 * allocates nothing. Grown when a deeper tree comes.
 */
let feat = new Int32Array(0);
let zeroF = new Float64Array(0);
let oneF = new Float64Array(0);
let pw = new Float64Array(0);

function room(depth: number): void {
  const size = ((depth + 3) * (depth + 4)) / 2;
  if (feat.length >= size) return;
  feat = new Int32Array(size);
  zeroF = new Float64Array(size);
  oneF = new Float64Array(size);
  pw = new Float64Array(size);
}

function extend(at: number, depth: number, zero: number, one: number, feature: number): void {
  feat[at + depth] = feature;
  zeroF[at + depth] = zero;
  oneF[at + depth] = one;
  pw[at + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    pw[at + i + 1] = pw[at + i + 1]! + (one * pw[at + i]! * (i + 1)) / (depth + 1);
    pw[at + i] = (zero * pw[at + i]! * (depth - i)) / (depth + 1);
  }
}

function unwind(at: number, depth: number, index: number): void {
  const one = oneF[at + index]!;
  const zero = zeroF[at + index]!;
  let next = pw[at + depth]!;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const w = pw[at + i]!;
      pw[at + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = w - (pw[at + i]! * zero * (depth - i)) / (depth + 1);
    } else {
      pw[at + i] = (pw[at + i]! * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    feat[at + i] = feat[at + i + 1]!;
    zeroF[at + i] = zeroF[at + i + 1]!;
    oneF[at + i] = oneF[at + i + 1]!;
  }
}

/** The total weight of the path with element `index` taken out, without changing the path. */
function unwoundSum(at: number, depth: number, index: number): number {
  const one = oneF[at + index]!;
  const zero = zeroF[at + index]!;
  let next = pw[at + depth]!;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const w = (next * (depth + 1)) / ((i + 1) * one);
      total += w;
      next = pw[at + i]! - (w * zero * (depth - i)) / (depth + 1);
    } else if (zero !== 0) {
      total += pw[at + i]! / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

const depths = new WeakMap<CompactTree, number>();

function depthOf(t: CompactTree): number {
  let d = depths.get(t);
  if (d === undefined) {
    d = compactShape(t).depth;
    depths.set(t, d);
  }
  return d;
}

/**
 * Adds one row's contributions through tree `t` to `phi` (features × width, row-major), each
 * scaled by `scale` (1 / trees for a forest's mean).
 */
export function treeShap(
  t: CompactTree,
  width: number,
  x: ArrayLike<number>,
  phi: Float64Array,
  scale = 1,
): void {
  room(depthOf(t));
  const walk = (
    node: number,
    parentAt: number,
    depth: number,
    zero: number,
    one: number,
    feature: number,
  ): void => {
    // This node's path: a copy of the parent's, extended by the split that led here.
    const at = parentAt + depth + 1;
    feat.copyWithin(at, parentAt, parentAt + depth + 1);
    zeroF.copyWithin(at, parentAt, parentAt + depth + 1);
    oneF.copyWithin(at, parentAt, parentAt + depth + 1);
    pw.copyWithin(at, parentAt, parentAt + depth + 1);
    extend(at, depth, zero, one, feature);
    const split = t.feature[node]!;
    if (split < 0) {
      for (let i = 1; i <= depth; i++) {
        const w = unwoundSum(at, depth, i) * (oneF[at + i]! - zeroF[at + i]!) * scale;
        const f = feat[at + i]! * width;
        for (let k = 0; k < width; k++) phi[f + k] = phi[f + k]! + w * t.value[node * width + k]!;
      }
      return;
    }
    const left = goesLeft(t, node, x);
    const hot = left ? t.left[node]! : t.right[node]!;
    const cold = left ? t.right[node]! : t.left[node]!;
    let inZero = 1;
    let inOne = 1;
    let d = depth;
    let seen = -1;
    for (let i = 1; i <= d; i++)
      if (feat[at + i] === split) {
        seen = i;
        break;
      }
    if (seen > 0) {
      inZero = zeroF[at + seen]!;
      inOne = oneF[at + seen]!;
      unwind(at, d, seen);
      d--;
    }
    const cover = t.samples[node]!;
    walk(hot, at, d + 1, (t.samples[hot]! / cover) * inZero, inOne, split);
    walk(cold, at, d + 1, (t.samples[cold]! / cover) * inZero, 0, split);
  };
  walk(0, 0, 0, 1, 1, -1);
}
