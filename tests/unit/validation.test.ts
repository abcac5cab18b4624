import { describe, expect, it } from 'vitest';
import { learnerFor } from '../../src/core/learners/registry';
import type { TrainingSet } from '../../src/core/learners/training';
import { seededRandom } from '../../src/core/random';
import { foldScores, prepare } from '../../src/core/train/evaluate';
import {
  bestOfSweep,
  sweepable,
  sweepValues,
  validationPoint,
} from '../../src/core/train/validation';

describe('validation curve', () => {
  it('sweeps a range evenly, or evenly on a log scale, in whole steps for an integer', () => {
    expect(sweepValues({ kind: 'int', low: 1, high: 20, step: 1, log: false })).toEqual([
      1, 3, 5, 7, 9, 12, 14, 16, 18, 20,
    ]);
    // A log range of few whole numbers: each value once.
    expect(sweepValues({ kind: 'int', low: 1, high: 8, step: 1, log: true })).toEqual([
      1, 2, 3, 4, 5, 6, 8,
    ]);
    const c = sweepValues({ kind: 'float', low: 0.01, high: 100, log: true }, 5);
    c.forEach((x, i) => expect(x).toBeCloseTo([0.01, 0.1, 1, 10, 100][i]!, 12));
    expect(sweepValues({ kind: 'float', low: 0, high: 0.02, log: false }, 3)).toEqual([
      0, 0.01, 0.02,
    ]);
  });

  it('offers the numeric settings of a family, not its choices', () => {
    const names = sweepable(learnerFor('decision-tree').defaultSpace('classification'));
    expect(names).toContain('maxDepth');
    expect(names).not.toContain('criterion');
  });

  it('scores each value on the version’s folds: the fold scores are the cross-validation’s own, and a deep tree learns its rows by heart', () => {
    const random = seededRandom(5);
    const rows = 200;
    const x = new Float64Array(rows * 3);
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      for (let f = 0; f < 3; f++) x[r * 3 + f] = random();
      // Half signal, half noise.
      y[r] = x[r * 3]! > 0.5 !== random() < 0.25 ? 1 : 0;
    }
    const set: TrainingSet = { x, rows, features: 3, y, classes: 2 };
    const plan = { folds: 5, testFraction: 0.2, seed: 3 };
    const tree = learnerFor('decision-tree');
    const at = (depth: number) =>
      tree.withParams({ maxDepth: depth }, tree.defaults('classification') as never) as never;
    const shallow = validationPoint(set, 'decision-tree', at(1), plan, 'accuracy', 1);
    const deep = validationPoint(set, 'decision-tree', at(20), plan, 'accuracy', 20);
    expect(deep.train).toBe(1);
    expect(deep.test).toBeLessThan(deep.train);
    expect(shallow.train).toBeLessThan(deep.train);
    // The cross-validated score at a value is the mean of the folds' scores with those settings.
    const prep = prepare(set, plan);
    const folds = prep.folds.map((_, k) => foldScores(prep, tree, at(20), k).accuracy!);
    expect(deep.test).toBeCloseTo(folds.reduce((a, b) => a + b, 0) / folds.length, 12);
    // On noisy rows the shallow tree generalises better.
    expect(bestOfSweep([shallow, deep], 'accuracy')).toBe(1);
    expect(bestOfSweep([], 'accuracy')).toBeNull();
  });
});
