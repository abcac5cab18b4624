import { describe, expect, it } from 'vitest';
import {
  defaultTrials,
  familyShares,
  familyView,
  searchFamilies,
  SCAN_ROWS_LIMIT,
} from '../../src/core/search/families';
import {
  gridSize,
  suggest,
  type Observation,
  type SamplerKind,
} from '../../src/core/search/samplers';
import {
  acrossFamilies,
  activeNames,
  ANY_FAMILY,
  checkSpace,
  contains,
  familiesOf,
  spaceOfFamily,
  trialModel,
  type Params,
  type SearchSpace,
} from '../../src/core/search/space';
import type { DatasetVersionRecord } from '../../src/core/records';
import { learnerFor } from '../../src/core/learners/registry';

const SPACES: Record<string, SearchSpace> = {
  a: {
    depth: { kind: 'int', low: 1, high: 9, step: 1, log: false },
    how: { kind: 'categorical', choices: ['x', 'y'] },
  },
  b: {
    depth: { kind: 'float', low: -5, high: 5, log: false },
    c: { kind: 'float', low: 1e-3, high: 1e3, log: true },
  },
  c: {},
};
const SPACE = acrossFamilies(SPACES);

/** Family a is best at depth 7 but only for choice y; family b is worse, best at depth 2. */
function score(p: Params): number {
  if (p['family'] === 'a')
    return Math.abs((p['a.depth'] as number) - 7) + (p['a.how'] === 'y' ? 0 : 3);
  if (p['family'] === 'b') return 2 + Math.abs((p['b.depth'] as number) - 2);
  return 6;
}

function run(kind: SamplerKind, n: number, seed: number, space = SPACE): Observation[] {
  const history: Observation[] = [];
  for (let i = 0; i < n; i++) {
    const params = suggest(kind, {
      space,
      history,
      direction: 'minimize',
      seed,
      trialNumber: i,
      gridPoints: 3,
    });
    if (!params) break;
    history.push({ number: i, params, state: 'complete', value: score(params), intermediate: [] });
  }
  return history;
}

/** Every suggested trial has its family's settings, in range, and none of another family's. */
function expectOwnSettings(history: Observation[]): void {
  for (const t of history) {
    const family = String(t.params['family']);
    const names = Object.keys(t.params).sort();
    expect(names).toEqual(
      ['family', ...Object.keys(SPACES[family]!).map((n) => `${family}.${n}`)].sort(),
    );
    for (const n of names) expect(contains(SPACE[n]!, t.params[n]!)).toBe(true);
    expect(activeNames(SPACE, t.params).sort()).toEqual(names);
  }
}

describe('a space across families', () => {
  it('has the family as its top-level choice and each family’s settings under it', () => {
    expect(familiesOf(SPACE)).toEqual(['a', 'b', 'c']);
    expect(SPACE['b.c']).toEqual({ ...SPACES['b']!['c'], when: { param: 'family', is: 'b' } });
    expect(spaceOfFamily(SPACE, 'a')).toEqual(SPACES['a']);
    expect(checkSpace(SPACE)).toEqual([]);
    const orphan: SearchSpace = { ...SPACE, family: { kind: 'categorical', choices: ['a', 'c'] } };
    expect(checkSpace(orphan).join(' ')).toMatch(/b\.depth: it exists only when family is b/);
    expect(trialModel(ANY_FAMILY, { family: 'b', 'b.depth': 1, 'b.c': 2 })).toEqual({
      family: 'b',
      params: { depth: 1, c: 2 },
    });
    expect(trialModel('a', { depth: 3 })).toEqual({ family: 'a', params: { depth: 3 } });
  });

  it.each(['random', 'tpe', 'tpe-multivariate'] as const)(
    '%s never suggests a setting outside its family, and repeats from its seed',
    (kind) => {
      const h = run(kind, 80, 11);
      expect(h).toHaveLength(80);
      expectOwnSettings(h);
      expect(new Set(h.map((t) => t.params['family']))).toEqual(new Set(['a', 'b', 'c']));
      expect(run(kind, 30, 11).map((t) => t.params)).toEqual(h.slice(0, 30).map((t) => t.params));
    },
  );

  it('a study seen per family: shares of trials and time, best so far, and one family’s own settings', () => {
    const trials: {
      number: number;
      params: Params;
      state: string;
      value: number | null;
      durationMs: number;
    }[] = [
      {
        number: 0,
        params: { family: 'a', 'a.depth': 3, 'a.how': 'x' },
        state: 'complete',
        value: 0.5,
        durationMs: 10,
      },
      {
        number: 1,
        params: { family: 'b', 'b.depth': 1, 'b.c': 2 },
        state: 'complete',
        value: 0.7,
        durationMs: 30,
      },
      {
        number: 2,
        params: { family: 'a', 'a.depth': 4, 'a.how': 'y' },
        state: 'failed',
        value: null,
        durationMs: 5,
      },
      {
        number: 3,
        params: { family: 'a', 'a.depth': 5, 'a.how': 'y' },
        state: 'complete',
        value: 0.6,
        durationMs: 20,
      },
      {
        number: 4,
        params: { family: 'a', 'a.depth': 6, 'a.how': 'y' },
        state: 'complete',
        value: 0.55,
        durationMs: 20,
      },
    ];
    const shares = familyShares(trials, 'maximize');
    expect(shares.map((f) => [f.family, f.trials, f.ms, f.best])).toEqual([
      ['a', 4, 55, 0.6],
      ['b', 1, 30, 0.7],
    ]);
    expect(shares[0]!.bestSoFar).toEqual([
      { x: 0, y: 0.5 },
      { x: 3, y: 0.6 },
      { x: 4, y: 0.6 },
    ]);
    expect(familyShares(trials, 'minimize')[0]!.best).toBe(0.5);
    const a = familyView(SPACE, trials, 'a');
    expect(a.space).toEqual(SPACES['a']);
    expect(a.trials.map((t) => t.number)).toEqual([0, 2, 3, 4]);
    expect(a.trials[0]!.params).toEqual({ depth: 3, how: 'x' });
    const all = familyView(SPACE, trials, null);
    expect(Object.keys(all.space)).toEqual(['family']);
    expect(all.trials.map((t) => t.params)).toEqual(
      trials.map((t) => ({ family: t.params.family })),
    );
  });

  it('grid: every family’s own grid once, one after the other in a seeded order', () => {
    // a: 3 depths × 2 choices; b: 3 × 3; c: one point with no settings.
    expect(gridSize(SPACE, 3)).toBe(6 + 9 + 1);
    const h = run('grid', 100, 3);
    expect(h).toHaveLength(16);
    expect(new Set(h.map((t) => JSON.stringify(t.params))).size).toBe(16);
    expectOwnSettings(h);
    expect(h.filter((t) => t.params['family'] === 'c')).toHaveLength(1);
  });

  it('TPE learns the family from every trial and each setting from its family’s trials', () => {
    const tpe = [1, 2, 3, 4, 5].map((seed) => run('tpe', 80, seed));
    const random = [1, 2, 3, 4, 5].map((seed) => run('random', 80, seed));
    const late = (h: Observation[]) => h.slice(40);
    const share = (h: Observation[]) =>
      late(h).filter((t) => t.params['family'] === 'a').length / 40;
    const best = (h: Observation[]) => Math.min(...h.map((t) => t.value!));
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    // After its start-up trials TPE spends most trials on the best family …
    expect(mean(tpe.map(share))).toBeGreaterThan(0.6);
    expect(mean(tpe.map(share))).toBeGreaterThan(mean(random.map(share)) + 0.2);
    // … and finds that family's optimum: a's depth (an integer 1–9) at 7 with choice y.
    expect(mean(tpe.map(best))).toBeLessThanOrEqual(mean(random.map(best)));
    for (const h of tpe) expect(best(h)).toBe(0);
    // a's depth is learned from a's trials only: b's depths (around 2) do not pull it.
    const aDepths = tpe.flatMap((h) =>
      late(h)
        .filter((t) => t.params['family'] === 'a')
        .map((t) => t.params['a.depth'] as number),
    );
    expect(mean(aDepths)).toBeGreaterThan(5.5);
  });
});

describe('a study that starts from the defaults', () => {
  it('takes each family’s default settings first, snapped into a narrowed range, then the sampler’s', () => {
    const spaces = {
      'decision-tree': learnerFor('decision-tree').defaultSpace('classification'),
      'gradient-boosting': {
        ...learnerFor('gradient-boosting').defaultSpace('classification'),
        // The default (100 rounds) is outside: the nearest value the range has.
        rounds: { kind: 'int' as const, low: 150, high: 300, step: 50, log: false },
      },
      'naive-bayes': {},
    };
    const space = acrossFamilies(spaces);
    const first = defaultTrials(space, ANY_FAMILY, 'classification');
    expect(first.map((p) => p['family'])).toEqual(familiesOf(space));
    for (const p of first) {
      const { family, params } = trialModel(ANY_FAMILY, p);
      expect(activeNames(space, p).sort()).toEqual(Object.keys(p).sort());
      for (const [n, v] of Object.entries(p)) expect(contains(space[n]!, v)).toBe(true);
      const defaults = learnerFor(family).defaults('classification') as Params;
      // No depth limit is nearest the range's deepest; rounds and l2 (0), the range's nearest end.
      const nearest: Params = { rounds: 150, maxDepth: 20, l2: 1e-4 };
      for (const [n, v] of Object.entries(params)) expect(v).toBe(nearest[n] ?? defaults[n]);
    }
    const one = learnerFor('random-forest').defaultSpace('classification');
    const forest = learnerFor('random-forest').defaults('classification') as Params;
    expect(defaultTrials(one, 'random-forest', 'classification')).toEqual([
      Object.fromEntries(Object.keys(one).map((n) => [n, n === 'maxDepth' ? 30 : forest[n]])),
    ]);

    // Trials 0 … 2 are those, whatever the sampler; trial 3 on is the sampler's own, and a
    // resumed study (the same history) suggests the same.
    for (const kind of ['tpe', 'random', 'bohb'] as const) {
      const history: Observation[] = [];
      for (let i = 0; i < 6; i++) {
        const own = { space, history, direction: 'maximize' as const, seed: 4, trialNumber: i };
        const ctx = { ...own, startWith: first };
        const params = suggest(kind, ctx)!;
        expect(params).toEqual(i < 3 ? first[i] : suggest(kind, own));
        expect(suggest(kind, { ...ctx, history: history.slice() })).toEqual(params);
        history.push({ number: i, params, state: 'complete', value: i, intermediate: [] });
      }
    }
  });
});

function version(
  task: 'classification' | 'regression',
  rows: number,
  missing: number,
): DatasetVersionRecord {
  return {
    task,
    rowCount: rows,
    profile: {
      columns: [
        { name: 'x', role: 'feature', type: 'numeric', missing },
        {
          name: 'y',
          role: 'target',
          type: task === 'regression' ? 'numeric' : 'categorical',
          missing: 0,
        },
      ],
      classBalance:
        task === 'classification'
          ? [
              { value: 'p', count: 1 },
              { value: 'q', count: 1 },
            ]
          : undefined,
    },
  } as unknown as DatasetVersionRecord;
}

describe('the families a search enters', () => {
  it('are the ones that can learn the task, nearest neighbours left out of large data', () => {
    const small = searchFamilies(version('classification', 500, 0));
    const entered = small.filter((f) => f.entered).map((f) => f.family);
    expect(entered).toContain('logistic-regression');
    expect(entered).toContain('k-nearest-neighbours');
    expect(entered).not.toContain('baseline');
    expect(small.find((f) => f.family === 'baseline')!.why).toMatch(/score to beat/);

    const regression = searchFamilies(version('regression', 500, 0)).map((f) => f.family);
    expect(regression).not.toContain('logistic-regression');
    expect(regression).toContain('linear-regression');
    for (const f of regression) expect(learnerFor(f).tasks).toContain('regression');

    const large = searchFamilies(version('classification', SCAN_ROWS_LIMIT + 1, 0));
    const knn = large.find((f) => f.family === 'k-nearest-neighbours')!;
    expect(knn.entered).toBe(false);
    expect(knn.why).toMatch(/scans all 20,001 rows/);
  });

  it('say that missing values are imputed in the pipeline of the families that need it', () => {
    const f = searchFamilies(version('classification', 500, 3));
    expect(f.find((x) => x.family === 'logistic-regression')!.why).toMatch(
      /imputed in its pipeline/,
    );
    expect(f.find((x) => x.family === 'decision-tree')!.why).toMatch(/as they are/);
  });
});
