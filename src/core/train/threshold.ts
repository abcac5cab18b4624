/**
 * A version that decides by a threshold on the second class's probability (two classes): its
 * scores, recomputed from the outputs of the version it is made from, on the hold-out and fold
 * by fold on cross-validated outputs.
 */
import type { ClassificationScores, MetricName, Spread } from '../records';
import type { ClassifierOutputs } from './curves';
import { spreadOverFolds } from './evaluate';
import { classificationScores, scalarScores } from './metrics';
import { thresholdClass } from '../predict/predict';

/**
 * A two-class classifier's scores when it decides by a threshold on the second class's
 * probability: on the hold-out outputs, and fold by fold on cross-validated outputs
 * (`foldSizes` rows each, in order). The predictions are the thresholded classes.
 */
export function thresholdedScores(
  outputs: ClassifierOutputs,
  threshold: number,
): { predictions: number[]; scores: ClassificationScores } {
  const p = outputs.probabilities;
  if (outputs.classes !== 2 || !p)
    throw new Error('A decision threshold needs two classes and their probabilities.');
  const predictions = outputs.truth.map((_, r) => thresholdClass(p[r * 2 + 1]!, threshold));
  return {
    predictions,
    scores: classificationScores(outputs.truth, predictions, Float64Array.from(p), 2),
  };
}

/** The thresholded scores of each fold of cross-validated outputs, as the cross-validation keeps them. */
export function thresholdedFolds(
  outputs: ClassifierOutputs & { foldSizes: number[] },
  threshold: number,
): Partial<Record<MetricName, Spread>> {
  let at = 0;
  const perFold = outputs.foldSizes.map((size) => {
    const part: ClassifierOutputs = {
      ...outputs,
      truth: outputs.truth.slice(at, at + size),
      probabilities: outputs.probabilities!.slice(at * 2, (at + size) * 2),
      decision: null,
    };
    at += size;
    return scalarScores(thresholdedScores(part, threshold).scores);
  });
  return spreadOverFolds(perFold);
}
