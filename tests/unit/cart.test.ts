import { DecisionTreeClassifier, DecisionTreeRegression } from 'ml-cart';
import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../src/core/random';
import { fitCart, DEFAULT_CART_PARAMS } from '../../src/core/learners/tree/cart';
import { presort } from '../../src/core/learners/tree/presort';
import { TrainingError, type TrainingSet } from '../../src/core/learners/training';
import { fitMlCart, type MlCartParams } from '../oracle/mlCartRules';
import { predictTree, treeShape } from '../../src/core/learners/tree/tree';

/** A random data set: sometimes few distinct values (ties), sometimes labels tied to features. */
function randomSet(random: Random, regression: boolean, maxRows = 300): TrainingSet {
  const rows = 2 + Math.floor(random() * maxRows);
  const features = 1 + Math.floor(random() * 5);
  const classes = regression ? 0 : 2 + Math.floor(random() * 3);
  const levels = random() < 0.5 ? 2 + Math.floor(random() * 6) : 0;
  const x = new Float64Array(rows * features);
  for (let i = 0; i < x.length; i++)
    x[i] = levels > 0 ? Math.floor(random() * levels) : Math.round(random() * 1000) / 10;
  const y = new Float64Array(rows);
  const signal = random() < 0.6;
  for (let r = 0; r < rows; r++) {
    const base = signal ? x[r * features]! + (features > 1 ? x[r * features + 1]! : 0) : 0;
    if (regression) y[r] = levels > 0 && random() < 0.5 ? Math.floor(base) : base + random() * 10;
    else
      y[r] = signal && random() < 0.8 ? Math.floor(base) % classes : Math.floor(random() * classes);
  }
  return { x, rows, features, y, classes };
}

function randomParams(random: Random): MlCartParams {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const params: MlCartParams = {
    minNumSamples: pick([0, 1, 2, 3, 5, 10]),
    maxDepth: pick([null, 1, 2, 3, 6]),
  };
  const threshold = pick([undefined, 0, 0.01, 0.05, 1]);
  if (threshold !== undefined) params.gainThreshold = threshold;
  return params;
}

function rowsOf(set: TrainingSet): number[][] {
  return Array.from({ length: set.rows }, (_, r) =>
    Array.from(set.x.subarray(r * set.features, (r + 1) * set.features)),
  );
}

function mlCartTree(set: TrainingSet, params: MlCartParams): unknown {
  const options = { ...params, maxDepth: params.maxDepth ?? Infinity };
  const model =
    set.classes === 0 ? new DecisionTreeRegression(options) : new DecisionTreeClassifier(options);
  model.train(rowsOf(set), Array.from(set.y));
  return JSON.parse(JSON.stringify(model.toJSON()));
}

const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('the ml-cart rules build the tree ml-cart builds', () => {
  it('on 300 random classification sets', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 300; i++) {
      const set = randomSet(random, false);
      const params = randomParams(random);
      expect(json(fitMlCart(set, params)), `set ${i}`).toEqual(mlCartTree(set, params));
    }
  });

  it('on 300 random regression sets', () => {
    const random = seededRandom(2);
    for (let i = 0; i < 300; i++) {
      const set = randomSet(random, true);
      const params = randomParams(random);
      expect(json(fitMlCart(set, params)), `set ${i}`).toEqual(mlCartTree(set, params));
    }
  });

  it('on larger sets up to 2,000 rows', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 6; i++) {
      const set = randomSet(random, i % 2 === 1, 2000);
      const params = randomParams(random);
      expect(json(fitMlCart(set, params)), `set ${i}`).toEqual(mlCartTree(set, params));
    }
  });

  it('a tree ml-cart loads predicts the same as Orpheus predicts with it', () => {
    const random = seededRandom(4);
    for (let i = 0; i < 20; i++) {
      const set = randomSet(random, i % 2 === 1);
      const { tree } = fitCart(set, {
        ...DEFAULT_CART_PARAMS,
        criterion: set.classes ? 'gini' : 'squared_error',
      });
      const model =
        set.classes === 0
          ? DecisionTreeRegression.load(json(tree))
          : DecisionTreeClassifier.load(json(tree));
      const ours = predictTree(tree, set.x, set.rows, set.features, set.classes).predictions;
      expect(Array.from(ours)).toEqual(model.predict(rowsOf(set)));
    }
  });
});

describe('the Orpheus rules', () => {
  const line = (ys: number[]): TrainingSet => ({
    x: Float64Array.from(ys, (_, i) => i + 1),
    rows: ys.length,
    features: 1,
    y: Float64Array.from(ys),
    classes: 0,
  });

  it('split where ml-cart’s regression refuses a split that leaves no error', () => {
    const set = line([1, 1, 1, 5, 5, 5]);
    const mlcart = fitMlCart(set, { minNumSamples: 3, maxDepth: null });
    expect(mlcart.root.distribution).toBe(3); // ml-cart: one leaf predicting 3 everywhere
    const ours = fitCart(set, { ...DEFAULT_CART_PARAMS, criterion: 'squared_error' });
    expect(ours.tree.root.splitValue).toBe(3.5);
    expect(Array.from(predictTree(ours.tree, set.x, 6, 1, 0).predictions)).toEqual([
      1, 1, 1, 5, 5, 5,
    ]);
  });

  it('fit a separable set perfectly, and respect max depth and min samples per leaf', () => {
    const random = seededRandom(5);
    const rows = 400;
    const x = new Float64Array(rows * 2);
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      x[r * 2] = random();
      x[r * 2 + 1] = random();
      y[r] = (x[r * 2]! > 0.5 ? 1 : 0) + (x[r * 2 + 1]! > 0.3 ? 1 : 0);
    }
    const set = { x, rows, features: 2, y, classes: 3 };
    const full = fitCart(set);
    expect(Array.from(predictTree(full.tree, x, rows, 2, 3).predictions)).toEqual(Array.from(y));
    expect(treeShape(full.tree).leaves).toBeLessThanOrEqual(4);
    expect(full.importances.reduce((a, b) => a + b)).toBeCloseTo(1);

    const stump = fitCart(set, { ...DEFAULT_CART_PARAMS, maxDepth: 1 });
    expect(treeShape(stump.tree).depth).toBe(1);
    const big = fitCart(set, { ...DEFAULT_CART_PARAMS, minSamplesLeaf: 150 });
    const sizes: number[] = [];
    const walk = (n: typeof big.tree.root): void => {
      if (n.left && n.right) {
        walk(n.left);
        walk(n.right);
      } else sizes.push(n.samples!);
    };
    walk(big.tree.root);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(150);
  });

  it('learn where missing values go', () => {
    // Class 1 when x > 5 or x is missing: the split must send missing values left with the 1s… or right.
    const xs = [1, 2, 3, 4, 6, 7, 8, 9, NaN, NaN, NaN, NaN];
    const ys = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
    const set = {
      x: Float64Array.from(xs),
      rows: 12,
      features: 1,
      y: Float64Array.from(ys),
      classes: 2,
    };
    const { tree } = fitCart(set);
    expect(Array.from(predictTree(tree, set.x, 12, 1, 2).predictions)).toEqual(ys);
    // With the 1s below the threshold the missing values must go left.
    const flipped = { ...set, x: Float64Array.from(xs, (v) => 10 - v) };
    const t2 = fitCart(flipped).tree;
    expect(t2.root.missingLeft).toBe(true);
    expect(Array.from(predictTree(t2, flipped.x, 12, 1, 2).predictions)).toEqual(ys);
  });

  it('give the same tree for the same seed, and use the seed when subsampling features', () => {
    const random = seededRandom(6);
    const set = randomSet(random, false, 500);
    const params = { ...DEFAULT_CART_PARAMS, maxFeatures: 'sqrt' as const };
    const a = json(fitCart(set, params, { seed: 7 }).tree);
    expect(json(fitCart(set, params, { seed: 7 }).tree)).toEqual(a);
    const others = [8, 9, 10, 11].map((seed) =>
      JSON.stringify(fitCart(set, params, { seed }).tree),
    );
    expect(others.some((t) => t !== JSON.stringify(a)) || set.features === 1).toBe(true);
  });

  it('train on a subset with shared sorted orders exactly as on the subset alone', () => {
    const random = seededRandom(8);
    const set = randomSet(random, false, 400);
    const subset = Int32Array.from({ length: set.rows }, (_, i) => i).filter((i) => i % 3 !== 0);
    const viaOrders = fitCart(set, DEFAULT_CART_PARAMS, { subset, orders: presort(set) }).tree;
    const p = set.features;
    const alone: TrainingSet = {
      ...set,
      rows: subset.length,
      x: Float64Array.from(
        { length: subset.length * p },
        (_, i) => set.x[subset[Math.floor(i / p)]! * p + (i % p)]!,
      ),
      y: Float64Array.from(subset, (r) => set.y[r]!),
    };
    const direct = fitCart(alone).tree;
    expect(
      Array.from(predictTree(viaOrders, alone.x, alone.rows, p, set.classes).predictions),
    ).toEqual(Array.from(predictTree(direct, alone.x, alone.rows, p, set.classes).predictions));
    expect(treeShape(viaOrders)).toEqual(treeShape(direct));
  });

  it('balance class weights so a rare class gets its own leaf', () => {
    const rows = 200;
    const x = Float64Array.from({ length: rows }, (_, i) => i);
    // 190 of class 0; the 10 of class 1 are mixed with class 0 near the end.
    const y = Float64Array.from({ length: rows }, (_, i) => (i >= 180 && i % 2 === 0 ? 1 : 0));
    const set = { x, rows, features: 1, y, classes: 2 };
    const plain = fitCart(set, { ...DEFAULT_CART_PARAMS, maxDepth: 1 });
    const balanced = fitCart(set, { ...DEFAULT_CART_PARAMS, maxDepth: 1, classWeight: 'balanced' });
    const ones = (t: typeof plain) =>
      predictTree(t.tree, x, rows, 1, 2).predictions.reduce((a, b) => a + b);
    expect(ones(plain)).toBe(0);
    expect(ones(balanced)).toBeGreaterThan(0);
  });

  it('refuse what cannot be trained, with a message', () => {
    const empty = {
      x: new Float64Array(0),
      rows: 0,
      features: 1,
      y: new Float64Array(0),
      classes: 2,
    };
    expect(() => fitCart(empty)).toThrow(TrainingError);
    const bad = {
      x: Float64Array.of(1, 2),
      rows: 2,
      features: 1,
      y: Float64Array.of(0, 5),
      classes: 2,
    };
    expect(() => fitCart(bad)).toThrow(/class code/);
    const reg = { ...bad, classes: 0 };
    expect(() => fitCart(reg)).toThrow(/classification/);
  });
});
