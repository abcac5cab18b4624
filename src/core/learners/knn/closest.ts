/**
 * What every nearest-neighbour search shares, the brute force and the k-d tree: a row's
 * distance summed over the columns in order (so both find the same bits), stopped once it
 * passes the k-th distance so far, and the list of the k nearest, by distance and then by row.
 */

/**
 * The squared Euclidean (or Manhattan) distance from `query[at …]` to `rows[base …]` over
 * `width` columns; once the sum passes `limit` it stops and returns the sum so far.
 */
export function distanceUpTo(
  query: Float64Array,
  at: number,
  rows: Float64Array,
  base: number,
  width: number,
  manhattan: boolean,
  limit: number,
): number {
  let d = 0;
  if (manhattan) {
    for (let j = 0; j < width && d <= limit; j++) d += Math.abs(query[at + j]! - rows[base + j]!);
  } else {
    for (let j = 0; j < width && d <= limit; j++) {
      const x = query[at + j]! - rows[base + j]!;
      d += x * x;
    }
  }
  return d;
}

/**
 * Offers training row `row` at distance `d` to the `filled` nearest so far (`index`,
 * `distance`, at most k, nearest first; of equal distances the earlier row first). Returns how
 * many are held now.
 */
export function offer(
  index: Int32Array,
  distance: Float64Array,
  k: number,
  filled: number,
  d: number,
  row: number,
): number {
  if (filled === k) {
    const worst = distance[k - 1]!;
    if (d > worst || (d === worst && row > index[k - 1]!)) return filled;
  }
  let p = filled < k ? filled++ : k - 1;
  while (p > 0 && (distance[p - 1]! > d || (distance[p - 1] === d && index[p - 1]! > row))) {
    distance[p] = distance[p - 1]!;
    index[p] = index[p - 1]!;
    p--;
  }
  distance[p] = d;
  index[p] = row;
  return filled;
}
