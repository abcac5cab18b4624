import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random';
import { nearest, nearestNeighbours, usesTree } from '../../src/core/learners/knn';
import { buildKdTree, searchKdTree } from '../../src/core/learners/knn/kdtree';
import type { Neighbours } from '../../src/core/learners/knn/model';
import { transform, widthOf } from '../../src/core/learners/pipeline';
import type { TrainingSet } from '../../src/core/learners/training';

/** Clustered rows; with `levels`, few distinct values, so that many distances tie. */
function set(seed: number, rows: number, features: number, levels: number): TrainingSet {
  const random = seededRandom(seed);
  const x = new Float64Array(rows * features);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const c = Math.floor(random() * 3);
    y[r] = c;
    for (let j = 0; j < features; j++) {
      const v = c * 2 + (random() + random() + random() - 1.5) * 2;
      x[r * features + j] = levels > 0 ? Math.round(v * levels) / levels : v;
    }
  }
  return { x, rows, features, y, classes: 3 };
}

describe('the k-d tree of nearest neighbours', () => {
  it('finds exactly the rows the brute force finds, ties broken by row order', () => {
    for (const [seed, rows, features, levels] of [
      [1, 3000, 4, 0],
      [2, 2500, 3, 1],
      [3, 2000, 8, 2],
      [4, 1500, 2, 1],
    ] as const) {
      const data = set(seed, rows, features, levels);
      const queries = set(seed + 100, 300, features, levels);
      for (const metric of ['euclidean', 'manhattan'] as const) {
        for (const k of [1, 5, 17]) {
          const params = { ...nearestNeighbours.defaults('classification'), k, metric };
          const m: Neighbours = nearestNeighbours.fit(data, params, { seed: 0 }).fitted;
          expect(usesTree(m)).toBe(true);
          const width = widthOf(m.pipeline);
          const tree = buildKdTree(Float64Array.from(m.design), m.y.length, width);
          const q = transform(m.pipeline, queries.x, queries.rows, queries.features);
          const stack = new Int32Array(tree.start.length + 1);
          const [bi, bd, ti, td] = [
            new Int32Array(k),
            new Float64Array(k),
            new Int32Array(k),
            new Float64Array(k),
          ];
          for (let r = 0; r < queries.rows; r++) {
            nearest(m, q, r * width, bi, bd);
            searchKdTree(tree, k, metric === 'manhattan', q, r * width, ti, td, stack);
            if (metric === 'euclidean') for (let i = 0; i < k; i++) td[i] = Math.sqrt(td[i]!);
            expect(Array.from(ti), `seed ${seed} ${metric} k ${k} row ${r}`).toEqual(
              Array.from(bi),
            );
            expect(Array.from(td)).toEqual(Array.from(bd));
          }
        }
      }
    }
  });

  it('gives the family the same predictions as measuring every row', () => {
    const data = set(9, 4000, 5, 1);
    const queries = set(10, 500, 5, 1);
    const params = {
      ...nearestNeighbours.defaults('classification'),
      k: 7,
      weights: 'distance' as const,
    };
    const m = nearestNeighbours.fit(data, params, { seed: 0 }).fitted;
    const fast = nearestNeighbours.predict(m, queries.x, queries.rows, queries.features, 3);
    // The same model with its tree out of reach: k equal to its rows minus nothing is brute force.
    const width = widthOf(m.pipeline);
    const q = transform(m.pipeline, queries.x, queries.rows, queries.features);
    const index = new Int32Array(7);
    const distance = new Float64Array(7);
    for (let r = 0; r < queries.rows; r++) {
      nearest(m, q, r * width, index, distance);
      const votes = [0, 0, 0];
      const zero = Array.from(distance).some((d) => d === 0);
      for (let i = 0; i < 7; i++)
        votes[m.y[index[i]!]!]! += zero ? (distance[i] === 0 ? 1 : 0) : 1 / distance[i]!;
      const total = votes.reduce((a, b) => a + b, 0);
      for (let c = 0; c < 3; c++)
        expect(fast.probabilities![r * 3 + c]).toBeCloseTo(votes[c]! / total, 12);
    }
  });
});
