import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildContent, type DatasetContent } from '../../src/core/data/content';
import { suggestSchema } from '../../src/core/data/infer';
import { parseTable } from '../../src/core/data/parse';
import { gradientBoosting } from '../../src/core/learners/boost';
import {
  binCounts,
  binnedOf,
  binSet,
  growTree,
  rootHistograms,
} from '../../src/core/learners/boost/grow';
import { decisionTree } from '../../src/core/learners/tree';
import { seededRandom } from '../../src/core/random';
import { trainingSet } from '../../src/core/train/model';

async function sample(file: string): Promise<DatasetContent> {
  const raw = await parseTable(readFileSync(`public/samples/${file}`, 'utf8'), { fileName: file });
  const s = suggestSchema(raw);
  return buildContent(raw.columns, s.columns, s.task, raw.rowCount);
}

/** 400 rows, 3 features of whole numbers 0 … 40 (so fewer than 255 bins each), a noisy target. */
function integers() {
  const r = seededRandom(8);
  const rows = 400;
  const x = new Float64Array(rows * 3);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < 3; f++) x[i * 3 + f] = Math.floor(r() * 41);
    y[i] = x[i * 3]! * 2 - x[i * 3 + 1]! + 10 * r();
  }
  return { x, rows, features: 3, y, classes: 0 };
}

const full = {
  ...gradientBoosting.defaults('regression'),
  rounds: 1,
  learningRate: 1,
  maxLeaves: 4096,
  minSamplesLeaf: 1,
  earlyStopping: 'no' as const,
};

describe('gradient-boosted trees', () => {
  it('with one round and learning rate 1 is a regression tree on the gradients', () => {
    const set = integers();
    const boosted = gradientBoosting.fit(set, full, { seed: 1 });
    const tree = decisionTree.fit(set, decisionTree.defaults('regression'), { seed: 1 });
    const a = gradientBoosting.predict(boosted.fitted, set.x, set.rows, 3, 0).predictions;
    const b = decisionTree.predict(tree.fitted, set.x, set.rows, 3, 0).predictions;
    for (let i = 0; i < set.rows; i++) expect(a[i]).toBeCloseTo(b[i]!, 9);
    expect(boosted.fitted.trees).toHaveLength(1);
  });

  it('bins a feature with few values at the midpoints and a wide one at quantiles, at most 255', () => {
    const set = integers();
    const { edges, bins } = binSet(
      set,
      new Int32Array(set.rows).map((_, i) => i),
    );
    expect(edges[0]!.length).toBe(40);
    expect(edges[0]![0]).toBe(0.5);
    const wide = {
      x: Float64Array.from({ length: 5000 }, (_, i) => i / 7),
      rows: 5000,
      features: 1,
      y: new Float64Array(5000),
      classes: 0,
    };
    const w = binSet(
      wide,
      new Int32Array(5000).map((_, i) => i),
    );
    expect(w.edges[0]!.length).toBeLessThanOrEqual(254);
    expect(Math.max(...w.bins)).toBeLessThanOrEqual(254);
    // bin(x) = edges ≤ x, so a row goes left of edge b exactly when x < edge b.
    for (let i = 0; i < set.rows; i++) {
      const v = set.x[i * 3]!;
      expect(bins[i * 3]).toBe(edges[0]!.filter((e) => e <= v).length);
    }
  });

  it('lowers the training loss every round, and stops early when the validation loss stops falling', async () => {
    const { set, encoding } = trainingSet(await sample('breast-cancer.csv'));
    const p = {
      ...gradientBoosting.defaults(encoding.task),
      rounds: 300,
      earlyStopping: 'yes' as const,
      patience: 5,
    };
    const { fitted } = gradientBoosting.fit(set, p, { seed: 2 });
    const train = fitted.loss.train;
    for (let i = 1; i < train.length; i++)
      expect(train[i]!).toBeLessThanOrEqual(train[i - 1]! + 1e-12);
    const valid = fitted.loss.validation!;
    expect(valid.length).toBe(train.length);
    expect(train.length).toBeLessThan(300);
    const best = valid.indexOf(Math.min(...valid));
    // It stopped `patience` rounds after the last improvement.
    expect(valid.length - 1 - best).toBeGreaterThanOrEqual(5);
    expect(fitted.loss.validationRows).toBe(Math.floor(0.1 * set.rows));
    const facts = gradientBoosting.facts!(fitted, encoding).map(([k]) => k);
    expect(facts).toContain('Early stopping');
  });

  it("decides automatic early stopping by the rows a rung's fit stands for", async () => {
    const { set, encoding } = trainingSet(await sample('breast-cancer.csv'));
    const p = { ...gradientBoosting.defaults(encoding.task), rounds: 40 };
    expect(p.earlyStopping).toBe('auto');
    const subset = new Int32Array(400).map((_, i) => i);
    // 400 rows: no early stopping, unless they stand for a fold of over 10,000 rows.
    const own = gradientBoosting.fit(set, p, { seed: 4, subset }).fitted;
    expect(own.loss.validation).toBeNull();
    const rung = gradientBoosting.fit(set, p, { seed: 4, subset, standsFor: 20_000 }).fitted;
    expect(rung.loss.validationRows).toBe(40);
    const yes = { ...p, earlyStopping: 'yes' as const };
    expect(rung).toEqual(gradientBoosting.fit(set, yes, { seed: 4, subset }).fitted);
    const small = gradientBoosting.fit(set, p, { seed: 4, subset, standsFor: 5_000 }).fitted;
    expect(small).toEqual(own);
  });

  it('gives probabilities that sum to 1 for two classes and for three, and learns them', async () => {
    for (const file of ['breast-cancer.csv', 'iris.csv']) {
      const { set, encoding } = trainingSet(await sample(file));
      const { fitted } = gradientBoosting.fit(
        set,
        { ...gradientBoosting.defaults(encoding.task), rounds: 30 },
        { seed: 3 },
      );
      const k = set.classes;
      const out = gradientBoosting.predict(fitted, set.x, set.rows, set.features, k);
      let right = 0;
      for (let r = 0; r < set.rows; r++) {
        const row = Array.from(out.probabilities!.subarray(r * k, r * k + k));
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        if (out.predictions[r] === set.y[r]) right++;
      }
      expect(right / set.rows).toBeGreaterThan(0.9);
      expect(fitted.trees.length).toBe(30 * (k > 2 ? k : 1));
    }
  });

  it('grows the same tree from a root counted with the other classes as from its own', () => {
    for (const k of [3, 4]) {
      const r = seededRandom(k);
      const rows = 300;
      const p = 4;
      const x = new Float64Array(rows * p).map(() => (r() < 0.05 ? NaN : Math.round(r() * 500)));
      const set = { x, rows, features: p, y: new Float64Array(rows), classes: k };
      const subset = Int32Array.from({ length: 250 }, (_, i) => i + 50);
      const binned = binSet(set, subset);
      const g = Array.from({ length: k }, () => new Float64Array(rows).map(() => r() - 0.5));
      const h = Array.from({ length: k }, () => new Float64Array(rows).map(() => r() / 4));
      const options = {
        maxLeaves: 16,
        maxDepth: 5,
        minSamplesLeaf: 5,
        l2: 0,
        learningRate: 0.1,
        features: Int32Array.from({ length: p }, (_, f) => f),
        minHessian: 1e-3,
      };
      const roots = rootHistograms(binned, p, subset, g, h, [], binCounts(binned, p, subset));
      for (let c = 0; c < k; c++) {
        const grow = (root?: Float64Array) =>
          growTree(
            binned,
            p,
            Int32Array.from(subset),
            subset.length,
            g[c]!,
            h[c]!,
            options,
            new Float64Array(p),
            undefined,
            [],
            root,
          );
        const own = grow();
        expect(own.feature.filter((f) => f >= 0).length).toBeGreaterThan(3);
        expect(grow(roots[c])).toEqual(own);
      }
    }
  });

  it('bins the same rows once for every fit that shares a memo, and fits the same model', () => {
    const r = seededRandom(5);
    const rows = 600;
    const p = 3;
    const x = new Float64Array(rows * p).map(() => (r() < 0.1 ? NaN : Math.round(r() * 900)));
    const y = new Float64Array(rows).map((_, i) => (x[i * p]! > 450 ? 1 : 0));
    const set = { x, rows, features: p, y, classes: 2 };
    const fold = Int32Array.from({ length: 400 }, (_, i) => i + 100);
    const other = Int32Array.from({ length: 400 }, (_, i) => i);
    const shared = new Map<string, unknown>();
    const once = binnedOf(set, fold, shared);
    expect(once).toEqual(binSet(set, fold));
    expect(binnedOf(set, Int32Array.from(fold), shared)).toBe(once);
    expect(binnedOf(set, other, shared)).not.toBe(once);
    expect(binnedOf(set, fold)).not.toBe(once);
    const settings = { ...gradientBoosting.defaults('classification'), rounds: 20 };
    const alone = gradientBoosting.fit(set, settings, { seed: 2, subset: fold });
    for (let i = 0; i < 2; i++)
      expect(gradientBoosting.fit(set, settings, { seed: 2, subset: fold, shared }).fitted).toEqual(
        alone.fitted,
      );
  });

  it('refuses settings out of range, naming the setting and the range', () => {
    const d = gradientBoosting.defaults('classification');
    expect(() => gradientBoosting.checkParams({ ...d, learningRate: 0 }, 'classification')).toThrow(
      /learning rate must be more than 0 and at most 1; it is 0/,
    );
    expect(() => gradientBoosting.checkParams({ ...d, rounds: 0 }, 'classification')).toThrow(
      /Boosting rounds must be a whole number from 1 to 5000/,
    );
    expect(() =>
      gradientBoosting.checkParams({ ...d, featureFraction: 1.5 }, 'classification'),
    ).toThrow(/Features per tree must be more than 0 and at most 1; it is 1.5/);
  });
});
