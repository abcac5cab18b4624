import { describe, expect, it } from 'vitest';
import {
  bracketOf,
  bracketsOf,
  crc32,
  rungCounts,
  trialHalving,
} from '../../src/core/search/hyperband';
import { halving } from '../../src/core/search/pruning';

describe('Hyperband', () => {
  it('has log_η(max / min) + 1 brackets with Optuna’s trial budgets, worked by hand', () => {
    // η = 3 from 1/9 of the rows to all: ⌊log₃ 9⌋ + 1 = 3 brackets; budget ⌈3·3^s / (s + 1)⌉.
    const h = { ...halving(3, 3), hyperband: true };
    expect(bracketsOf(h)).toEqual([
      { id: 0, rungs: [1 / 9, 1 / 3, 1], budget: 9 },
      { id: 1, rungs: [1 / 3, 1], budget: 5 },
      { id: 2, rungs: [1], budget: 3 },
    ]);
    // η = 2 over 1/8 … 1: four brackets, budgets ⌈4·8/4⌉, ⌈4·4/3⌉, ⌈4·2/2⌉, ⌈4·1/1⌉.
    expect(bracketsOf({ ...halving(2, 4), hyperband: true }).map((b) => b.budget)).toEqual([
      8, 6, 4, 4,
    ]);
    // Without Hyperband: one bracket, plain successive halving.
    expect(bracketsOf(halving(3, 3))).toEqual([{ id: 0, rungs: [1 / 9, 1 / 3, 1], budget: 1 }]);
    expect(trialHalving(h, 1)).toEqual({ eta: 3, rungs: [1 / 3, 1] });
  });

  it('assigns trials to brackets by crc32 of "<study>_<number>", as Optuna does', () => {
    // Python's binascii.crc32 of the same strings.
    expect(crc32('Iris search_0')).toBe(2253258508);
    expect(crc32('Iris search_1')).toBe(4048211866);
    expect(crc32('a_0')).toBe(2913863986);
    expect(crc32('héllo')).toBe(2654700086);
    const b = bracketsOf({ ...halving(3, 3), hyperband: true });
    // 2253258508 % 17 = 2 → bracket 0 (budget 9); 4048211866 % 17 = 13 → bracket 1 (9 ≤ 13 < 14).
    expect(bracketOf('Iris search', 0, b)).toBe(0);
    expect(bracketOf('Iris search', 1, b)).toBe(1);
    // Over many trials the shares follow the budgets 9 : 5 : 3.
    const counts = [0, 0, 0];
    for (let n = 0; n < 3400; n++) counts[bracketOf('Iris search', n, b)]!++;
    expect(counts[0]! / 3400).toBeCloseTo(9 / 17, 1);
    expect(counts[1]! / 3400).toBeCloseTo(5 / 17, 1);
    expect(counts[2]! / 3400).toBeCloseTo(3 / 17, 1);
  });

  it('counts who reached and who passed each rung of each bracket', () => {
    const h = { ...halving(3, 3), hyperband: true };
    const b = bracketsOf(h);
    const byBracket = [0, 1, 2].map((id) =>
      Array.from({ length: 40 }, (_, n) => n).filter((n) => bracketOf('s', n, b) === id),
    );
    const trials = [
      // Bracket 0: one stopped at ⅑, one at ⅓, one complete.
      { number: byBracket[0]![0]!, intermediate: [0.5], state: 'pruned' },
      { number: byBracket[0]![1]!, intermediate: [0.6, 0.7], state: 'pruned' },
      { number: byBracket[0]![2]!, intermediate: [0.6, 0.8, 0.9], state: 'complete' },
      // Bracket 2: every trial on all rows.
      { number: byBracket[2]![0]!, intermediate: [0.85], state: 'complete' },
    ];
    const view = rungCounts(h, 's', trials);
    expect(view.map((v) => v.trials)).toEqual([3, 0, 1]);
    expect(view[0]!.rungs).toEqual([
      { share: 1 / 9, reached: 3, promoted: 2 },
      { share: 1 / 3, reached: 2, promoted: 1 },
      { share: 1, reached: 1, promoted: 1 },
    ]);
    expect(view[2]!.rungs).toEqual([{ share: 1, reached: 1, promoted: 1 }]);
  });
});
