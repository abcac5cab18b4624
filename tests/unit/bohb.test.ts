import { describe, expect, it } from 'vitest';
import {
  bohbModel,
  fromUnit,
  kdePdf,
  normalReference,
  suggestBohb,
  toUnit,
  type BudgetObservation,
} from '../../src/core/search/bohb';
import { seededRandom } from '../../src/core/random';
import { sampleRandom } from '../../src/core/search/draw';
import {
  acrossFamilies,
  contains,
  type Params,
  type SearchSpace,
} from '../../src/core/search/space';

const SPACE: SearchSpace = {
  x: { kind: 'float', low: -5, high: 5, log: false },
  c: { kind: 'float', low: 1e-3, high: 10, log: true },
  k: { kind: 'int', low: 1, high: 9, step: 1, log: false },
  e: { kind: 'categorical', choices: ['p', 'q', 'r'] },
};
const bowl = (p: Params): number =>
  ((p['x'] as number) - 1) ** 2 +
  Math.log10(p['c'] as number) ** 2 +
  Math.abs((p['k'] as number) - 7) +
  (p['e'] === 'q' ? 0 : 2);

describe('BOHB', () => {
  it('maps settings to the unit cube and back, as ConfigSpace does', () => {
    expect(toUnit(SPACE['x']!, 0)).toBeCloseTo(0.5);
    expect(toUnit(SPACE['c']!, 0.1)).toBeCloseTo(0.5);
    // Whole numbers over [low − ½, high + ½]: 1 → 0.5 / 9, 9 → 8.5 / 9.
    expect(toUnit(SPACE['k']!, 1)).toBeCloseTo(0.5 / 9);
    expect(toUnit(SPACE['e']!, 'r')).toBe(2);
    for (const name of Object.keys(SPACE)) {
      const random = seededRandom(3);
      for (let i = 0; i < 20; i++) {
        const v = sampleRandom({ [name]: SPACE[name]! }, random)[name]!;
        const back = fromUnit(SPACE[name]!, toUnit(SPACE[name]!, v));
        if (typeof v === 'number') expect(back as number).toBeCloseTo(v, 9);
        else expect(back).toBe(v);
      }
    }
  });

  it('has statsmodels’ normal reference bandwidths and product kernels, worked by hand', () => {
    // σ = 0.5 (ddof 0), n = 2, d = 1: 1.06 · 0.5 · 2^(−1/5).
    expect(normalReference([[0], [1]])[0]).toBeCloseTo(1.06 * 0.5 * 2 ** -0.2, 12);
    const kde = { data: [[0.5, 1]], bw: [0.1, 0.2], levels: [0, 3] };
    expect(kdePdf(kde, [0.5, 1])).toBeCloseTo((1 / (Math.sqrt(2 * Math.PI) * 0.1)) * 0.8, 10);
    expect(kdePdf(kde, [0.6, 0])).toBeCloseTo(
      (Math.exp(-0.5) / (Math.sqrt(2 * Math.PI) * 0.1)) * 0.1,
      10,
    );
  });

  it('fits its models on the largest budget with enough observations', () => {
    const random = seededRandom(1);
    const at = (budget: number, n: number): BudgetObservation[] =>
      Array.from({ length: n }, () => {
        const params = sampleRandom(SPACE, random);
        return { params, budget, loss: bowl(params) };
      });
    // d = 4: a model needs d + 1 = 5 observations, and more than 4 in each of l and g.
    const low = at(1 / 3, 12);
    expect(bohbModel(SPACE, low.slice(0, 9), random)).toBeNull();
    expect(bohbModel(SPACE, low.slice(0, 10), random)!.budget).toBe(1 / 3);
    const some = at(1, 9);
    expect(bohbModel(SPACE, [...low, ...some], random)!.budget).toBe(1 / 3);
    const model = bohbModel(SPACE, [...low, ...some, ...at(1, 1)], random)!;
    expect(model.budget).toBe(1);
    expect(model.good.data).toHaveLength(5);
    expect(model.bad.data).toHaveLength(5);
  });

  it('proposes better settings than random once it has a model, a third of them at random', () => {
    const run = (model: boolean, seed: number): number[] => {
      const random = seededRandom(seed);
      const observations: BudgetObservation[] = [];
      const losses: number[] = [];
      for (let i = 0; i < 60; i++) {
        const params = model
          ? suggestBohb(SPACE, observations, random)
          : sampleRandom(SPACE, random);
        for (const n of Object.keys(params)) expect(contains(SPACE[n]!, params[n]!)).toBe(true);
        const loss = bowl(params);
        observations.push({ params, budget: 1, loss });
        losses.push(loss);
      }
      return losses.slice(30);
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const seeds = [1, 2, 3, 4, 5, 6];
    const bohb = median(seeds.flatMap((s) => run(true, s)));
    const random = median(seeds.flatMap((s) => run(false, s)));
    expect(bohb).toBeLessThan(random * 0.6);
  });

  it('never proposes a setting outside its family in a cross-family space', () => {
    const space = acrossFamilies({
      a: { x: SPACE['x']!, e: SPACE['e']! },
      b: { c: SPACE['c']!, k: SPACE['k']! },
    });
    const random = seededRandom(7);
    const observations: BudgetObservation[] = [];
    for (let i = 0; i < 60; i++) {
      const params = suggestBohb(space, observations, random);
      const family = params['family'] as string;
      expect(Object.keys(params).sort()).toEqual(
        family === 'a' ? ['a.e', 'a.x', 'family'] : ['b.c', 'b.k', 'family'],
      );
      const loss = family === 'a' ? Math.abs((params['a.x'] as number) - 1) : 5;
      observations.push({ params, budget: 1, loss });
    }
    expect(bohbModel(space, observations, random)).not.toBeNull();
    const late = observations.slice(40).filter((o) => o.params['family'] === 'a').length;
    expect(late).toBeGreaterThan(12);
  });
});
