/**
 * The presorted workspace of the tree trainers: every feature sorted once (missing last),
 * each node owning the same contiguous range of every sorted order, and a stable partition
 * after each split so children stay sorted for free. Shared by Orpheus's CART and by the
 * ml-cart-rules oracle of the tests.
 */
import { TrainingError, type TrainingSet } from '../training';

export interface FitOptions {
  seed?: number;
  /** Train on these rows only (a fold); all rows when absent. */
  subset?: Int32Array;
  /** Sorted orders of the whole set from `presort`, shared between fits on the same data. */
  orders?: Int32Array[];
  /**
   * A weight per row of the set (a forest's bootstrap counts, times class weights): every
   * impurity, mean and leaf distribution is weighted by it. Rows counts (min rows per leaf)
   * still count rows. All 1 when absent.
   */
  sampleWeight?: Float64Array;
  /**
   * Extra trees: one threshold per feature, drawn at random between the node's smallest and
   * largest value, instead of the best of all thresholds.
   */
  randomThresholds?: boolean;
}

/** Row indices sorted by each feature (missing last, ties in row order). */
export function presort(set: TrainingSet): Int32Array[] {
  const { x, rows, features } = set;
  const orders: Int32Array[] = [];
  const key = new Float64Array(rows);
  for (let f = 0; f < features; f++) {
    let missing = 0;
    for (let r = 0; r < rows; r++) {
      const v = x[r * features + f]!;
      key[r] = v;
      if (Number.isNaN(v)) missing++;
    }
    const order = new Int32Array(rows - missing);
    const tail = new Int32Array(missing);
    for (let r = 0, i = 0, j = 0; r < rows; r++) {
      if (Number.isNaN(key[r]!)) tail[j++] = r;
      else order[i++] = r;
    }
    order.sort((a, b) => key[a]! - key[b]! || a - b);
    const all = new Int32Array(rows);
    all.set(order);
    all.set(tail, order.length);
    orders.push(all);
  }
  return orders;
}

export function checkSet(set: TrainingSet): void {
  if (set.rows === 0) throw new TrainingError('There are no rows to train on.');
  if (set.features === 0) throw new TrainingError('There are no feature columns to train on.');
  if (set.x.length !== set.rows * set.features || set.y.length !== set.rows)
    throw new TrainingError('The feature matrix and the target do not have the same rows.');
  for (let r = 0; r < set.rows; r++) {
    const v = set.y[r]!;
    if (Number.isNaN(v)) throw new TrainingError(`Row ${r + 1} has no target value.`);
    if (set.classes > 0 && (v < 0 || v >= set.classes || !Number.isInteger(v)))
      throw new TrainingError(`Row ${r + 1} has a class code outside 0 … ${set.classes - 1}.`);
  }
}

/**
 * The per-fit working state: column-major values, the sorted orders restricted to the rows
 * trained on, the rows in their original order (ml-cart's arithmetic depends on it), and a
 * scratch buffer for stable partitions.
 */
export class Workspace {
  readonly n: number;
  readonly cols: Float64Array[];
  readonly orders: Int32Array[];
  readonly rows: Int32Array;
  readonly goesLeft: Uint8Array;
  readonly scratch: Int32Array;

  constructor(
    readonly set: TrainingSet,
    options: FitOptions,
  ) {
    const { x, rows, features } = set;
    this.cols = [];
    for (let f = 0; f < features; f++) {
      const col = new Float64Array(rows);
      for (let r = 0; r < rows; r++) col[r] = x[r * features + f]!;
      this.cols.push(col);
    }
    // Random thresholds need no sorted orders: each node scans its own rows once per feature.
    const all = options.randomThresholds ? [] : (options.orders ?? presort(set));
    if (options.subset) {
      const member = new Uint8Array(rows);
      for (const r of options.subset) member[r] = 1;
      this.n = options.subset.length;
      this.rows = Int32Array.from(options.subset).sort();
      this.orders = all.map((o) => {
        const kept = new Int32Array(this.n);
        let i = 0;
        for (const r of o) if (member[r]) kept[i++] = r;
        return kept;
      });
    } else {
      this.n = rows;
      this.rows = new Int32Array(rows).map((_, i) => i);
      this.orders = all.map((o) => o.slice());
    }
    this.goesLeft = new Uint8Array(rows);
    this.scratch = new Int32Array(this.n);
  }

  /** Moves the rows of [s, e) that go left before the others, each side in its order. */
  #stable(o: Int32Array, s: number, e: number): void {
    const { goesLeft, scratch } = this;
    let li = s;
    let ri = 0;
    for (let i = s; i < e; i++) {
      const r = o[i]!;
      if (goesLeft[r]) o[li++] = r;
      else scratch[ri++] = r;
    }
    o.set(scratch.subarray(0, ri), li);
  }

  /** Marks rows of [s, e) that go left, stably partitions every order; returns the left count. */
  partition(s: number, e: number, f: number, threshold: number, missingLeft: boolean): number {
    const col = this.cols[f]!;
    const { goesLeft, rows } = this;
    let nl = 0;
    for (let i = s; i < e; i++) {
      const r = rows[i]!;
      const v = col[r]!;
      const left = Number.isNaN(v) ? missingLeft : v < threshold;
      goesLeft[r] = left ? 1 : 0;
      if (left) nl++;
    }
    this.#stable(rows, s, e);
    for (const o of this.orders) this.#stable(o, s, e);
    return nl;
  }
}
