import { describe, expect, it } from 'vitest';
import {
  bracketOf,
  bracketsOf,
  crc32,
  rungCounts,
  sameBracket,
  trialHalving,
} from '../../src/core/search/hyperband';
import { halving, promotable } from '../../src/core/search/pruning';
import { suggest, type Observation } from '../../src/core/search/samplers';
import type { Params, SearchSpace } from '../../src/core/search/space';

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

  it('promotes a trial against its own bracket on a fixed history', () => {
    const h = { ...halving(3, 3), hyperband: true };
    const b = bracketsOf(h);
    const inBracket = (id: number) =>
      Array.from({ length: 60 }, (_, n) => n).filter((n) => bracketOf('s', n, b) === id);
    const zero = inBracket(0);
    const one = inBracket(1);
    // Bracket 0 has scored 0.9, 0.8, 0.7 at its first rung; bracket 1 has 0.99 at its first.
    const history = [
      { number: zero[0]!, intermediate: [0.9] },
      { number: zero[1]!, intermediate: [0.8] },
      { number: zero[2]!, intermediate: [0.7] },
      { number: one[0]!, intermediate: [0.99] },
    ];
    const newcomer = zero[3]!;
    const peers = sameBracket(h, 's', history, newcomer).map((t) => t.intermediate[0]!);
    expect(peers).toEqual([0.9, 0.8, 0.7]);
    // Among 0.9, 0.8, 0.7, 0.85: the best ⌊4/3⌋ = 1 goes on; 0.85 is not it …
    expect(promotable(0.85, peers, 3, 'maximize')).toBe(false);
    expect(promotable(0.95, peers, 3, 'maximize')).toBe(true);
    // … and bracket 1's 0.99 is no competitor: against every trial 0.95 would be stopped.
    expect(promotable(0.95, [...peers, 0.99, 0.98], 3, 'maximize')).toBe(false);
    // Without Hyperband every trial is a peer.
    expect(sameBracket(halving(3, 3), 's', history, newcomer)).toHaveLength(4);
  });

  it('a study resumed mid-bracket suggests what an uninterrupted one would', () => {
    const h = { ...halving(3, 3), hyperband: true };
    const space: SearchSpace = {
      depth: { kind: 'int', low: 1, high: 12, step: 1, log: false },
      leaf: { kind: 'float', low: 0.01, high: 1, log: true },
    };
    const f = (p: Params) =>
      -Math.abs((p['depth'] as number) - 8) - Math.abs(Math.log(p['leaf'] as number));
    const step = (history: Observation[], n: number): Observation => {
      const params = suggest('tpe', {
        space,
        history: sameBracket(h, 'study', history, n),
        direction: 'maximize',
        seed: 5,
        trialNumber: n,
      })!;
      const rungs = trialHalving(h, bracketOf('study', n, bracketsOf(h))).rungs;
      return {
        number: n,
        params,
        state: 'complete',
        value: f(params),
        intermediate: rungs.map(() => f(params)),
      };
    };
    const straight: Observation[] = [];
    for (let n = 0; n < 40; n++) straight.push(step(straight, n));
    // Stopped after 23 trials (a bracket half full) and resumed from the stored ones.
    const resumed = straight.slice(0, 23).map((t) => ({ ...t }));
    for (let n = 23; n < 40; n++) resumed.push(step(resumed, n));
    expect(resumed.map((t) => t.params)).toEqual(straight.map((t) => t.params));
    // Each trial's schedule is its bracket's.
    expect(new Set(straight.map((t) => t.intermediate.length))).toEqual(new Set([1, 2, 3]));
  });
});
