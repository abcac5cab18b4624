/**
 * Is a difference in score real, or noise? Two tests on paired fold scores of repeated k-fold
 * cross-validation (the same folds for both models):
 *
 * - the corrected resampled t-test of Nadeau and Bengio (2003), as Weka's
 *   `PairedCorrectedTTester` runs it: the variance of the differences is inflated by the
 *   share of test to training rows, since folds that share training rows are not independent;
 * - the Bayesian correlated t-test of Corani and Benavoli (2015; Benavoli et al. 2017, as
 *   Orange and baycomp compute it): the posterior of the mean difference is a Student t with
 *   the same correction, read as the probabilities that one model is better, that they are
 *   practically equivalent (within a margin the person sets), or that the other is better.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';

/** Mean and sample variance; exactly 0 when every value is the same (no rounding left over). */
export function meanAndVariance(values: readonly number[]): { mean: number; variance: number } {
  const n = values.length;
  if (n > 0 && values.every((v) => v === values[0])) return { mean: values[0]!, variance: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, variance };
}

/** Fold by fold, `b − a`, turned so that a positive difference means b is better. */
export function differences(
  a: readonly number[],
  b: readonly number[],
  higherIsBetter: boolean,
): number[] {
  if (a.length !== b.length) throw new Error('Paired tests need the same folds for both models.');
  return a.map((x, i) => (higherIsBetter ? b[i]! - x : x - b[i]!));
}

export interface CorrectedTTest {
  /** Mean difference (positive: the other model is better). */
  mean: number;
  t: number;
  df: number;
  /** Two-sided p-value. */
  p: number;
}

/**
 * The corrected resampled t-test on `diffs` (one per fold of every repeat), where
 * `testTrainRatio` is a fold's test rows over its training rows (1 / (k − 1) for k folds).
 */
export function correctedTTest(diffs: readonly number[], testTrainRatio: number): CorrectedTTest {
  const n = diffs.length;
  const { mean, variance } = meanAndVariance(diffs);
  const df = n - 1;
  if (n < 2) return { mean, t: NaN, df, p: NaN };
  if (variance === 0)
    // Every fold the same difference: none at all, or one no resampling explains.
    return mean === 0
      ? { mean, t: 0, df, p: 1 }
      : { mean, t: Math.sign(mean) * Infinity, df, p: 0 };
  const t = mean / Math.sqrt((1 / n + testTrainRatio) * variance);
  return { mean, t, df, p: 2 * (1 - tCdf(Math.abs(t), df)) };
}

export interface BayesianTTest {
  /** P(the other model is worse by more than the margin). */
  worse: number;
  /** P(the difference is within ± the margin): practically equivalent. */
  equivalent: number;
  /** P(the other model is better by more than the margin). */
  better: number;
}

/**
 * The Bayesian correlated t-test on `diffs`, where `rho` is a fold's share of test rows
 * (1 / k for k folds) and `margin` the region of practical equivalence.
 */
export function bayesianCorrelatedTTest(
  diffs: readonly number[],
  rho: number,
  margin: number,
): BayesianTTest {
  const n = diffs.length;
  const { mean, variance } = meanAndVariance(diffs);
  if (n < 2 || variance === 0) {
    // No spread: all the posterior mass sits on the mean difference.
    const worse = mean < -margin ? 1 : 0;
    const better = mean > margin ? 1 : 0;
    return { worse, equivalent: 1 - worse - better, better };
  }
  const scale = Math.sqrt((1 / n + rho / (1 - rho)) * variance);
  const below = tCdf((-margin - mean) / scale, n - 1);
  const within = tCdf((margin - mean) / scale, n - 1);
  return { worse: below, equivalent: within - below, better: 1 - within };
}

export type Verdict = 'better' | 'worse' | 'same';

/** Weka's reading of the corrected t-test: significant at `alpha`, in the direction of the mean. */
export function verdictOf(test: CorrectedTTest, alpha: number): Verdict {
  if (!(test.p < alpha)) return 'same';
  return test.mean > 0 ? 'better' : 'worse';
}
