import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildContent } from '../../src/core/data/content';
import { suggestSchema } from '../../src/core/data/infer';
import { matrixFor } from '../../src/core/data/matrix';
import { parseTable } from '../../src/core/data/parse';
import { explainRows } from '../../src/core/explain/global';
import { trainModel } from '../../src/core/train/model';
import { expectedValue, treeShap } from '../../src/core/explain/treeshap';
import type { CompactTree } from '../../src/core/learners/forest/compact';
import { emptyCompactTree, leafOf } from '../../src/core/learners/forest/compact';
import { seededRandom, type Random } from '../../src/core/random';
import { contributionsOf } from '../../src/core/explain/contributions';
import { learnerFor } from '../../src/core/learners/registry';
import type { Encoding } from '../../src/core/records';

/** A random tree over `features` features: splits may repeat a feature; covers add up. */
function randomTree(random: Random, features: number, width: number, depth: number): CompactTree {
  const t = emptyCompactTree();
  const grow = (samples: number, d: number): number => {
    const id = t.feature.length;
    const leaf = d === depth || samples < 4 || random() < 0.2;
    t.feature.push(leaf ? -1 : Math.floor(random() * features));
    t.threshold.push(leaf ? 0 : random());
    t.left.push(-1);
    t.right.push(-1);
    t.missingLeft.push(random() < 0.5 ? 1 : 0);
    t.samples.push(samples);
    for (let k = 0; k < width; k++) t.value.push(leaf ? random() * 2 - 1 : 0);
    if (!leaf) {
      const l = 1 + Math.floor(random() * (samples - 2));
      t.left[id] = grow(l, d + 1);
      t.right[id] = grow(samples - l, d + 1);
    }
    return id;
  };
  grow(100 + Math.floor(random() * 100), 0);
  return t;
}

/** E[f(x) | x_S] with the features outside S averaged over the covers, as TreeSHAP defines it. */
function conditional(
  t: CompactTree,
  width: number,
  x: number[],
  s: Set<number>,
  node = 0,
): number[] {
  const f = t.feature[node]!;
  if (f < 0) return t.value.slice(node * width, (node + 1) * width);
  if (s.has(f)) {
    const v = x[f]!;
    const left = Number.isNaN(v) ? t.missingLeft[node] === 1 : v < t.threshold[node]!;
    return conditional(t, width, x, s, left ? t.left[node]! : t.right[node]!);
  }
  const l = conditional(t, width, x, s, t.left[node]!);
  const r = conditional(t, width, x, s, t.right[node]!);
  const nl = t.samples[t.left[node]!]!;
  const nr = t.samples[t.right[node]!]!;
  return l.map((a, k) => (a * nl + r[k]! * nr) / (nl + nr));
}

/** Shapley values by their definition: every coalition of the other features. */
function bruteForce(t: CompactTree, width: number, x: number[], features: number): number[] {
  const phi = new Array<number>(features * width).fill(0);
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  for (let j = 0; j < features; j++) {
    const others = Array.from({ length: features }, (_, i) => i).filter((i) => i !== j);
    for (let mask = 0; mask < 1 << others.length; mask++) {
      const s = new Set(others.filter((_, b) => mask & (1 << b)));
      const weight = (fact(s.size) * fact(features - s.size - 1)) / fact(features);
      const without = conditional(t, width, x, s);
      const withJ = conditional(t, width, x, new Set([...s, j]));
      for (let k = 0; k < width; k++)
        phi[j * width + k] = phi[j * width + k]! + weight * (withJ[k]! - without[k]!);
    }
  }
  return phi;
}

describe('TreeSHAP', () => {
  it('equals the Shapley values of their definition on small random trees, and sums to output − expected', () => {
    const random = seededRandom(19);
    for (let trial = 0; trial < 60; trial++) {
      const features = 2 + (trial % 4);
      const width = 1 + (trial % 3);
      const t = randomTree(random, features, width, 2 + (trial % 4));
      const x = Array.from({ length: features }, () => (random() < 0.1 ? NaN : random()));
      const phi = new Float64Array(features * width);
      treeShap(t, width, x, phi);
      const expected = bruteForce(t, width, x, features);
      phi.forEach((p, i) => expect(Math.abs(p - expected[i]!)).toBeLessThan(1e-10));
      // Efficiency: the contributions take the expected output to this row's output.
      const leaf = leafOf(t, x);
      const base = expectedValue(t, width);
      for (let k = 0; k < width; k++) {
        let sum = base[k]!;
        for (let j = 0; j < features; j++) sum += phi[j * width + k]!;
        expect(Math.abs(sum - t.value[leaf * width + k]!)).toBeLessThan(1e-10);
      }
    }
  });

  it('gives nothing to a feature no split uses', () => {
    const random = seededRandom(2);
    const t = randomTree(random, 1, 1, 4);
    const phi = new Float64Array(3);
    treeShap(t, 1, [0.3, 0.9, 0.1], phi);
    expect(phi[1]).toBe(0);
    expect(phi[2]).toBe(0);
  });
});

describe('contributions of each family', () => {
  /** 240 rows, 4 features (one with missing values), a class from the first two. */
  function data(classes: number) {
    const random = seededRandom(8);
    const rows = 240;
    const x = new Float64Array(rows * 4);
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      for (let f = 0; f < 4; f++) x[r * 4 + f] = random() * 10;
      if (random() < 0.1) x[r * 4 + 3] = NaN;
      const s = x[r * 4]! + 0.5 * x[r * 4 + 1]! + random() * 3;
      y[r] = classes === 0 ? s : Math.min(classes - 1, Math.floor((s / 18) * classes));
    }
    const encoding: Encoding = {
      target: 'y',
      features: ['a', 'b', 'c', 'd'].map((name) => ({ name, kind: 'numeric' as const })),
      classes: classes ? Array.from({ length: classes }, (_, i) => `k${i}`) : null,
    } as unknown as Encoding;
    return { set: { x, rows, features: 4, y, classes }, encoding };
  }

  const row = [6.1, 2.5, 9.9, NaN];
  const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

  for (const [family, classes] of [
    ['decision-tree', 3],
    ['random-forest', 3],
    ['extra-trees', 2],
    ['gradient-boosting', 2],
    ['gradient-boosting', 3],
    ['logistic-regression', 2],
    ['logistic-regression', 3],
    ['linear-regression', 0],
    ['naive-bayes', 2],
    ['naive-bayes', 3],
    ['decision-tree', 0],
  ] as const)
    it(`${family}, ${classes || 'regression'}: base + contributions = the output it explains`, () => {
      const { set, encoding } = data(classes);
      const learner = learnerFor(family);
      const params = learner.defaults(classes ? 'classification' : 'regression');
      const { fitted } = learner.fit(set, params, { seed: 3 });
      const out = learner.predictRow(fitted, row, classes);
      const c = classes ? out.value : 0;
      const e = contributionsOf(family, fitted, encoding, row, c)!;
      expect(e.values).toHaveLength(4);
      expect(Math.abs(e.base + e.values.reduce((a, b) => a + b, 0) - e.value)).toBeLessThan(1e-9);
      const p = out.probabilities;
      if (!classes) expect(e.value).toBeCloseTo(out.value, 9);
      else if (family === 'decision-tree' || family.endsWith('forest') || family === 'extra-trees')
        expect(e.value).toBeCloseTo(p![c]!, 9);
      else if (classes === 2) expect(sigmoid(e.value)).toBeCloseTo(p![1]!, 9);
      else {
        // A score before the softmax: the class's probability comes back with the others' scores.
        const scores = p!.map((_, k) => contributionsOf(family, fitted, encoding, row, k)!.value);
        const z = scores.reduce((a, s) => a + Math.exp(s), 0);
        expect(Math.exp(scores[c]!) / z).toBeCloseTo(p![c]!, 9);
      }
    });

  it('a forest’s contributions are the mean of its trees’', () => {
    const { set, encoding } = data(3);
    const forest = learnerFor('random-forest');
    const { fitted } = forest.fit(
      set,
      { ...forest.defaults('classification'), nTrees: 7 },
      { seed: 1 },
    );
    const all = contributionsOf('random-forest', fitted, encoding, row, 1)!;
    const trees = (fitted as { trees: CompactTree[] }).trees;
    const mean = new Array<number>(4).fill(0);
    for (const t of trees) {
      const phi = new Float64Array(4 * 3);
      treeShap(t, 3, row, phi);
      for (let j = 0; j < 4; j++) mean[j]! += phi[j * 3 + 1]! / trees.length;
    }
    all.values.forEach((v, j) => expect(v).toBeCloseTo(mean[j]!, 12));
  });

  it('does not explain a family it has no method for (nearest neighbours name their neighbours)', () => {
    const { set, encoding } = data(2);
    const knn = learnerFor('k-nearest-neighbours');
    const { fitted } = knn.fit(set, knn.defaults('classification'), { seed: 1 });
    expect(contributionsOf('k-nearest-neighbours', fitted, encoding, row, 0)).toBeNull();
  });
});

describe('contributions over rows', () => {
  it('explains each hold-out row as one row at a time would, with the mean absolute contribution per feature', async () => {
    const raw = await parseTable(readFileSync('public/samples/iris.csv', 'utf8'), {
      fileName: 'iris.csv',
    });
    const schema = suggestSchema(raw);
    const content = buildContent(raw.columns, schema.columns, schema.task, raw.rowCount);
    const result = trainModel(content, {
      family: 'random-forest',
      params: { ...learnerFor('random-forest').defaults('classification'), nTrees: 10 },
      plan: { folds: 3, testFraction: 0.2, seed: 4 },
      metric: 'accuracy',
    });
    const version = { family: result.family, fitted: result.fitted, encoding: result.encoding };
    const rows = result.holdoutRows;
    const seen: number[] = [];
    const r = explainRows(version, content, rows, 2, (done) => seen.push(done))!;
    expect(r.rows).toBe(rows.length);
    expect(r.output).toBe('probability of “virginica” (the mean of the trees’)');
    expect(seen.at(-1)).toBe(rows.length);
    const m = matrixFor(content, result.encoding);
    const p = m.features;
    const meanAbs = new Array<number>(p).fill(0);
    rows.forEach((row, i) => {
      const x = Array.from(m.x.subarray(row * p, (row + 1) * p));
      const one = contributionsOf(version.family, version.fitted, version.encoding, x, 2)!;
      one.values.forEach((v, j) => {
        expect(r.values[i * p + j]).toBe(v);
        meanAbs[j]! += Math.abs(v) / rows.length;
      });
      expect(r.inputs.slice(i * p, (i + 1) * p)).toEqual(x);
    });
    r.meanAbs.forEach((v, j) => expect(v).toBeCloseTo(meanAbs[j]!, 12));
    // The petals separate virginica: they move its probability most.
    const top = r.meanAbs.indexOf(Math.max(...r.meanAbs));
    expect(result.encoding.features[top]!.name).toMatch(/^petal_/);
  });
});
