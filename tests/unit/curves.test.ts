import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  atThreshold,
  cheapestThreshold,
  curveSet,
  prCurve,
  reliability,
  rocCurve,
  type ClassifierOutputs,
} from '../../src/core/train/curves';
import { thresholdedFolds, thresholdedScores } from '../../src/core/train/threshold';
import { applyThreshold } from '../../src/core/predict/predict';

/** Outputs and scikit-learn 1.2's numbers for them, from tests/fixtures/make-curves.py. */
interface Fixture {
  binary: {
    name: string;
    truth: number[];
    probabilities: number[];
    auc: number;
    ap: number;
    brier: number;
    logLoss: number;
    roc: { fpr: number[]; tpr: number[]; thresholds: number[] };
    pr: { precision: number[]; recall: number[] };
    calibration: { observed: number[]; predicted: number[] };
  }[];
  multiclass: {
    name: string;
    classes: number;
    truth: number[];
    probabilities: number[];
    macroAuc: number;
    microAuc: number;
    macroAp: number;
    microAp: number;
    brier: number;
    logLoss: number;
    perClass: {
      auc: number;
      ap: number;
      fpr: number[];
      tpr: number[];
      observed: number[];
      predicted: number[];
    }[];
  }[];
  decision: {
    name: string;
    truth: number[];
    decision: number[];
    auc: number;
    ap: number;
    roc: { fpr: number[]; tpr: number[] };
  }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/curves-sklearn.json', import.meta.url), 'utf8'),
) as Fixture;

function close(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!)).toBeLessThan(1e-9));
}

describe('curves, against scikit-learn', () => {
  for (const c of fixture.binary)
    it(`two classes: ${c.name}`, () => {
      const o: ClassifierOutputs = {
        truth: c.truth,
        classes: 2,
        probabilities: c.probabilities,
        decision: null,
        width: 0,
      };
      const s = curveSet(o);
      expect(Math.abs(s.macroAuc - c.auc)).toBeLessThan(1e-9);
      expect(Math.abs(s.macroAp - c.ap)).toBeLessThan(1e-9);
      expect(Math.abs(s.brier - c.brier)).toBeLessThan(1e-9);
      expect(Math.abs(s.logLoss - c.logLoss)).toBeLessThan(1e-9);
      const positive = s.perClass[1]!;
      close(positive.roc.fpr, c.roc.fpr);
      close(positive.roc.tpr, c.roc.tpr);
      // scikit-learn 1.2 puts max + 1 first; Orpheus puts +∞ (no row is called positive).
      expect(positive.roc.thresholds[0]).toBe(Infinity);
      close(positive.roc.thresholds.slice(1), c.roc.thresholds);
      close(positive.pr.precision, c.pr.precision);
      close(positive.pr.recall, c.pr.recall);
      const bins = positive.reliability!.bins;
      close(
        bins.map((b) => b.observed),
        c.calibration.observed,
      );
      close(
        bins.map((b) => b.predicted),
        c.calibration.predicted,
      );
      expect(bins.reduce((a, b) => a + b.rows, 0)).toBe(c.truth.length);
    });

  for (const c of fixture.multiclass)
    it(`${c.classes} classes, one-vs-rest with macro and micro averages: ${c.name}`, () => {
      const s = curveSet({
        truth: c.truth,
        classes: c.classes,
        probabilities: c.probabilities,
        decision: null,
        width: 0,
      });
      expect(Math.abs(s.macroAuc - c.macroAuc)).toBeLessThan(1e-9);
      expect(Math.abs(s.macroAp - c.macroAp)).toBeLessThan(1e-9);
      expect(Math.abs(s.micro!.roc.auc - c.microAuc)).toBeLessThan(1e-9);
      expect(Math.abs(s.micro!.pr.ap - c.microAp)).toBeLessThan(1e-9);
      expect(Math.abs(s.brier - c.brier)).toBeLessThan(1e-9);
      expect(Math.abs(s.logLoss - c.logLoss)).toBeLessThan(1e-9);
      c.perClass.forEach((k, i) => {
        const mine = s.perClass[i]!;
        expect(Math.abs(mine.roc.auc - k.auc)).toBeLessThan(1e-9);
        expect(Math.abs(mine.pr.ap - k.ap)).toBeLessThan(1e-9);
        close(mine.roc.fpr, k.fpr);
        close(mine.roc.tpr, k.tpr);
        close(
          mine.reliability!.bins.map((b) => b.observed),
          k.observed,
        );
        close(
          mine.reliability!.bins.map((b) => b.predicted),
          k.predicted,
        );
      });
    });

  for (const c of fixture.decision)
    it(`decision values instead of probabilities: ${c.name}`, () => {
      const s = curveSet({
        truth: c.truth,
        classes: 2,
        probabilities: null,
        decision: c.decision,
        width: 1,
      });
      expect(s.hasProbabilities).toBe(false);
      expect(s.perClass[1]!.reliability).toBeNull();
      expect(Number.isNaN(s.brier)).toBe(true);
      expect(Number.isNaN(s.logLoss)).toBe(true);
      expect(Math.abs(s.macroAuc - c.auc)).toBeLessThan(1e-9);
      expect(Math.abs(s.macroAp - c.ap)).toBeLessThan(1e-9);
      close(s.perClass[1]!.roc.fpr, c.roc.fpr);
      close(s.perClass[1]!.roc.tpr, c.roc.tpr);
      // The first class against the rest: both the sides and the scores turn over, so the
      // ranking, and its AUC, stay the same.
      expect(Math.abs(s.perClass[0]!.roc.auc - c.auc)).toBeLessThan(1e-9);
    });
});

describe('curves, by hand', () => {
  it('a perfect ranking has AUC and average precision 1; a reversed one has AUC 0', () => {
    const positive = [false, false, true, true];
    expect(rocCurve(positive, [0.1, 0.2, 0.8, 0.9]).auc).toBe(1);
    expect(prCurve(positive, [0.1, 0.2, 0.8, 0.9]).ap).toBe(1);
    expect(rocCurve(positive, [0.9, 0.8, 0.2, 0.1]).auc).toBe(0);
  });

  it('rows of one side only have no AUC, and say so with NaN', () => {
    expect(Number.isNaN(rocCurve([true, true], [0.3, 0.7]).auc)).toBe(true);
    expect(Number.isNaN(prCurve([false, false], [0.3, 0.7]).ap)).toBe(true);
  });

  it('puts a probability on an inner bin edge in the lower bin, as numpy searchsorted does', () => {
    const r = reliability([true, false, true], [0.1, 0.1, 0.15], 10);
    expect(r.bins).toEqual([
      { predicted: 0.1, observed: 0.5, rows: 2 },
      { predicted: 0.15, observed: 1, rows: 1 },
    ]);
  });

  it('counts a threshold’s outcomes and finds the cheapest one', () => {
    const positive = [false, false, false, true, true, false, true];
    const score = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.9];
    const at = atThreshold(positive, score, 0.4, { fp: 1, fn: 1 });
    expect(at).toMatchObject({ tp: 3, fp: 1, tn: 3, fn: 0, cost: 1, recall: 1, precision: 0.75 });
    // False negatives cheap: calling fewer rows positive costs less.
    const fnCheap = cheapestThreshold(positive, score, { fp: 5, fn: 1 });
    expect(fnCheap.threshold).toBe(0.9);
    expect(fnCheap.cost).toBe(2);
    // False positives cheap: calling every row that could be positive costs less.
    const fpCheap = cheapestThreshold(positive, score, { fp: 1, fn: 5 });
    expect(fpCheap.threshold).toBe(0.4);
    expect(fpCheap.cost).toBe(1);
    // The cheapest costs no more than any threshold tried by hand.
    for (const t of [...score, Infinity])
      expect(fnCheap.cost).toBeLessThanOrEqual(
        atThreshold(positive, score, t, { fp: 5, fn: 1 }).cost,
      );
  });
});

describe('a decision threshold', () => {
  const outputs: ClassifierOutputs = {
    truth: [0, 0, 1, 1, 1, 0],
    classes: 2,
    probabilities: [0.9, 0.1, 0.6, 0.4, 0.65, 0.35, 0.2, 0.8, 0.45, 0.55, 0.7, 0.3],
    decision: null,
    width: 0,
  };

  it('decides the second class from its probability, and scores those decisions', () => {
    const at05 = thresholdedScores(outputs, 0.5);
    expect(at05.predictions).toEqual([0, 0, 0, 1, 1, 0]);
    const at03 = thresholdedScores(outputs, 0.3);
    expect(at03.predictions).toEqual([0, 1, 1, 1, 1, 1]);
    expect(at03.scores.confusion).toEqual([
      [1, 2],
      [0, 3],
    ]);
    expect(at03.scores.recall[1]).toBe(1);
    // The log loss does not depend on the threshold: the probabilities are the same.
    expect(at03.scores.log_loss).toBeCloseTo(at05.scores.log_loss, 12);
  });

  it('scores cross-validated outputs fold by fold', () => {
    const cv = thresholdedFolds({ ...outputs, foldSizes: [3, 3] }, 0.3);
    // Fold 1: truth 0 0 1, decided 0 1 1 → 2 of 3; fold 2: truth 1 1 0, decided 1 1 1 → 2 of 3.
    expect(cv.accuracy!.folds).toEqual([2 / 3, 2 / 3]);
    expect(cv.accuracy!.mean).toBeCloseTo(2 / 3, 12);
  });

  it('is what Predict and every batch of a version with a threshold decide', () => {
    const predictions = Float64Array.from([0, 0, 0, 1, 1, 0]);
    applyThreshold(predictions, outputs.probabilities, 0.3);
    expect(Array.from(predictions)).toEqual(thresholdedScores(outputs, 0.3).predictions);
    const untouched = Float64Array.from([0, 1]);
    expect(Array.from(applyThreshold(untouched, [0.9, 0.1, 0.2, 0.8], undefined))).toEqual([0, 1]);
  });
});
