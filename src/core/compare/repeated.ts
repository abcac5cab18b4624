/**
 * Repeated k-fold cross-validation for comparing ways of training (Weka's Experimenter): every
 * row of one data version is dealt to a fold of each repeat, stratified and seeded, and every
 * compared version's family and settings is refitted on the same folds, so that their fold
 * scores pair up for the tests in `significance.ts`.
 */
import { learnerFor } from '../learners/registry';
import { TrainingError, type TrainingSet } from '../learners/training';
import { seededRandom } from '../random';
import type { MetricName, Params } from '../records';
import { scoreRows, stratifiedFolds } from '../train/evaluate';
import { scalarScores } from '../train/metrics';

export interface RepeatedPlan {
  repeats: number;
  folds: number;
  /** The seed of the folds: the same for every version compared. */
  seed: number;
}

export const DEFAULT_REPEATED: Omit<RepeatedPlan, 'seed'> = { repeats: 10, folds: 10 };

/** Why the plan cannot run on `rows` rows, or null. */
export function repeatedProblem(plan: Omit<RepeatedPlan, 'seed'>, rows: number): string | null {
  if (!Number.isInteger(plan.repeats) || plan.repeats < 1 || plan.repeats > 20)
    return 'Repeat the cross-validation from 1 to 20 times.';
  if (!Number.isInteger(plan.folds) || plan.folds < 2 || plan.folds > 20)
    return 'Use from 2 to 20 folds.';
  if (plan.repeats * plan.folds < 2) return 'The tests need at least two fold scores.';
  if (rows < plan.folds * 2)
    return `${rows} rows are too few for ${plan.folds} folds: use fewer folds.`;
  return null;
}

/** Repeat r's folds of every row of the set: stratified by class, shuffled by the seed and r. */
export function repeatFolds(set: TrainingSet, plan: RepeatedPlan, r: number): Int32Array[] {
  const all = Int32Array.from({ length: set.rows }, (_, i) => i);
  return stratifiedFolds(set, all, plan.folds, seededRandom(plan.seed * 1009 + r));
}

/** Every fold of repeat r: fitted on the other folds (learner seed `fitSeed`) and scored. */
export function repeatScores(
  set: TrainingSet,
  family: string,
  params: Params,
  plan: RepeatedPlan,
  r: number,
  fitSeed: number,
): Partial<Record<MetricName, number>>[] {
  const problem = repeatedProblem(plan, set.rows);
  if (problem) throw new TrainingError(problem);
  const learner = learnerFor(family);
  const folds = repeatFolds(set, plan, r);
  const shared = new Map();
  const foldOf = new Int32Array(set.rows);
  folds.forEach((f, k) => f.forEach((row) => (foldOf[row] = k)));
  const all = Int32Array.from({ length: set.rows }, (_, i) => i);
  return folds.map((fold, k) => {
    const subset = all.filter((i) => foldOf[i] !== k);
    const { fitted } = learner.fit(set, params, { seed: fitSeed, subset, shared });
    return scalarScores(scoreRows(set, learner, fitted, fold).scores);
  });
}
