/**
 * Random forests and extra trees on Orpheus's CART, with scikit-learn's rules: each tree
 * trained on a bootstrap sample of the rows (drawn with replacement, as many as there are
 * rows; the counts become row weights) or on every row, a fresh random subset of features at
 * every split, and for extra trees one random threshold per feature. Probabilities are the
 * mean of the trees' leaf probabilities; a regression is the mean of their values. Each tree
 * draws from its own seed (the version's seed and the tree's number), so a forest is the same
 * whichever worker trains which tree.
 */
import { seededRandom } from '../../random';
import { fitCompactCart, type CartParams } from '../tree/cart';
import type { TrainingSet } from '../training';
import { leafOf, type CompactTree } from './compact';

export interface ForestOptions {
  trees: number;
  bootstrap: boolean;
  /** 'balanced' from the rows trained on; 'balanced_subsample' from each bootstrap sample. */
  classWeight: 'none' | 'balanced' | 'balanced_subsample';
  randomThresholds: boolean;
  /** The tree settings of every tree (its own class weight is left at 'none'). */
  tree: CartParams;
}

export interface Forest {
  /** Classes (0 for regression). */
  classes: number;
  trees: CompactTree[];
  /** The out-of-bag score (accuracy or R²) and on how many rows; null without bootstrap. */
  oob: { score: number; rows: number } | null;
}

/** The seed of tree `t` of a forest seeded `seed`: independent of the order trees are trained in. */
export function treeSeed(seed: number, t: number): number {
  let h = (seed ^ Math.imul(t + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/** Per-class weights n / (k · count) over the given row weights (1 each when null), as scikit-learn's "balanced". */
function balancedWeights(
  set: TrainingSet,
  rows: Int32Array,
  counts: Float64Array | null,
): Float64Array {
  const k = set.classes;
  const byClass = new Float64Array(k);
  let n = 0;
  for (const r of rows) {
    const c = counts ? counts[r]! : 1;
    byClass[set.y[r]!]! += c;
    n += c;
  }
  return byClass.map((c) => (c > 0 ? n / (k * c) : 0));
}

export interface TreeFit {
  tree: CompactTree;
  importances: number[];
  /** The rows of the subset this tree did not see (out of bag), or null without bootstrap. */
  outOfBag: Int32Array | null;
  /**
   * The leaf each of those rows reaches, found where the tree was trained (in its worker), so
   * the out-of-bag score that joins all trees only adds up leaf values.
   */
  outOfBagLeaves: Int32Array | null;
}

/** Trains tree `t` of a forest on the given rows. */
export function fitForestTree(
  set: TrainingSet,
  rows: Int32Array,
  options: ForestOptions,
  seed: number,
  t: number,
  orders?: Int32Array[],
): TreeFit {
  const random = seededRandom(treeSeed(seed, t));
  const n = rows.length;
  const counts = new Float64Array(set.rows);
  let bag: Int32Array = rows;
  let outOfBag: Int32Array | null = null;
  if (options.bootstrap) {
    for (let i = 0; i < n; i++) counts[rows[Math.floor(random() * n)]!]!++;
    const inBag: number[] = [];
    const out: number[] = [];
    for (const r of rows) (counts[r]! > 0 ? inBag : out).push(r);
    bag = Int32Array.from(inBag);
    outOfBag = Int32Array.from(out);
  } else {
    for (const r of rows) counts[r] = 1;
  }
  if (set.classes > 0 && options.classWeight !== 'none') {
    const cw =
      options.classWeight === 'balanced'
        ? balancedWeights(set, rows, null)
        : balancedWeights(set, bag, counts);
    for (const r of bag) counts[r]! *= cw[set.y[r]!]!;
  }
  const fitted = fitCompactCart(
    set,
    { ...options.tree, classWeight: 'none' },
    {
      seed: Math.floor(random() * 4294967296),
      subset: bag,
      ...(orders ? { orders } : {}),
      sampleWeight: counts,
      randomThresholds: options.randomThresholds,
    },
  );
  const tree = fitted.tree;
  const outOfBagLeaves = outOfBag
    ? Int32Array.from(outOfBag, (r) => leafOf(tree, set.x, r * set.features))
    : null;
  return { tree, importances: fitted.importances, outOfBag, outOfBagLeaves };
}

/** Sums the trees' leaf values for every row of a row-major matrix (probabilities or values). */
export function sumLeaves(
  trees: readonly CompactTree[],
  x: Float64Array,
  rows: number,
  features: number,
  width: number,
): Float64Array {
  const out = new Float64Array(rows * width);
  for (const t of trees) {
    for (let r = 0; r < rows; r++) {
      const leaf = leafOf(t, x, r * features);
      for (let c = 0; c < width; c++) out[r * width + c]! += t.value[leaf * width + c]!;
    }
  }
  return out;
}

/** Accuracy or R² of the out-of-bag predictions: each row judged by the trees that did not see it. */
export function outOfBagScore(
  set: TrainingSet,
  fits: readonly TreeFit[],
): { score: number; rows: number } | null {
  const width = Math.max(1, set.classes);
  const sums = new Float64Array(set.rows * width);
  const votes = new Int32Array(set.rows);
  for (const f of fits) {
    if (!f.outOfBag || !f.outOfBagLeaves) return null;
    const leaves = f.outOfBagLeaves;
    f.outOfBag.forEach((r, i) => {
      const leaf = leaves[i]!;
      for (let c = 0; c < width; c++) sums[r * width + c]! += f.tree.value[leaf * width + c]!;
      votes[r]!++;
    });
  }
  let rows = 0;
  let hit = 0;
  let sumY = 0;
  const judged: number[] = [];
  for (let r = 0; r < set.rows; r++) {
    if (votes[r] === 0) continue;
    rows++;
    judged.push(r);
    if (set.classes > 0) {
      let best = 0;
      for (let c = 1; c < width; c++) if (sums[r * width + c]! > sums[r * width + best]!) best = c;
      if (best === set.y[r]) hit++;
    } else sumY += set.y[r]!;
  }
  if (rows === 0) return null;
  if (set.classes > 0) return { score: hit / rows, rows };
  const mean = sumY / rows;
  let ssRes = 0;
  let ssTot = 0;
  for (const r of judged) {
    const d = set.y[r]! - sums[r]! / votes[r]!;
    ssRes += d * d;
    ssTot += (set.y[r]! - mean) ** 2;
  }
  return { score: ssTot > 0 ? 1 - ssRes / ssTot : 0, rows };
}

/** Mean of the trees' importances, normalised to sum to 1, as scikit-learn's forests report them. */
export function meanImportances(fits: readonly TreeFit[], features: number): number[] {
  const out = new Array<number>(features).fill(0);
  for (const f of fits) f.importances.forEach((x, i) => (out[i]! += x));
  const total = out.reduce((a, b) => a + b, 0);
  return out.map((x) => (total > 0 ? x / total : 0));
}
