import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bayesianCorrelatedTTest,
  correctedTTest,
  differences,
  verdictOf,
} from '../../src/core/compare/significance';
import { repeatFolds, repeatScores } from '../../src/core/compare/repeated';
import { seededRandom } from '../../src/core/random';
import type { TrainingSet } from '../../src/core/learners/training';
import { learnerFor } from '../../src/core/learners/registry';

/** Paired fold scores and SciPy's tests on them, from tests/fixtures/make-significance.py. */
interface Case {
  name: string;
  repeats: number;
  folds: number;
  margin: number;
  a: number[];
  b: number[];
  mean: number;
  t: number;
  p: number;
  worse: number;
  equivalent: number;
  better: number;
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/significance-scipy.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

describe('significance, against SciPy', () => {
  for (const c of fixture.cases)
    it(c.name, () => {
      const d = differences(c.a, c.b, true);
      const t = correctedTTest(d, 1 / (c.folds - 1));
      expect(Math.abs(t.mean - c.mean)).toBeLessThan(1e-12);
      expect(Math.abs(t.t - c.t)).toBeLessThan(1e-9);
      expect(Math.abs(t.p - c.p)).toBeLessThan(1e-9);
      expect(t.df).toBe(c.repeats * c.folds - 1);
      const b = bayesianCorrelatedTTest(d, 1 / c.folds, c.margin);
      expect(Math.abs(b.worse - c.worse)).toBeLessThan(1e-9);
      expect(Math.abs(b.equivalent - c.equivalent)).toBeLessThan(1e-9);
      expect(Math.abs(b.better - c.better)).toBeLessThan(1e-9);
    });
});

describe('significance, by hand', () => {
  it('turns the differences so that positive means better, for a loss as for a score', () => {
    expect(differences([0.8, 0.9], [0.85, 0.95], true).map((x) => +x.toFixed(9))).toEqual([
      0.05, 0.05,
    ]);
    expect(differences([0.5, 0.4], [0.3, 0.2], false).map((x) => +x.toFixed(9))).toEqual([
      0.2, 0.2,
    ]);
    expect(() => differences([1], [1, 2], true)).toThrow(/same folds/);
  });

  it('corrects the variance: the same differences are less significant than a naive t-test says', () => {
    const random = seededRandom(3);
    const d = Array.from({ length: 100 }, () => 0.004 + (random() - 0.5) * 0.04);
    const corrected = correctedTTest(d, 1 / 9);
    const naive = correctedTTest(d, 0);
    expect(corrected.p).toBeGreaterThan(naive.p);
    expect(Math.abs(corrected.t)).toBeLessThan(Math.abs(naive.t));
  });

  it('reads a verdict at the chosen level, and no spread as certainty', () => {
    expect(verdictOf(correctedTTest([0.02, 0.021, 0.019, 0.02, 0.022], 0.25), 0.05)).toBe('better');
    expect(verdictOf(correctedTTest([-0.02, -0.021, -0.019, -0.02, -0.022], 0.25), 0.05)).toBe(
      'worse',
    );
    expect(verdictOf(correctedTTest([0.02, -0.021, 0.019, -0.02, 0.001], 0.25), 0.05)).toBe('same');
    expect(correctedTTest([0, 0, 0], 0.5).p).toBe(1);
    expect(correctedTTest([0.1, 0.1, 0.1], 0.5).p).toBe(0);
    expect(bayesianCorrelatedTTest([0, 0, 0], 0.5, 0.01)).toEqual({
      worse: 0,
      equivalent: 1,
      better: 0,
    });
    expect(bayesianCorrelatedTTest([0.1, 0.1], 0.5, 0.01)).toEqual({
      worse: 0,
      equivalent: 0,
      better: 1,
    });
  });

  it('the three probabilities of the Bayesian test sum to 1, and a wider margin makes equivalence likelier', () => {
    const d = [0.01, 0.03, -0.005, 0.02, 0.015, 0.0, 0.025, 0.01, 0.005, 0.02];
    const narrow = bayesianCorrelatedTTest(d, 0.1, 0.001);
    const wide = bayesianCorrelatedTTest(d, 0.1, 0.05);
    expect(narrow.worse + narrow.equivalent + narrow.better).toBeCloseTo(1, 12);
    expect(wide.equivalent).toBeGreaterThan(narrow.equivalent);
  });
});

describe('repeated cross-validation', () => {
  /** Two features, the first tells the class; 60 rows, 3 classes. */
  function set(): TrainingSet {
    const random = seededRandom(11);
    const rows = 60;
    const x = new Float64Array(rows * 2);
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      y[r] = r % 3;
      x[r * 2] = y[r]! + random() * 0.8;
      x[r * 2 + 1] = random();
    }
    return { x, rows, features: 2, y, classes: 3 };
  }

  it('deals every row to one fold of each repeat, stratified, and the repeats differ', () => {
    const s = set();
    const plan = { repeats: 3, folds: 5, seed: 4 };
    const seen: string[] = [];
    for (let r = 0; r < plan.repeats; r++) {
      const folds = repeatFolds(s, plan, r);
      expect(folds).toHaveLength(5);
      const all = folds.flatMap((f) => Array.from(f)).sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: 60 }, (_, i) => i));
      for (const f of folds)
        for (let c = 0; c < 3; c++)
          expect(Array.from(f).filter((row) => s.y[row] === c)).toHaveLength(4);
      seen.push(JSON.stringify(folds.map((f) => Array.from(f))));
      // The same plan and repeat give the same folds.
      expect(JSON.stringify(repeatFolds(s, plan, r).map((f) => Array.from(f)))).toBe(seen[r]);
    }
    expect(new Set(seen).size).toBe(3);
  });

  it('scores each fold of a repeat with the fit on the other folds', () => {
    const s = set();
    const plan = { repeats: 2, folds: 4, seed: 1 };
    const tree = repeatScores(
      s,
      'decision-tree',
      { ...learnerFor('decision-tree').defaults('classification'), maxDepth: 2 },
      plan,
      1,
      5,
    );
    const baseline = repeatScores(
      s,
      'baseline',
      learnerFor('baseline').defaults('classification'),
      plan,
      1,
      5,
    );
    expect(tree).toHaveLength(4);
    // The first feature tells the class: the tree beats guessing on every fold.
    tree.forEach((f, k) => expect(f.accuracy!).toBeGreaterThan(baseline[k]!.accuracy!));
    expect(baseline.every((f) => Math.abs(f.accuracy! - 1 / 3) < 1e-9)).toBe(true);
  });
});
