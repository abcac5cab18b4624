import { describe, expect, it } from 'vitest';
import { irisContent } from './fixtures';
import { seededRandom, type Random } from '../../src/core/random';
import { DEFAULT_CART_PARAMS, fitCart, type Criterion } from '../../src/core/learners/tree/cart';
import {
  candidatesAt,
  growTree,
  nextSplit,
  partitionRows,
  thresholdsAt,
  type GrowData,
  type HandSplit,
} from '../../src/core/learners/tree/grow';
import { TrainingError, type TrainingSet } from '../../src/core/learners/training';
import { predictTree } from '../../src/core/learners/tree/tree';
import { growReport } from '../../src/core/train/handGrown';
import { scalarScores } from '../../src/core/train/metrics';
import { trainingSet } from '../../src/core/train/model';

const iris = irisContent;

/** Random data with ties and, sometimes, missing values. */
function randomSet(random: Random, regression: boolean): TrainingSet {
  const rows = 5 + Math.floor(random() * 200);
  const features = 1 + Math.floor(random() * 4);
  const classes = regression ? 0 : 2 + Math.floor(random() * 3);
  const levels = random() < 0.5 ? 2 + Math.floor(random() * 5) : 0;
  const missing = random() < 0.4 ? 0.1 : 0;
  const x = new Float64Array(rows * features);
  for (let i = 0; i < x.length; i++)
    x[i] =
      random() < missing
        ? NaN
        : levels > 0
          ? Math.floor(random() * levels)
          : Math.round(random() * 1000) / 10;
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const a = Number.isNaN(x[r * features]!) ? 3 : x[r * features]!;
    // Regression targets are whole numbers, so sums are exact in any order.
    y[r] = regression ? Math.round(a * 2 + random() * 5) : Math.floor(a + random() * 2) % classes;
  }
  return { x, rows, features, y, classes };
}

/** All of iris as the rows a tree is grown on, by gini. */
async function irisData(): Promise<GrowData> {
  const { set } = trainingSet(await iris());
  return { set, rows: Int32Array.from({ length: set.rows }, (_, r) => r), criterion: 'gini' };
}

/** "Next split" until nothing is left to split (or the depth is reached). */
function growAll(data: GrowData, maxDepth: number | null): HandSplit[] {
  const splits: HandSplit[] = [];
  for (let s = nextSplit(data, splits, maxDepth); s; s = nextSplit(data, splits, maxDepth))
    splits.push(s);
  return splits;
}

const acc = (s: Parameters<typeof scalarScores>[0]): number => scalarScores(s).accuracy!;

const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('a tree grown by hand', () => {
  it('is, taking the best split each time, the tree CART trains (random sets, every criterion)', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 120; i++) {
      const regression = i % 3 === 2;
      const set = randomSet(random, regression);
      const criterion: Criterion = regression ? 'squared_error' : i % 2 ? 'entropy' : 'gini';
      const maxDepth = [null, 1, 2, 4][i % 4]!;
      const rows = Int32Array.from({ length: set.rows }, (_, r) => r).filter(() => random() < 0.8);
      if (rows.length < 2) continue;
      const data: GrowData = { set, rows, criterion };
      const grown = growTree(data, growAll(data, maxDepth));
      const trained = fitCart(
        set,
        { ...DEFAULT_CART_PARAMS, criterion, maxDepth },
        { subset: rows },
      );
      expect(json(grown.tree.root), `set ${i}`).toEqual(json(trained.tree.root));
      expect(grown.importances).toEqual(trained.importances);
    }
  });

  it('ranks every feature’s best split, and the first is the one taken', async () => {
    const data = await irisData();
    const ranked = candidatesAt(data, data.rows);
    expect(ranked).toHaveLength(4);
    for (let i = 1; i < ranked.length; i++)
      expect(ranked[i - 1]!.decrease).toBeGreaterThanOrEqual(ranked[i]!.decrease);
    // Iris: petal length < 2.45 (or petal width < 0.8) separates setosa, a gini decrease of 1/3.
    expect(ranked[0]!.decrease).toBeCloseTo(1 / 3, 10);
    expect(ranked[0]!.left.counts).toEqual([50, 0, 0]);
    expect(ranked[0]!.right.counts).toEqual([0, 50, 50]);
    const first = nextSplit(data, []);
    expect(first).toMatchObject({ node: '', feature: ranked[0]!.feature, own: false });
    // Every threshold of a feature: the best of them is that feature's candidate.
    const all = thresholdsAt(data, data.rows, 0);
    const best = ranked.find((c) => c.feature === 0)!;
    expect(Math.max(...all.map((c) => c.decrease))).toBeCloseTo(best.decrease, 12);
    expect(all.map((c) => c.threshold)).toEqual(
      [...all.map((c) => c.threshold)].sort((a, b) => a - b),
    );
  });

  it('takes a person’s own split, and its rows go where its threshold says', async () => {
    const data = await irisData();
    const { set } = data;
    const splits: HandSplit[] = [
      { node: '', feature: 0, threshold: 5.5, missingLeft: false, own: true },
      { node: 'R', feature: 3, threshold: 1.75, missingLeft: false, own: false },
    ];
    const nodes = partitionRows(data, splits);
    for (const r of nodes.get('L')!) expect(set.x[r * set.features]).toBeLessThan(5.5);
    for (const r of nodes.get('R')!) expect(set.x[r * set.features]).toBeGreaterThanOrEqual(5.5);
    const { tree, size } = growTree(data, splits);
    expect(size).toEqual({ depth: 2, nodes: 5, leaves: 3 });
    expect(tree.root.splitColumn).toBe(0);
    // The tree predicts through the family's own code: each row reaches its node's leaf.
    const pred = predictTree(tree, set.x, set.rows, set.features, 3).predictions;
    const leafL = tree.root.left!.distribution as number[][];
    const majority = leafL[0]!.indexOf(Math.max(...leafL[0]!));
    for (const r of nodes.get('L')!) expect(pred[r]).toBe(majority);
    // A split at a node the tree does not have, or a second split of one node, is refused.
    expect(() => partitionRows(data, [{ ...splits[0]!, node: 'L' }])).toThrow(TrainingError);
    expect(() => partitionRows(data, [splits[0]!, splits[0]!])).toThrow(TrainingError);
    expect(() => partitionRows(data, [{ ...splits[0]!, feature: 9 }])).toThrow(TrainingError);
  });

  it('reports scores on the training rows and on hold-out rows no split was chosen on', async () => {
    const content = await iris();
    const plan = { folds: 5, testFraction: 0.2, seed: 3 };
    const r0 = growReport(content, { plan, criterion: 'gini', splits: [], focus: '' });
    expect(r0.trainRows).toBe(120);
    expect(r0.holdoutRows).toHaveLength(30);
    expect(r0.size.leaves).toBe(1);
    expect(r0.next).not.toBeNull();
    const splits = [r0.next!];
    const r1 = growReport(content, { plan, criterion: 'gini', splits, focus: '', feature: 2 });
    expect(acc(r1.train)).toBeGreaterThan(acc(r0.train));
    expect(r1.candidates[0]!.feature).toBe(splits[0]!.feature);
    expect(r1.candidates[0]!.left.samples + r1.candidates[0]!.right.samples).toBe(120);
    expect(r1.thresholds!.length).toBeGreaterThan(10);
    // Growing to the end fits the training rows (iris has two identical rows of two classes).
    const all = [...splits];
    for (let n = r1.next; n;) {
      all.push(n);
      n = growReport(content, { plan, criterion: 'gini', splits: all, focus: '' }).next;
    }
    const full = growReport(content, { plan, criterion: 'gini', splits: all, focus: '' });
    expect(acc(full.train)).toBeGreaterThan(0.99);
    expect(acc(full.holdout)).toBeLessThan(1.01);
    expect(() => growReport(content, { plan, criterion: 'gini', splits, focus: 'LL' })).toThrow(
      TrainingError,
    );
    expect(() =>
      growReport(content, { plan, criterion: 'squared_error', splits: [], focus: '' }),
    ).toThrow(/regression/);
  });
});
