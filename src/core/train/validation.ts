/**
 * The validation curve (scikit-learn's `validation_curve`, Orange's Parameter Fitter): one
 * setting swept over its range while the others keep the version's values; at each value the
 * mean score on the training rows of each fold's fit and on the fold it did not see. Where
 * the two part, the model starts to learn its training rows by heart.
 */
import { learnerFor } from '../learners/registry';
import type { TrainingSet } from '../learners/training';
import type { Distribution, MetricName, Params, SearchSpace } from '../records';
import { isBetter, fitContext, prepare, scoreRows, type EvaluationPlan } from './evaluate';
import { scalarScores } from './metrics';

/** The settings of a space that can be swept: numbers, in every variant of the family. */
export function sweepable(space: SearchSpace): string[] {
  return Object.entries(space)
    .filter(([, d]) => d.kind !== 'categorical' && !d.when && d.high > d.low)
    .map(([name]) => name);
}

/**
 * Up to `n` values across a numeric distribution: evenly spaced, or evenly on a log scale for
 * a log distribution; whole numbers on the step of an integer one, each once.
 */
export function sweepValues(d: Distribution, n = 10): number[] {
  if (d.kind === 'categorical') return [];
  const { low, high } = d;
  const at = (i: number): number => {
    const f = n === 1 ? 0 : i / (n - 1);
    return d.log && low > 0 ? low * (high / low) ** f : low + (high - low) * f;
  };
  const raw = Array.from({ length: n }, (_, i) => at(i));
  if (d.kind === 'float') return raw;
  const snapped = raw.map((x) =>
    Math.min(high, Math.max(low, low + Math.round((x - low) / d.step) * d.step)),
  );
  return snapped.filter((x, i) => snapped.indexOf(x) === i);
}

export interface ValidationPoint {
  value: number;
  /** Mean over the folds of the score on each fit's own training rows. */
  train: number;
  /** Mean over the folds of the score on the fold each fit did not see. */
  test: number;
}

/** One value of the sweep: the family's settings `params`, on the plan's folds. */
export function validationPoint(
  set: TrainingSet,
  family: string,
  params: Params,
  plan: EvaluationPlan,
  metric: MetricName,
  value: number,
): ValidationPoint {
  const learner = learnerFor(family);
  const prep = prepare(set, plan);
  let train = 0;
  let test = 0;
  prep.folds.forEach((fold, k) => {
    const context = fitContext(prep, k);
    const { fitted } = learner.fit(set, params, context);
    train += scalarScores(scoreRows(set, learner, fitted, context.subset!).scores)[metric] ?? NaN;
    test += scalarScores(scoreRows(set, learner, fitted, fold).scores)[metric] ?? NaN;
  });
  const k = prep.folds.length;
  return { value, train: train / k, test: test / k };
}

/** The value whose cross-validated score is best (the first on a tie), or null. */
export function bestOfSweep(points: readonly ValidationPoint[], metric: MetricName): number | null {
  let best: ValidationPoint | null = null;
  for (const p of points)
    if (Number.isFinite(p.test) && (!best || isBetter(metric, p.test, best.test))) best = p;
  return best?.value ?? null;
}
