/**
 * Successive halving with the training-set size as the budget: a trial is scored on growing
 * shares of each fold's training rows (the rungs); at every rung but the last it goes on only
 * if it is among the best 1/η of the trials that reached that rung (Optuna's
 * SuccessiveHalvingPruner rule, asynchronous: no trial waits for others).
 */
import type { Halving } from '../records';
import type { Direction } from '../vocabulary';

export type { Halving };

/** η = 3 with rungs 1/9, 1/3, 1 by default. */
export function halving(eta = 3, count = 3): Halving {
  return { eta, rungs: Array.from({ length: count }, (_, i) => eta ** (i - count + 1)) };
}

/** No pruning: one rung at the full budget. */
export const NO_PRUNING: Halving = { eta: 1, rungs: [1] };

/**
 * Whether a trial with `value` at a rung may go on, given the values every other trial
 * reported at that rung.
 */
export function promotable(
  value: number,
  others: number[],
  eta: number,
  direction: Direction,
): boolean {
  if (Number.isNaN(value)) return false;
  const all = [...others.filter((v) => !Number.isNaN(v)), value].sort((a, b) =>
    direction === 'maximize' ? b - a : a - b,
  );
  const idx = Math.max(0, Math.floor(all.length / eta) - 1);
  return direction === 'maximize' ? value >= all[idx]! : value <= all[idx]!;
}
