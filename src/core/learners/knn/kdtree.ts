/**
 * A k-d tree over a model's training rows, for exact nearest-neighbour search: the rows are
 * split at the median of their widest column until a leaf holds a few dozen, each node keeps the
 * bounding box of its rows, and a search skips every node whose box is farther than the k-th
 * distance found so far. The answer is the brute force's, to the bit: a distance is summed over
 * the columns in the same order, and among equal distances the earlier training row wins.
 */
import { distanceUpTo, offer } from './closest';

/** Rows per leaf: below this, measuring every row costs less than deciding which to skip. */
const LEAF = 32;

export interface KdTree {
  width: number;
  /** The training rows in tree order (row-major), and each one's index in the model. */
  data: Float64Array;
  order: Int32Array;
  /** Per node: its rows [start, end) in tree order, its children (−1 at a leaf), its box. */
  start: Int32Array;
  end: Int32Array;
  left: Int32Array;
  right: Int32Array;
  /** nodes × width: the smallest and largest value of each column among the node's rows. */
  low: Float64Array;
  high: Float64Array;
}

/** Builds the tree of `rows` rows of `width` columns (row-major). */
export function buildKdTree(design: Float64Array, rows: number, width: number): KdTree {
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const maxNodes = Math.max(1, 2 * Math.ceil(rows / (LEAF / 2)));
  const start = new Int32Array(maxNodes);
  const end = new Int32Array(maxNodes);
  const left = new Int32Array(maxNodes).fill(-1);
  const right = new Int32Array(maxNodes).fill(-1);
  const low = new Float64Array(maxNodes * width);
  const high = new Float64Array(maxNodes * width);
  let nodes = 0;
  const keys = new Float64Array(rows);

  const make = (s: number, e: number): number => {
    const id = nodes++;
    start[id] = s;
    end[id] = e;
    // The node's box, and its widest column.
    let widest = 0;
    let spread = -1;
    for (let j = 0; j < width; j++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = s; i < e; i++) {
        const x = design[order[i]! * width + j]!;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      low[id * width + j] = lo;
      high[id * width + j] = hi;
      if (hi - lo > spread) {
        spread = hi - lo;
        widest = j;
      }
    }
    if (e - s <= LEAF || !(spread > 0)) return id;
    // Median split of the widest column (rows sorted by it, ties by their index).
    const part = order.subarray(s, e);
    for (let i = s; i < e; i++) keys[order[i]!] = design[order[i]! * width + widest]!;
    part.sort((a, b) => keys[a]! - keys[b]! || a - b);
    const mid = s + ((e - s) >> 1);
    left[id] = make(s, mid);
    right[id] = make(mid, e);
    return id;
  };
  if (rows > 0) make(0, rows);

  const data = new Float64Array(rows * width);
  for (let i = 0; i < rows; i++)
    data.set(design.subarray(order[i]! * width, (order[i]! + 1) * width), i * width);
  return { width, data, order, start, end, left, right, low, high };
}

/**
 * The k nearest rows of one query row (`query[at … at + width)`): their model indices and
 * squared Euclidean (or Manhattan) distances, nearest first, earlier rows first among equals.
 * `index` and `distance` hold k entries; `stack` is scratch of at least the tree's node count.
 */
export function searchKdTree(
  t: KdTree,
  k: number,
  manhattan: boolean,
  query: Float64Array,
  at: number,
  index: Int32Array,
  distance: Float64Array,
  stack: Int32Array,
): void {
  const { width, data, order } = t;
  let filled = 0;
  let worst = Infinity;
  let top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const node = stack[--top]!;
    // The box's nearest point: nothing in it is nearer than this.
    if (boxGap(t, node, query, at, manhattan, worst) > worst) continue;
    const l = t.left[node]!;
    if (l >= 0) {
      const r = t.right[node]!;
      // The nearer child last on the stack, so it is searched first.
      const nearL = boxGap(t, l, query, at, manhattan) <= boxGap(t, r, query, at, manhattan);
      stack[top++] = nearL ? r : l;
      stack[top++] = nearL ? l : r;
      continue;
    }
    for (let i = t.start[node]!; i < t.end[node]!; i++) {
      const d = distanceUpTo(query, at, data, i * width, width, manhattan, worst);
      filled = offer(index, distance, k, filled, d, order[i]!);
      if (filled === k) worst = distance[k - 1]!;
    }
  }
}

/**
 * How far a query is from a node's box (the distance to its nearest point), summed over the
 * columns in order like a row's distance, so it is never above any row's in the box; once it
 * passes `limit` it stops and returns the sum so far.
 */
function boxGap(
  t: KdTree,
  node: number,
  query: Float64Array,
  at: number,
  manhattan: boolean,
  limit = Infinity,
): number {
  const o = node * t.width;
  let s = 0;
  for (let j = 0; j < t.width && s <= limit; j++) {
    const q = query[at + j]!;
    const lo = t.low[o + j]!;
    const hi = t.high[o + j]!;
    const gap = q < lo ? lo - q : q > hi ? q - hi : 0;
    s += manhattan ? gap : gap * gap;
  }
  return s;
}
