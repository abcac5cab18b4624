import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildContent, type DatasetContent } from '../../src/core/data/content';
import { suggestSchema } from '../../src/core/data/infer';
import { parseTable } from '../../src/core/data/parse';
import { seededRandom } from '../../src/core/random';
import type { TrainingSet } from '../../src/core/learners/training';
import { holdoutSplit, learningCurve, stratifiedFolds } from '../../src/core/train/evaluate';
import { classificationScores, regressionScores } from '../../src/core/train/metrics';
import {
  defaultMetric,
  defaultParams,
  trainModel,
  trainingSet,
  type TrainSpec,
} from '../../src/core/train/model';
import { scenarioFor } from '../../src/core/train/scenario';
import { sameTree, type TreeModel } from '../../src/core/learners/tree/tree';

async function content(text: string): Promise<DatasetContent> {
  const raw = await parseTable(text, { fileName: 'data.csv' });
  const s = suggestSchema(raw);
  return buildContent(raw.columns, s.columns, s.task, raw.rowCount);
}

const iris = (): Promise<DatasetContent> =>
  content(readFileSync('public/samples/iris.csv', 'utf8'));

const spec = (c: DatasetContent, seed = 1): TrainSpec => ({
  params: defaultParams(c.task),
  plan: { folds: 5, testFraction: 0.2, seed },
  metric: defaultMetric(c.task, null),
});

describe('metrics', () => {
  it('match hand-computed values for a small classification', () => {
    // truth:     0 0 0 1 1 2
    // predicted: 0 0 1 1 2 2
    const s = classificationScores([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], null, 3);
    expect(s.accuracy).toBeCloseTo(4 / 6);
    expect(s.confusion).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(s.precision).toEqual([1, 0.5, 0.5]);
    expect(s.recall).toEqual([2 / 3, 0.5, 1]);
    const f1 = [0.8, 0.5, 2 / 3];
    s.f1.forEach((v, i) => expect(v).toBeCloseTo(f1[i]!));
    expect(s.f1_macro).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3);
    expect(s.balanced_accuracy).toBeCloseTo((2 / 3 + 0.5 + 1) / 3);
  });

  it('compute log loss from probabilities, clipped', () => {
    const probs = Float64Array.of(0.8, 0.2, 0.4, 0.6, 1, 0);
    const s = classificationScores([0, 1, 1], [0, 1, 0], probs, 2);
    expect(s.log_loss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6) + Math.log(1e-15)) / 3, 6);
  });

  it('match hand-computed regression scores', () => {
    const s = regressionScores([1, 2, 3, 4], [1, 2, 4, 2]);
    // residuals 0 0 −1 2: SSE 5, SST 5 → R² 0; RMSE √(5/4); MAE 3/4
    expect(s.r2).toBeCloseTo(0);
    expect(s.rmse).toBeCloseTo(Math.sqrt(5 / 4));
    expect(s.mae).toBeCloseTo(0.75);
  });
});

describe('splits', () => {
  const set: TrainingSet = {
    x: new Float64Array(100),
    rows: 100,
    features: 1,
    y: Float64Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1)),
    classes: 2,
  };

  it('hold out a stratified share, the same for the same seed', () => {
    const a = holdoutSplit(set, 0.2, seededRandom(3));
    expect(a.test.length).toBe(20);
    expect(Array.from(a.test).filter((r) => r >= 80).length).toBe(4);
    expect(new Set([...a.train, ...a.test]).size).toBe(100);
    expect(holdoutSplit(set, 0.2, seededRandom(3))).toEqual(a);
    expect(holdoutSplit(set, 0.2, seededRandom(4)).test).not.toEqual(a.test);
  });

  it('deal folds that keep the class balance', () => {
    const rows = Int32Array.from({ length: 100 }, (_, i) => i);
    const folds = stratifiedFolds(set, rows, 5, seededRandom(1));
    for (const f of folds) {
      expect(f.length).toBe(20);
      expect(Array.from(f).filter((r) => r >= 80).length).toBe(4);
    }
  });
});

describe('training a dataset version', () => {
  it('scores iris well, records the encoding, and repeats exactly with the same seed', async () => {
    const c = await iris();
    const a = trainModel(c, spec(c));
    expect(a.cv.accuracy!.mean).toBeGreaterThan(0.85);
    expect(a.cv.accuracy!.folds).toHaveLength(5);
    expect('accuracy' in a.holdout && a.holdout.accuracy).toBeGreaterThan(0.8);
    expect(a.encoding.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(a.holdoutRows).toHaveLength(30);
    expect(a.tags).toContain('multiclass');
    const b = trainModel(c, spec(c));
    expect(sameTree(a.fitted as TreeModel, b.fitted as TreeModel)).toBe(true);
    expect(b.holdoutPredictions).toEqual(a.holdoutPredictions);
  });

  it('draws a learning curve over growing training sets', async () => {
    const c = await iris();
    const { set } = trainingSet(c);
    const points = learningCurve(set, defaultParams('classification'), spec(c).plan, 'accuracy', 4);
    expect(points.map((p) => p.rows)).toEqual([30, 60, 90, 120]);
    expect(points.at(-1)!.test).toBeGreaterThan(0.8);
  });

  it('refuses data it cannot learn from, with a message', async () => {
    const c = await iris();
    // A version whose target holds one class (the data layer refuses to build one; the trainer checks again).
    const ti = c.schema.findIndex((col) => col.role === 'target');
    const oneClass = {
      ...c,
      columns: c.columns.map((col, i) =>
        i === ti && col.kind === 'categorical'
          ? { ...col, codes: new Int32Array(c.rowCount) }
          : col,
      ),
    };
    expect(() => trainModel(oneClass, spec(c))).toThrow(/only one value/);
    const noFeatures = {
      ...c,
      schema: c.schema.map((s) => (s.role === 'feature' ? { ...s, role: 'ignored' as const } : s)),
    };
    expect(() => trainModel(noFeatures, spec(c))).toThrow(/feature/);
    const tiny = await content('a,label\n1,x\n2,y\n3,x\n4,y\n');
    expect(() => trainModel(tiny, spec(tiny))).toThrow(/too few/);
    expect(() => trainModel(c, { ...spec(c), params: { ...spec(c).params, maxDepth: 0 } })).toThrow(
      /Max depth/,
    );
    const reg = { ...c, task: 'regression' as const };
    expect(() => trainModel(reg, { ...spec(c) })).toThrow(/regression|numeric/i);
  });

  it('picks macro F1 for unbalanced classes', () => {
    const profile = {
      classBalance: [
        { value: 'a', count: 90 },
        { value: 'b', count: 10 },
      ],
    };
    expect(defaultMetric('classification', profile as never)).toBe('f1_macro');
    expect(defaultMetric('regression', null)).toBe('r2');
  });
});

describe('train(data, model): the four scenarios', () => {
  it('are told apart by what the model and the data have seen', () => {
    expect(scenarioFor({ dataVersionId: 'd1', modelTrainedOn: null, versionsOnData: 0 })).toBe(
      'search-new',
    );
    expect(scenarioFor({ dataVersionId: 'd1', modelTrainedOn: null, versionsOnData: 2 })).toBe(
      'train-new',
    );
    expect(scenarioFor({ dataVersionId: 'd2', modelTrainedOn: ['d1'], versionsOnData: 0 })).toBe(
      'retrain',
    );
    expect(scenarioFor({ dataVersionId: 'd1', modelTrainedOn: ['d1'], versionsOnData: 1 })).toBe(
      'history',
    );
  });
});
