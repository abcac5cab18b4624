import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { trainOnPool } from '../../src/app/workers';
import { api, type ComputeApi } from '../../workers/computeApi';
import { JobCancelledError, WorkerPool } from '../../workers/pool';
import { FakeWorker } from './fakeWorker';
import { buildContent, type DatasetContent } from '../../src/core/data/content';
import { suggestSchema } from '../../src/core/data/infer';
import { parseTable } from '../../src/core/data/parse';
import { baseline } from '../../src/core/learners/baseline';
import { extraTrees, randomForest } from '../../src/core/learners/forest';
import { compactTree, toTreeModel } from '../../src/core/learners/forest/compact';
import { fitForestTree } from '../../src/core/learners/forest/fit';
import { learnerFor } from '../../src/core/learners/registry';
import { decisionTree } from '../../src/core/learners/tree';
import { presort } from '../../src/core/learners/tree/presort';
import { fitCart, fitCompactCart } from '../../src/core/learners/tree/cart';
import { trainingSet } from '../../src/core/train/model';

async function sample(file: string): Promise<DatasetContent> {
  const raw = await parseTable(readFileSync(`public/samples/${file}`, 'utf8'), { fileName: file });
  const s = suggestSchema(raw);
  return buildContent(raw.columns, s.columns, s.task, raw.rowCount);
}

describe('the flat trees an ensemble is made of', () => {
  it('are written as the nested tree would flatten, with weights, missing values and random thresholds', async () => {
    for (const file of ['iris.csv', 'diabetes.csv', 'penguins.csv']) {
      const { set, encoding } = trainingSet(await sample(file));
      const params = {
        ...decisionTree.defaults(encoding.task),
        maxFeatures: '0.5' as const,
        minSamplesLeaf: 2,
      };
      const sampleWeight = Float64Array.from({ length: set.rows }, (_, r) => (r % 5) * 0.5);
      for (const randomThresholds of [false, true]) {
        const options = { seed: 7, sampleWeight, randomThresholds };
        const nested = fitCart(set, params, options);
        const flat = fitCompactCart(set, params, options);
        expect(flat.tree).toEqual(compactTree(nested.tree, Math.max(1, set.classes)));
        expect(flat.importances).toEqual(nested.importances);
        expect(flat.tree.feature.length).toBeGreaterThan(3);
      }
    }
  });
});

describe('random forest', () => {
  it('of one tree, without bootstrap and with every feature, is the decision tree', async () => {
    for (const file of ['iris.csv', 'diabetes.csv', 'penguins.csv']) {
      const { set, encoding } = trainingSet(await sample(file));
      const task = encoding.task;
      const tree = decisionTree.fit(set, decisionTree.defaults(task), { seed: 1 });
      const forest = randomForest.fit(
        set,
        { ...randomForest.defaults(task), nTrees: 1, bootstrap: 'no', maxFeatures: 'all' },
        { seed: 99 },
      );
      const width = Math.max(1, set.classes);
      expect(forest.fitted.trees[0]).toEqual(compactTree(tree.fitted, width));
      const a = decisionTree.predict(tree.fitted, set.x, set.rows, set.features, set.classes);
      const b = randomForest.predict(forest.fitted, set.x, set.rows, set.features, set.classes);
      expect(Array.from(b.predictions)).toEqual(Array.from(a.predictions));
      // The same importances, normalised once more (so equal to the last bits only).
      forest.importances.forEach((x, i) => expect(x).toBeCloseTo(tree.importances[i]!, 12));
      // The flat tree read back for drawing predicts as the original does.
      const drawn = toTreeModel(forest.fitted.trees[0]!, width, set.classes === 0);
      const c = decisionTree.predict(drawn, set.x, set.rows, set.features, set.classes);
      expect(Array.from(c.predictions)).toEqual(Array.from(a.predictions));
    }
  });

  it('scores out of bag as a direct count over the trees that left each row out', async () => {
    const { set, encoding } = trainingSet(await sample('penguins.csv'));
    const params = { ...randomForest.defaults(encoding.task), nTrees: 15 };
    const { fitted } = randomForest.fit(set, params, { seed: 5 });
    expect(fitted.oob).not.toBeNull();
    // Again, tree by tree: each row's out-of-bag probabilities summed over the trees that missed it.
    const rows = new Int32Array(set.rows).map((_, i) => i);
    const orders = presort(set);
    const options = {
      trees: 15,
      bootstrap: true,
      classWeight: 'none' as const,
      randomThresholds: false,
      tree: { ...params, classWeight: 'none' as const },
    };
    const k = set.classes;
    const sums = new Float64Array(set.rows * k);
    const seen = new Uint8Array(set.rows);
    for (let t = 0; t < 15; t++) {
      const f = fitForestTree(set, rows, options, 5, t, orders);
      expect(f.tree).toEqual(fitted.trees[t]);
      const one = { classes: k, trees: [f.tree], oob: null };
      const p = randomForest.predict(one, set.x, set.rows, set.features, k).probabilities!;
      for (const r of f.outOfBag!) {
        seen[r] = 1;
        for (let c = 0; c < k; c++) sums[r * k + c]! += p[r * k + c]!;
      }
    }
    let judged = 0;
    let right = 0;
    for (let r = 0; r < set.rows; r++) {
      if (!seen[r]) continue;
      judged++;
      const row = Array.from(sums.subarray(r * k, r * k + k));
      if (row.indexOf(Math.max(...row)) === set.y[r]) right++;
    }
    expect(fitted.oob).toEqual({ score: right / judged, rows: judged });
    // About a third of the rows are left out of each bootstrap sample, so nearly every row is judged.
    expect(judged).toBeGreaterThan(0.95 * set.rows);
  });

  it('trains the same trees in any order, so the workers that train them do not matter', async () => {
    const { set, encoding } = trainingSet(await sample('iris.csv'));
    const params = { ...randomForest.defaults(encoding.task), nTrees: 6 };
    const { fitted } = randomForest.fit(set, params, { seed: 11 });
    const rows = new Int32Array(set.rows).map((_, i) => i);
    const orders = presort(set);
    const options = {
      trees: 6,
      bootstrap: true,
      classWeight: 'none' as const,
      randomThresholds: false,
      tree: { ...params, classWeight: 'none' as const },
    };
    for (const t of [5, 2, 0, 4, 1, 3])
      expect(fitForestTree(set, rows, options, 11, t, orders).tree).toEqual(fitted.trees[t]);
    // Another seed, another forest.
    expect(randomForest.fit(set, params, { seed: 12 }).fitted).not.toEqual(fitted);
  });

  it('refuses settings out of range, naming the setting and the range', () => {
    const d = randomForest.defaults('classification');
    expect(() => randomForest.checkParams({ ...d, nTrees: 0 }, 'classification')).toThrow(
      /Trees must be a whole number from 1 to 2000; it is 0/,
    );
    expect(() =>
      randomForest.checkParams({ ...d, maxFeatures: '1.5' as 'all' }, 'classification'),
    ).toThrow(/Features tried per split must be one of/);
    expect(() => randomForest.checkParams({ ...d, minSamplesLeaf: 0 }, 'classification')).toThrow(
      /Min samples per leaf/,
    );
  });

  it('estimates at least the nodes a forest grows, so a forest too large is refused before training', async () => {
    for (const file of ['iris.csv', 'diabetes.csv']) {
      const { set, encoding } = trainingSet(await sample(file));
      for (const extra of [{}, { maxDepth: 3 }, { minSamplesLeaf: 5 }]) {
        const params = { ...randomForest.defaults(encoding.task), nTrees: 5, ...extra };
        const { size } = randomForest.fit(set, params, { seed: 1 });
        const perNode = 9 * (6 + Math.max(1, set.classes));
        const estimate = randomForest.estimateBytes!(params, set.rows, set.classes);
        expect(estimate / perNode).toBeGreaterThanOrEqual(size['nodes']!);
      }
    }
  });

  it('weights classes by each tree’s own sample with balanced_subsample', async () => {
    const { set, encoding } = trainingSet(await sample('penguins.csv'));
    const base = { ...randomForest.defaults(encoding.task), nTrees: 3 };
    const a = randomForest.fit(set, { ...base, classWeight: 'balanced' }, { seed: 2 });
    const b = randomForest.fit(set, { ...base, classWeight: 'balanced_subsample' }, { seed: 2 });
    const c = randomForest.fit(set, base, { seed: 2 });
    expect(a.fitted).not.toEqual(c.fitted);
    expect(b.fitted).not.toEqual(a.fitted);
  });
});

describe('a forest trained on the worker pool', () => {
  const pools: WorkerPool<ComputeApi>[] = [];
  afterEach(() => {
    for (const p of pools.splice(0)) p.terminate();
    FakeWorker.made = [];
  });
  /** A pool of stand-in workers running the compute worker's API; `pieces` records the trees each piece job trained. */
  function poolOf(size: number, pieces: [number, number][] = []): WorkerPool<ComputeApi> {
    const counted = {
      ...api,
      trainPiece: (...args: Parameters<typeof api.trainPiece>) => {
        pieces.push([args[3].from, args[3].to]);
        return api.trainPiece(...args);
      },
    };
    const pool = new WorkerPool<ComputeApi>(
      () => new FakeWorker(counted) as unknown as Worker,
      size,
    );
    pools.push(pool);
    return pool;
  }

  it('is the same forest, with the same scores, on one worker and on two', async () => {
    const content = await sample('penguins.csv');
    for (const family of ['random-forest', 'extra-trees']) {
      const learner = learnerFor(family);
      const spec = {
        family,
        params: { ...learner.defaults('classification'), nTrees: 9 },
        plan: { folds: 3, testFraction: 0.25, seed: 4 },
        metric: 'accuracy' as const,
      };
      const none = new AbortController().signal;
      const pieces: [number, number][] = [];
      const steps: [number, number][] = [];
      const { fitMs: oneMs, ...one } = await trainOnPool(poolOf(1), content, spec, none, () => {});
      const { fitMs: twoMs, ...two } = await trainOnPool(
        poolOf(2, pieces),
        content,
        spec,
        none,
        (d, t) => steps.push([d, t]),
      );
      // The final forest's trees were trained in two jobs, four and five trees.
      expect(pieces.sort((a, b) => a[0] - b[0])).toEqual([
        [0, 5],
        [5, 9],
      ]);
      expect(two).toEqual(one);
      expect((two.fitted as { trees: unknown[] }).trees).toHaveLength(9);
      expect(oneMs).toBeGreaterThan(0);
      expect(twoMs).toBeGreaterThan(0);
      // Three folds, two pieces and the final join, each counted once.
      expect(steps.map((s) => s[0])).toEqual([1, 2, 3, 4, 5, 6]);
      expect(steps.every((s) => s[1] === 6)).toBe(true);
    }
  });

  it('saves nothing of a run that is cancelled, and cancels the jobs still running', async () => {
    const content = await sample('penguins.csv');
    const spec = {
      family: 'random-forest',
      params: { ...randomForest.defaults('classification'), nTrees: 40 },
      plan: { folds: 4, testFraction: 0.25, seed: 1 },
      metric: 'accuracy' as const,
    };
    const stop = new AbortController();
    const pool = poolOf(2);
    const run = trainOnPool(pool, content, spec, stop.signal, (done) => {
      if (done === 1) stop.abort();
    });
    await expect(run).rejects.toBeInstanceOf(JobCancelledError);
    expect(pool.running + pool.queued).toBe(0);
  });
});

describe('extra trees', () => {
  it('splits at random thresholds, not at midpoints between values, and sees every row', async () => {
    const { set, encoding } = trainingSet(await sample('iris.csv'));
    const params = extraTrees.defaults(encoding.task);
    expect(params.bootstrap).toBe('no');
    const { fitted } = extraTrees.fit(set, { ...params, nTrees: 5 }, { seed: 4 });
    expect(fitted.oob).toBeNull();
    const values = new Set<number>();
    for (let r = 0; r < set.rows; r++)
      for (let f = 0; f < set.features; f++) values.add(set.x[r * set.features + f]!);
    const sorted = [...values].sort((a, b) => a - b);
    const midpoints = new Set(sorted.slice(1).map((v, i) => (v + sorted[i]!) / 2));
    const thresholds = fitted.trees.flatMap((t) =>
      t.threshold.filter((_, i) => t.feature[i]! >= 0),
    );
    expect(thresholds.length).toBeGreaterThan(10);
    expect(thresholds.filter((x) => midpoints.has(x)).length).toBeLessThan(thresholds.length / 10);
    // The root of every tree saw every row.
    for (const t of fitted.trees) expect(t.samples[0]).toBe(set.rows);
    expect(learnerFor('extra-trees')).toBe(extraTrees);
  });
});

describe('baseline', () => {
  it('answers the most common class with the class shares, or the mean or median, by hand', () => {
    // Five rows: class 1 three times, class 0 twice; the features are never looked at.
    const set = {
      x: Float64Array.from([1, 2, 3, 4, 5]),
      rows: 5,
      features: 1,
      y: Float64Array.from([1, 0, 1, 1, 0]),
      classes: 2,
    };
    const prior = baseline.fit(set, { strategy: 'prior' }, { seed: 0 }).fitted;
    expect(prior).toEqual({ classes: 2, strategy: 'prior', probabilities: [0.4, 0.6], value: 1 });
    const sure = baseline.fit(set, { strategy: 'most_frequent' }, { seed: 0 }).fitted;
    expect(sure.probabilities).toEqual([0, 1]);
    const p = baseline.predict(prior, Float64Array.from([9, NaN]), 2, 1, 2);
    expect(Array.from(p.predictions)).toEqual([1, 1]);
    expect(Array.from(p.probabilities!)).toEqual([0.4, 0.6, 0.4, 0.6]);
    // Only the rows it trains on count: rows 1 and 4 (0-based) are class 0 both.
    const fold = baseline.fit(
      set,
      { strategy: 'prior' },
      { seed: 0, subset: Int32Array.from([1, 4, 0]) },
    );
    expect(fold.fitted.value).toBe(0);

    const values = { ...set, y: Float64Array.from([10, 1, 4, 100, 5]), classes: 0 };
    expect(baseline.fit(values, { strategy: 'mean' }, { seed: 0 }).fitted.value).toBe(24);
    expect(baseline.fit(values, { strategy: 'median' }, { seed: 0 }).fitted.value).toBe(5);
    expect(() => baseline.checkParams({ strategy: 'mean' }, 'classification')).toThrow(
      /prior or most_frequent, not "mean"/,
    );
  });
});
