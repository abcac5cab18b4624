import { describe, expect, it } from 'vitest';
import { averageRanks, foldPrune, signedRankPmf, wilcoxon } from '../../src/core/search/wilcoxon';

describe('the Wilcoxon signed-rank test', () => {
  it('has SciPy 1.10’s p-values (zero_method="zsplit"), exact and approximate', () => {
    // Each row: differences, alternative, SciPy's statistic and p-value.
    const table: [number[], 'less' | 'greater', number, number][] = [
      [[-0.01, -0.02, -0.03], 'less', 0, 0.125],
      [[-0.01, -0.02, -0.03, -0.04, -0.05], 'less', 0, 0.03125],
      [[-0.01, 0.02, -0.03, -0.04], 'less', 2, 0.1875],
      [[0.01, 0.02, -0.005], 'greater', 5, 0.25],
      // A zero: the normal approximation with the tie correction.
      [[-0.01, -0.01, -0.02, 0, -0.03], 'less', 0.5, 0.02895363270864864],
      [[0, 0, -0.01], 'less', 1.5, 0.2071080891212626],
      // Ties without zeros: still exact, on the truncated rank sum.
      [[-0.02, -0.02, -0.02, -0.02], 'less', 0, 0.0625],
      [[0.03, -0.01, 0.02, 0.05, 0.04, -0.02], 'greater', 17.5, 0.109375],
    ];
    for (const [d, alternative, statistic, p] of table) {
      const r = wilcoxon(d, alternative);
      expect(r.statistic).toBeCloseTo(statistic, 12);
      expect(r.p).toBeCloseTo(p, 12);
    }
  });

  it('ranks ties by their mean rank and counts rank sums exactly', () => {
    expect(averageRanks([0.3, 0.1, 0.2, 0.1])).toEqual([4, 1.5, 3, 1.5]);
    const pmf = signedRankPmf(3);
    // Subsets of {1, 2, 3} by sum: 0, 1, 2, 3 (twice), 4, 5, 6.
    expect(Array.from(pmf, (x) => x * 8)).toEqual([1, 1, 1, 2, 1, 1, 1]);
  });

  it('stops a trial as Optuna’s WilcoxonPruner does', () => {
    const best = [0.95, 0.96, 0.94, 0.97, 0.95];
    // Worse on each of the first four folds: p = 1/16 < 0.1.
    expect(foldPrune([0.9, 0.91, 0.9, 0.92], best, 'maximize', 0.1)).toBe(true);
    // Three folds are not enough at this threshold (p = 1/8), nor is one fold ever.
    expect(foldPrune([0.9, 0.91, 0.9], best, 'maximize', 0.1)).toBe(false);
    expect(foldPrune([0.1], best, 'maximize', 0.5)).toBe(false);
    // Better than the best: never stopped.
    expect(foldPrune([0.99, 0.99, 0.99, 0.99], best, 'maximize', 0.1)).toBe(false);
    // Minimising: higher is worse.
    expect(foldPrune([1.2, 1.3, 1.25, 1.4], [1, 1.1, 1, 1.2, 1], 'minimize', 0.1)).toBe(true);
    // A NaN fold: no decision.
    expect(foldPrune([0.9, NaN, 0.9, 0.92], best, 'maximize', 0.1)).toBe(false);
  });
});
