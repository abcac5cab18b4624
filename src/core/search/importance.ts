/**
 * Which settings mattered: the mean decrease in impurity of a small forest of regression trees
 * fitted on the completed trials (parameters → value), as Optuna's
 * MeanDecreaseImpurityImportanceEvaluator does with scikit-learn's random forest. The trees are
 * Orpheus's own trainer on seeded 80 % subsets of the trials.
 */
import { seededRandom, shuffle } from '../random';
import { DEFAULT_CART_PARAMS, fitCompactCart } from '../learners/tree/cart';
import type { Observation } from './history';
import { toInternal, type SearchSpace } from './space';

export function paramImportances(
  space: SearchSpace,
  trials: Observation[],
  trees = 32,
  seed = 0,
): Record<string, number> {
  const names = Object.keys(space);
  const done = trials.filter(
    (t) => t.state === 'complete' && t.value !== null && Number.isFinite(t.value),
  );
  const out: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  if (done.length < 4 || names.length === 0) return out;
  const p = names.length;
  const x = new Float64Array(done.length * p);
  done.forEach((t, r) =>
    names.forEach((n, j) => (x[r * p + j] = toInternal(space[n]!, t.params[n]!))),
  );
  const y = Float64Array.from(done, (t) => t.value!);
  const set = { x, rows: done.length, features: p, y, classes: 0 };
  const random = seededRandom(seed);
  const size = Math.max(2, Math.round(done.length * 0.8));
  const sums = new Float64Array(p);
  for (let i = 0; i < trees; i++) {
    const subset = shuffle(
      Int32Array.from({ length: done.length }, (_, r) => r),
      random,
    ).slice(0, size);
    const { importances } = fitCompactCart(
      set,
      { ...DEFAULT_CART_PARAMS, criterion: 'squared_error', maxDepth: 64 },
      { subset },
    );
    importances.forEach((v, j) => (sums[j]! += v));
  }
  const total = sums.reduce((a, b) => a + b, 0);
  names.forEach((n, j) => (out[n] = total > 0 ? sums[j]! / total : 0));
  return out;
}
