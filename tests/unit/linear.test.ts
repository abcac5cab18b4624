import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildContent, type DatasetContent } from '../../src/core/data/content';
import { suggestSchema } from '../../src/core/data/infer';
import { parseTable } from '../../src/core/data/parse';
import { naiveBayes } from '../../src/core/learners/bayes';
import { nearestNeighbours } from '../../src/core/learners/knn';
import { linearRegression, linearSvm, logisticRegression } from '../../src/core/learners/linear';
import { LOGISTIC_TOLERANCE } from '../../src/core/learners/linear/solve';
import {
  describePipeline,
  fitDesign,
  fitPipeline,
  PIPELINE_DEFAULTS,
  transform,
  widthOf,
} from '../../src/core/learners/pipeline';
import type { Encoding } from '../../src/core/records';
import type { TrainingSet } from '../../src/core/learners/training';
import { prepare, fitContext } from '../../src/core/train/evaluate';
import { predictRaw } from '../../src/core/predict/predict';
import { defaultParams, trainingSet, trainModel } from '../../src/core/train/model';

async function sample(file: string): Promise<DatasetContent> {
  const raw = await parseTable(readFileSync(`public/samples/${file}`, 'utf8'), { fileName: file });
  const s = suggestSchema(raw);
  return buildContent(raw.columns, s.columns, s.task, raw.rowCount);
}

/** 40 rows: a number (NaN in row 3), a category of 3 codes; two classes by the number. */
function small(): TrainingSet {
  const rows = 40;
  const x = new Float64Array(rows * 2);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    x[r * 2] = r === 3 ? NaN : (r % 10) + 0.5 * (r % 3);
    x[r * 2 + 1] = r % 3;
    y[r] = (r % 10) + ((r * 7) % 5) > 8 ? 1 : 0;
  }
  return { x, rows, features: 2, y, classes: 2, categories: [0, 3] };
}

describe('preprocessing as part of the model', () => {
  it('is fitted on the training rows only: a value only a held-out fold has does not leak', async () => {
    const { set } = trainingSet(await sample('iris.csv'));
    const prep = prepare(set, { folds: 5, testFraction: 0.2, seed: 3 });
    // Plant a huge value in every row of fold 0 (and a missing one in the first).
    const planted = Float64Array.from(set.x);
    const fold = prep.folds[0]!;
    for (const r of fold) planted[r * set.features] = 1e6;
    planted[fold[0]! * set.features] = NaN;
    const leaky = { ...set, x: planted };
    const context = fitContext({ ...prep, set: leaky }, 0);
    const { fitted } = logisticRegression.fit(
      leaky,
      logisticRegression.defaults('classification'),
      context,
    );
    const train = context.subset!;
    const values = Array.from(train, (r) => planted[r * set.features]!);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.max(...values)).toBeLessThan(100);
    expect(fitted.pipeline.values.center[0]).toBeCloseTo(mean, 10);
    expect(fitted.pipeline.values.fill[0]).toBeCloseTo(mean, 10);
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    expect(fitted.pipeline.values.scale[0]).toBeCloseTo(sd, 10);
  });

  it('imputes, adds indicators, one-hot encodes (unseen or missing: all zeros) and standardizes', () => {
    const set = small();
    const rows = new Int32Array(set.rows).map((_, i) => i);
    const p = fitPipeline(set, rows, {
      impute: 'median',
      fillValue: 0,
      indicator: 'yes',
      oneHot: 'yes',
      scale: 'none',
    });
    // One value column, one indicator (only the number has a missing value), three categories.
    expect(widthOf(p)).toBe(5);
    const present = Array.from(rows, (r) => set.x[r * 2]!)
      .filter((v) => !Number.isNaN(v))
      .sort((a, b) => a - b);
    const median = present[19]!; // 39 present values
    expect(p.values.fill[0]).toBe(median);
    const design = transform(p, [NaN, 2, 4, 7], 2, 2);
    expect(Array.from(design)).toEqual([median, 1, 0, 0, 1, 4, 0, 0, 0, 0]);
  });

  it('says which features had one value and which categories one row, on the training rows', () => {
    const set = small();
    // A third feature, constant on rows 0-29 only; the category code 2 on one of those rows.
    const x = new Float64Array(set.rows * 3);
    for (let r = 0; r < set.rows; r++) {
      x[r * 3] = set.x[r * 2]!;
      x[r * 3 + 1] = r < 30 ? (r === 7 ? 2 : r % 2) : set.x[r * 2 + 1]!;
      x[r * 3 + 2] = r < 30 ? 5 : r;
    }
    const wide = { ...set, x, features: 3, categories: [0, 3, 0] };
    const encoding = {
      features: [
        { name: 'size', kind: 'numeric' },
        { name: 'colour', kind: 'categorical', categories: ['red', 'green', 'blue'] },
        { name: 'batch', kind: 'numeric' },
      ],
    } as unknown as Encoding;
    const params = { ...PIPELINE_DEFAULTS };
    const first = Int32Array.from({ length: 30 }, (_, i) => i);
    const p = fitPipeline(wide, first, params);
    expect(p.constant).toEqual([2]);
    expect(p.values.scale[1]).toBe(1); // left unscaled, as StandardScaler
    expect(p.single?.map((i) => [p.onehot.from[i], p.onehot.code[i]])).toEqual([[1, 2]]);
    const said = describePipeline(p, encoding);
    expect(said).toContainEqual(
      expect.stringMatching(/^batch has one value on every training row/),
    );
    expect(said).toContainEqual(
      expect.stringMatching(/^Categories on one training row only: colour: blue\. /),
    );
    // On every row neither holds, and nothing is said.
    const all = fitPipeline(
      wide,
      Int32Array.from({ length: 40 }, (_, i) => i),
      params,
    );
    expect(all.constant).toBeUndefined();
    expect(all.single).toBeUndefined();
    expect(describePipeline(all, encoding).join(' ')).not.toMatch(/one value|one training row/);
    // Without standardization a constant feature is not a problem of the steps.
    expect(fitPipeline(wide, first, { ...params, scale: 'none' }).constant).toBeUndefined();
  });

  it('is fitted once per fold and settings in a search: later trials reuse it', () => {
    const set = small();
    const shared = new Map<string, unknown>();
    const fold = Int32Array.from({ length: 30 }, (_, i) => i);
    const other = Int32Array.from({ length: 30 }, (_, i) => i + 10);
    const base = {
      impute: 'mean',
      fillValue: 0,
      indicator: 'no',
      oneHot: 'yes',
      scale: 'standard',
    } as const;
    const first = fitDesign(set, fold, base, shared);
    // The same rows and settings: the same fitted steps and design, not fitted again.
    expect(fitDesign(set, fold, { ...base }, shared)).toBe(first);
    // What is kept is what a fit without the memo gives.
    const fresh = fitDesign(set, fold, base);
    expect(fresh).not.toBe(first);
    expect(fresh).toEqual(first);
    // Other rows or other settings are fitted on their own.
    expect(fitDesign(set, other, base, shared)).not.toBe(first);
    const scaled = fitDesign(set, fold, { ...base, scale: 'none' }, shared);
    expect(scaled).not.toBe(first);
    expect(scaled.design).not.toEqual(first.design);
    // Only the last few are kept: after eight others, the first is fitted again.
    for (let i = 0; i < 8; i++) fitDesign(set, fold, { ...base, fillValue: i + 1 }, shared);
    expect(fitDesign(set, fold, base, shared)).not.toBe(first);
  });
});

describe('logistic regression', () => {
  it('stops by scikit-learn’s rule: the mean loss’s largest gradient component within the tolerance', async () => {
    for (const file of ['iris.csv', 'breast-cancer.csv']) {
      const { set } = trainingSet(await sample(file));
      const params = { ...logisticRegression.defaults('classification'), C: 0.5 };
      const { fitted } = logisticRegression.fit(set, params, { seed: 0 });
      expect(fitted.optimizer!.converged).toBe(true);
      const rows = new Int32Array(set.rows).map((_, i) => i);
      const design = transform(fitted.pipeline, set.x, set.rows, set.features);
      const m = widthOf(fitted.pipeline);
      const k = fitted.intercept.length;
      const p = logisticRegression.predict(
        fitted,
        set.x,
        set.rows,
        set.features,
        set.classes,
      ).probabilities!;
      const grad = new Float64Array(k * m);
      for (const r of rows)
        for (let c = 0; c < k; c++) {
          const cls = k === 1 ? 1 : c;
          const residual = p[r * set.classes + cls]! - (set.y[r] === cls ? 1 : 0);
          for (let j = 0; j < m; j++) grad[c * m + j]! += params.C * residual * design[r * m + j]!;
        }
      fitted.coef.forEach((w, i) => (grad[i]! += w));
      // C · Σ loss + ½‖coef‖² is scikit-learn's objective times C · n: the tolerance in that unit.
      const tol = LOGISTIC_TOLERANCE * params.C * set.rows;
      for (const g of grad) expect(Math.abs(g)).toBeLessThanOrEqual(tol);
      expect(Math.max(...grad.map(Math.abs))).toBeGreaterThan(tol / 1e4); // not the exact optimum
    }
  });

  it('says when it did not converge, and still gives a model', async () => {
    const { set, encoding } = trainingSet(await sample('breast-cancer.csv'));
    const params = { ...logisticRegression.defaults('classification'), C: 1000, maxIterations: 10 };
    const { fitted } = logisticRegression.fit(set, params, { seed: 0 });
    expect(fitted.optimizer).toMatchObject({ converged: false, iterations: 10 });
    const facts = logisticRegression.facts!(fitted, encoding);
    expect(facts[0]![1]).toMatch(
      /did NOT converge within 10 iterations .*raise Max iterations, or lower C/,
    );
  });

  it('says when the training rows are separable, and the penalty keeps the fit finite and short', async () => {
    const { set, encoding } = trainingSet(await sample('iris.csv'));
    // Setosa against the rest: separable. At the largest C the log loss would fall for ever.
    const binary = { ...set, y: Float64Array.from(set.y, (c) => (c === 0 ? 1 : 0)), classes: 2 };
    const params = { ...logisticRegression.defaults('classification'), C: 1e6 };
    const { fitted } = logisticRegression.fit(binary, params, { seed: 0 });
    expect(fitted.separable).toBe(true);
    expect(fitted.optimizer!.iterations).toBeLessThan(params.maxIterations);
    expect(fitted.coef.every(Number.isFinite)).toBe(true);
    const p = logisticRegression.predict(fitted, binary.x, binary.rows, binary.features, 2);
    expect(Array.from(p.predictions)).toEqual(Array.from(binary.y));
    const largest = Math.max(...fitted.coef.map(Math.abs)).toPrecision(3);
    const note = logisticRegression.facts!(fitted, encoding).find((f) => f[0] === 'Separable');
    expect(note![1]).toContain(`without a penalty they would grow without bound`);
    expect(note![1]).toContain(`held the largest at ${largest}`);
    // A stronger penalty, smaller coefficients: still separable here, and said so.
    const held = logisticRegression.fit(binary, { ...params, C: 1 }, { seed: 0 }).fitted;
    expect(Math.max(...held.coef.map(Math.abs))).toBeLessThan(Number(largest));
    // All three species are not separable (versicolor and virginica overlap): no such note.
    const three = logisticRegression.fit(set, params, { seed: 0 }).fitted;
    expect(three.separable).toBeUndefined();
    expect(logisticRegression.facts!(three, encoding).map((f) => f[0])).not.toContain('Separable');
    // The note is not part of the model: without it, the same model for Reproduce.
    const before = { ...fitted };
    delete before.separable;
    expect(logisticRegression.same(before, fitted)).toBe(true);
    expect(logisticRegression.same(held, fitted)).toBe(false);
  });

  it('refuses settings out of range, naming the setting and the range', () => {
    const base = logisticRegression.defaults('classification');
    expect(() => logisticRegression.checkParams({ ...base, C: 0 }, 'classification')).toThrow(
      /C \(inverse regularization\) must be between 0\.000001 and 1000000, not 0/,
    );
    expect(() =>
      logisticRegression.checkParams({ ...base, maxIterations: 2.5 }, 'classification'),
    ).toThrow(/Max iterations must be a whole number/);
    expect(() =>
      logisticRegression.checkParams({ ...base, impute: 'guess' as never }, 'classification'),
    ).toThrow(/Missing numbers become must be one of the mean, the median/);
  });
});

describe('linear regression', () => {
  it('solves the ridge normal equations exactly, and ordinary least squares with one-hot columns', async () => {
    const { set } = trainingSet(await sample('diabetes.csv'));
    for (const alpha of [0, 3]) {
      const { fitted } = linearRegression.fit(
        set,
        { ...linearRegression.defaults('regression'), alpha },
        { seed: 0 },
      );
      const m = widthOf(fitted.pipeline);
      const design = transform(fitted.pipeline, set.x, set.rows, set.features);
      const pred = linearRegression.predict(fitted, set.x, set.rows, set.features, 0).predictions;
      // Xᵀ(y − ŷ) = α β, and the residuals sum to 0 (the intercept is not penalized).
      let sum = 0;
      for (let r = 0; r < set.rows; r++) sum += set.y[r]! - pred[r]!;
      expect(Math.abs(sum)).toBeLessThan(1e-6);
      for (let j = 0; j < m; j++) {
        let g = 0;
        for (let r = 0; r < set.rows; r++) g += design[r * m + j]! * (set.y[r]! - pred[r]!);
        expect(g).toBeCloseTo(alpha * fitted.coef[j]!, 6);
      }
    }
    // A category one-hot encoded beside the intercept: collinear, still the least-squares fit.
    const cats = small();
    const { fitted } = linearRegression.fit(
      { ...cats, y: Float64Array.from({ length: 40 }, (_, r) => [1, 5, -2][r % 3]!), classes: 0 },
      { ...linearRegression.defaults('regression'), alpha: 0 },
      { seed: 0 },
    );
    const out = linearRegression.predict(fitted, cats.x, 40, 2, 0).predictions;
    for (let r = 0; r < 40; r++) expect(out[r]).toBeCloseTo([1, 5, -2][r % 3]!, 8);
  });
});

describe('naive Bayes', () => {
  it('gives the priors, normal densities and smoothed category shares worked out by hand', () => {
    // Four rows: a number and a category of two codes; classes 0, 0, 1, 1.
    const set: TrainingSet = {
      x: Float64Array.from([1, 0, 3, 0, 10, 1, 14, 0]),
      rows: 4,
      features: 2,
      y: Float64Array.from([0, 0, 1, 1]),
      classes: 2,
      categories: [0, 2],
    };
    const params = { ...naiveBayes.defaults('classification'), varSmoothing: 0, alpha: 1 };
    const { fitted } = naiveBayes.fit(set, params, { seed: 0 });
    expect(fitted.logPrior.map(Math.exp)).toEqual([0.5, 0.5]);
    expect(fitted.gaussian.mean).toEqual([2, 12]);
    expect(fitted.gaussian.variance).toEqual([1, 4]);
    // P(code | class) = (count + 1) / (class rows + 2).
    expect(fitted.categorical.logProb[0]!.map((l) => Number(Math.exp(l).toFixed(10)))).toEqual([
      0.75, 0.5, 0.25, 0.5,
    ]);
    const row = [4, 1];
    const normal = (x: number, m: number, v: number): number =>
      Math.exp(-((x - m) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v);
    const a = 0.5 * normal(4, 2, 1) * 0.25;
    const b = 0.5 * normal(4, 12, 4) * 0.5;
    const p = naiveBayes.predictRow(fitted, row, 2).probabilities!;
    expect(p[0]).toBeCloseTo(a / (a + b), 12);
    expect(p[1]).toBeCloseTo(b / (a + b), 12);
  });

  it('says what to do about a number that is constant within a class when nothing smooths it', () => {
    const set: TrainingSet = {
      x: Float64Array.from([1, 1, 2, 3]),
      rows: 4,
      features: 1,
      y: Float64Array.from([0, 0, 1, 1]),
      classes: 2,
    };
    const params = { ...naiveBayes.defaults('classification'), varSmoothing: 0 };
    expect(() => naiveBayes.fit(set, params, { seed: 0 })).toThrow(/raise Variance smoothing/);
    // With the usual smoothing it trains.
    expect(
      naiveBayes.fit(set, naiveBayes.defaults('classification'), { seed: 0 }).fitted.classes,
    ).toBe(2);
  });
});

describe('k-nearest neighbours', () => {
  /** Six rows on a line: three of class 0 near 0, three of class 1 near 10. */
  const line: TrainingSet = {
    x: Float64Array.from([0, 1, 2, 9, 10, 11]),
    rows: 6,
    features: 1,
    y: Float64Array.from([0, 0, 0, 1, 1, 1]),
    classes: 2,
  };
  const raw = { ...nearestNeighbours.defaults('classification'), scale: 'none' as const };

  it('votes among the k nearest rows, nearer ones first, and says which they were', () => {
    const { fitted } = nearestNeighbours.fit(line, { ...raw, k: 3 }, { seed: 0 });
    const out = nearestNeighbours.predictRow(fitted, [7.5], 2);
    // Nearest to 7.5: 9 (1.5), 10 (2.5), 11 (3.5) — all class 1.
    expect(out.value).toBe(1);
    expect(out.probabilities).toEqual([0, 1]);
    const encoding = {
      task: 'classification' as const,
      features: [{ name: 'x', kind: 'numeric' as const }],
      target: 'side',
      classes: ['left', 'right'],
    };
    expect(nearestNeighbours.explainRow!(out.path, encoding)).toEqual([
      'Training row 4 at distance 1.5: side right',
      'Training row 5 at distance 2.5: side right',
      'Training row 6 at distance 3.5: side right',
    ]);
    // Five neighbours of 4: 2, 1, 0 (class 0) and 9, 10 (class 1): 3 votes to 2.
    const five = nearestNeighbours.fit(line, { ...raw, k: 5 }, { seed: 0 }).fitted;
    expect(nearestNeighbours.predictRow(five, [4], 2).probabilities).toEqual([0.6, 0.4]);
    // Weighted by 1 / distance: 1/2 + 1/3 + 1/4 against 1/5 + 1/6.
    const weighted = nearestNeighbours.fit(
      line,
      { ...raw, k: 5, weights: 'distance' },
      { seed: 0 },
    );
    const p = nearestNeighbours.predictRow(weighted.fitted, [4], 2).probabilities!;
    const a = 1 / 2 + 1 / 3 + 1 / 4;
    const b = 1 / 5 + 1 / 6;
    expect(p[0]).toBeCloseTo(a / (a + b), 12);
    // A row at distance 0 takes all the weight.
    expect(nearestNeighbours.predictRow(weighted.fitted, [9], 2).probabilities).toEqual([0, 1]);
  });

  it('refuses a k larger than the rows it trains on, with what to choose instead', () => {
    expect(() =>
      nearestNeighbours.fit(
        line,
        { ...raw, k: 10 },
        { seed: 0, subset: Int32Array.from([0, 1, 2, 3]) },
      ),
    ).toThrow('k is 10, but only 4 rows are trained on: choose a k of at most 4.');
  });
});

describe('linear SVM', () => {
  it('separates separable classes, gives decision values and says it has no probabilities', async () => {
    const { set, encoding } = trainingSet(await sample('iris.csv'));
    // Setosa against the rest is linearly separable.
    const binary = { ...set, y: Float64Array.from(set.y, (c) => (c === 0 ? 1 : 0)), classes: 2 };
    for (const loss of ['hinge', 'squared_hinge'] as const) {
      const { fitted } = linearSvm.fit(
        binary,
        { ...linearSvm.defaults('classification'), loss },
        { seed: 4 },
      );
      expect(fitted.optimizer!.converged).toBe(true);
      const p = linearSvm.predict(fitted, binary.x, binary.rows, binary.features, 2);
      expect(p.probabilities).toBeNull();
      expect(Array.from(p.predictions)).toEqual(Array.from(binary.y));
    }
    // Three classes: one against the rest each, the largest decision value wins.
    const { fitted } = linearSvm.fit(set, linearSvm.defaults('classification'), { seed: 4 });
    expect(fitted.intercept).toHaveLength(3);
    const p = linearSvm.predict(fitted, set.x, set.rows, set.features, 3);
    let right = 0;
    p.predictions.forEach((c, r) => (right += c === set.y[r] ? 1 : 0));
    expect(right / set.rows).toBeGreaterThan(0.9);
    expect(linearSvm.facts!(fitted, encoding).map((f) => f[0])).toContain('Probabilities');
    // The same seed, the same model.
    expect(linearSvm.fit(set, linearSvm.defaults('classification'), { seed: 4 }).fitted).toEqual(
      fitted,
    );
  });
});

describe('logistic regression with an L1 penalty', () => {
  it('meets the L1 optimality conditions, with coefficients exactly zero where they do not help', async () => {
    const { set, encoding } = trainingSet(await sample('breast-cancer.csv'));
    const params = {
      ...logisticRegression.defaults('classification'),
      penalty: 'l1' as const,
      C: 0.1,
    };
    const { fitted } = logisticRegression.fit(set, params, { seed: 0 });
    expect(fitted.optimizer!.converged).toBe(true);
    const zeros = fitted.coef.filter((c) => c === 0).length;
    expect(zeros).toBeGreaterThan(10); // of 30
    // The smooth part's gradient: C · Σ (p − y) x. At the optimum it is −sign(w) where w ≠ 0
    // and within [−1, 1] where w = 0; the intercept's is 0.
    const design = transform(fitted.pipeline, set.x, set.rows, set.features);
    const m = widthOf(fitted.pipeline);
    const p = logisticRegression.predict(fitted, set.x, set.rows, set.features, 2).probabilities!;
    const grad = new Float64Array(m);
    let bias = 0;
    for (let r = 0; r < set.rows; r++) {
      const residual = params.C * (p[r * 2 + 1]! - set.y[r]!);
      bias += residual;
      for (let j = 0; j < m; j++) grad[j]! += residual * design[r * m + j]!;
    }
    // Within the tolerance on the mean loss, in the unit of C · Σ loss (C · n times it).
    const tol = LOGISTIC_TOLERANCE * params.C * set.rows;
    expect(Math.abs(bias)).toBeLessThanOrEqual(tol);
    fitted.coef.forEach((w, j) => {
      if (w === 0) expect(Math.abs(grad[j]!)).toBeLessThanOrEqual(1 + tol);
      else expect(Math.abs(grad[j]! + Math.sign(w))).toBeLessThanOrEqual(tol);
    });
    expect(logisticRegression.facts!(fitted, encoding)[0]![1]).toMatch(
      new RegExp(`OWL-QN .*; ${zeros} of 30 coefficients are exactly zero`),
    );
    // The L2 fit of the same C has no zero coefficient.
    const l2 = logisticRegression.fit(set, { ...params, penalty: 'l2' }, { seed: 0 });
    expect(l2.fitted.coef.filter((c) => c === 0)).toHaveLength(0);
  });
});

describe('a category training never saw', () => {
  it('is predicted by a one-hot model with a note saying so, and refused by a tree', async () => {
    const content = await sample('penguins.csv');
    const spec = {
      params: logisticRegression.defaults('classification'),
      plan: { folds: 3, testFraction: 0.2, seed: 1 },
      metric: 'accuracy' as const,
    };
    const row = {
      island: 'Atlantis',
      bill_length_mm: '48',
      bill_depth_mm: '15',
      flipper_length_mm: '220',
      body_mass_g: '5200',
      sex: 'male',
    };
    const lr = trainModel(content, { ...spec, family: 'logistic-regression' });
    const got = predictRaw(
      { family: lr.family, fitted: lr.fitted, encoding: lr.encoding },
      row,
      true,
    );
    expect(got).toMatchObject({
      ok: true,
      notes: [
        '"island" has the category "Atlantis", which training never saw: its one-hot columns are all zeros.',
      ],
    });
    // The same row with every island column zero: what the one-hot encoding says.
    const known = predictRaw(
      { family: lr.family, fitted: lr.fitted, encoding: lr.encoding },
      { ...row, island: '' },
      true,
    );
    expect(got.ok && known.ok && got.prediction).toEqual(known.ok && known.prediction);
    const tree = trainModel(content, {
      ...spec,
      family: 'decision-tree',
      params: defaultParams('classification'),
    });
    const refused = predictRaw(
      { family: tree.family, fitted: tree.fitted, encoding: tree.encoding },
      row,
      true,
    );
    expect(refused).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/unknown category "Atlantis"/)],
    });
  });
});

describe('preprocessing in a search', () => {
  it('is part of each pipeline family’s space, and a trial’s choices reach the fitted steps', async () => {
    for (const l of [logisticRegression, linearSvm, nearestNeighbours, linearRegression]) {
      const task = l.tasks[0]!;
      expect(Object.keys(l.defaultSpace(task))).toEqual(
        expect.arrayContaining(['impute', 'scale']),
      );
    }
    expect(Object.keys(naiveBayes.defaultSpace('classification'))).toContain('impute');
    const { set } = trainingSet(await sample('penguins.csv'));
    const params = logisticRegression.withParams(
      { C: 2, impute: 'median', scale: 'none', notASetting: 1 },
      logisticRegression.defaults('classification'),
    );
    expect(params).toMatchObject({ C: 2, impute: 'median', scale: 'none' });
    expect(params).not.toHaveProperty('notASetting');
    const { fitted } = logisticRegression.fit(set, params, { seed: 0 });
    expect(fitted.pipeline.impute).toBe('median');
    expect(fitted.pipeline.values.scale.every((x) => x === 1)).toBe(true);
  });
});
