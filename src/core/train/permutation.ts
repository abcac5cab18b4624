/**
 * Permutation importance (scikit-learn's `permutation_importance`): how much a saved model's
 * score on its hold-out rows drops when one feature's values are shuffled among those rows,
 * breaking its link to the target. Repeated with seeded shuffles; the mean and spread of the
 * drop per feature. It explains any family the same way, on rows the model never trained on.
 */
import type { AnyLearner } from '../learners/learner';
import type { TrainingSet } from '../learners/training';
import { seededRandom, shuffle } from '../random';
import type { Progress } from '../vocabulary';
import { sliceRows } from '../predict/score';
import { scoreRows } from './evaluate';
import { METRICS, scalarScores, type MetricName } from './metrics';

export interface FeatureDrop {
  feature: number;
  /** Mean drop in the score (positive: the model needs the feature). */
  mean: number;
  std: number;
}

export interface PermutationResult {
  /** The score on the rows as they are. */
  score: number;
  rows: number;
  repeats: number;
  drops: FeatureDrop[];
}

function scoreOf(
  learner: AnyLearner,
  fitted: unknown,
  set: TrainingSet,
  all: Int32Array,
  metric: MetricName,
): number {
  return scalarScores(scoreRows(set, learner, fitted, all).scores)[metric] ?? NaN;
}

/** The drops of each feature on `rows` of `set`, `repeats` seeded shuffles each. */
export function permutationImportance(
  learner: AnyLearner,
  fitted: unknown,
  set: TrainingSet,
  rows: Int32Array,
  metric: MetricName,
  repeats = 5,
  seed = 0,
  onProgress: Progress = () => {},
): PermutationResult {
  const p = set.features;
  const n = rows.length;
  // The hold-out rows as a set of their own, so a shuffle touches nothing else.
  const x = sliceRows(set.x, p, Array.from(rows));
  const y = Float64Array.from(rows, (r) => set.y[r]!);
  const own: TrainingSet = {
    x,
    rows: n,
    features: p,
    y,
    classes: set.classes,
    ...(set.categories ? { categories: set.categories } : {}),
  };
  const all = new Int32Array(n).map((_, i) => i);
  const sign = METRICS[metric].higherIsBetter ? 1 : -1;
  const base = scoreOf(learner, fitted, own, all, metric);
  const random = seededRandom(seed);
  const drops: FeatureDrop[] = [];
  const column = new Float64Array(n);
  for (let f = 0; f < p; f++) {
    for (let i = 0; i < n; i++) column[i] = x[i * p + f]!;
    const values: number[] = [];
    for (let k = 0; k < repeats; k++) {
      const shuffled = shuffle(Float64Array.from(column), random);
      for (let i = 0; i < n; i++) x[i * p + f] = shuffled[i]!;
      values.push(sign * (base - scoreOf(learner, fitted, own, all, metric)));
    }
    for (let i = 0; i < n; i++) x[i * p + f] = column[i]!;
    const mean = values.reduce((a, b) => a + b, 0) / repeats;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats);
    drops.push({ feature: f, mean, std });
    onProgress(f + 1, p);
  }
  return { score: base, rows: n, repeats, drops };
}
