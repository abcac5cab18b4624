/**
 * A family's learner as a search objective. A worker prepares a data version once (the encoded
 * matrix, the hold-out split and the CV folds, each fold's training rows in a seeded order, and
 * whatever a family shares between fits, such as a tree's sorted orders) and keeps it; each
 * trial then pays only for its own fits.
 */
import type { DatasetContent } from '../data/content';
import { seededRandom, shuffle } from '../random';
import type { AnyLearner } from '../learners/learner';
import type { Params } from '../records';
import { prepare, scoreRows, type EvaluationPlan, type Prepared } from '../train/evaluate';
import { scalarScores, type MetricName } from '../train/metrics';
import { trainingSet } from '../train/model';
import type { Halving } from './pruning';

export interface SearchData {
  prep: Prepared;
  /** Per fold: its training rows in a seeded order; a rung trains on a prefix. */
  foldTrain: Int32Array[];
}

export function prepareSearch(content: DatasetContent, plan: EvaluationPlan): SearchData {
  const { set } = trainingSet(content);
  const prep = prepare(set, plan);
  const random = seededRandom(plan.seed + 7);
  const foldTrain = prep.folds.map((fold) => {
    const out = new Uint8Array(set.rows);
    for (const r of fold) out[r] = 1;
    return shuffle(
      prep.train.filter((r) => !out[r]),
      random,
    );
  });
  return { prep, foldTrain };
}

export interface TrialOutcome {
  state: 'complete' | 'pruned';
  value: number | null;
  intermediate: number[];
  /** Each fold's score on all of its rows (the folds done, when stopped after some). */
  folds?: number[];
}

/** Decides after each rung whether the trial goes on (true) or is pruned (false). */
export type Report = (step: number, value: number) => boolean | Promise<boolean>;

/** Decides after each fold on all rows whether the trial goes on (fold-wise stopping). */
export type FoldReport = (fold: number, value: number) => boolean | Promise<boolean>;

/** The `metric` of `params` on fold k, trained on `share` of that fold's training rows. */
export function scoreFold(
  data: SearchData,
  learner: AnyLearner,
  params: Params,
  metric: MetricName,
  share: number,
  k: number,
): number {
  const { prep, foldTrain } = data;
  const rows = foldTrain[k]!;
  const size = Math.max(2, Math.ceil(rows.length * share));
  const subset = rows.slice(0, size).sort();
  const { fitted } = learner.fit(prep.set, params, {
    seed: prep.plan.seed,
    subset,
    shared: prep.shared,
    standsFor: rows.length,
  });
  const v = scalarScores(scoreRows(prep.set, learner, fitted, prep.folds[k]!).scores)[metric];
  return v ?? NaN;
}

/** The mean of the folds' scores that are defined (NaN when none is). */
export function meanOfFolds(values: readonly number[]): number {
  const ok = values.filter((v) => !Number.isNaN(v));
  return ok.length > 0 ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
}

/** The cross-validated `metric` of `params` with each fold trained on `share` of its rows. */
export function scoreRung(
  data: SearchData,
  learner: AnyLearner,
  params: Params,
  metric: MetricName,
  share: number,
): number {
  return meanOfFolds(
    data.prep.folds.map((_, k) => scoreFold(data, learner, params, metric, share, k)),
  );
}

/**
 * Cross-validated `metric` of `params`, rung by rung, asking `report` after each but the last;
 * on the last rung, with `foldReport`, asking it after each fold.
 */
export async function runTrial(
  data: SearchData,
  learner: AnyLearner,
  params: Params,
  metric: MetricName,
  halving: Halving,
  report: Report,
  foldReport?: FoldReport,
): Promise<TrialOutcome> {
  const intermediate: number[] = [];
  const last = halving.rungs.length - 1;
  for (let step = 0; step < last; step++) {
    const value = scoreRung(data, learner, params, metric, halving.rungs[step]!);
    intermediate.push(value);
    if (!(await report(step, value))) return { state: 'pruned', value: null, intermediate };
  }
  const folds: number[] = [];
  for (let k = 0; k < data.prep.folds.length; k++) {
    folds.push(scoreFold(data, learner, params, metric, halving.rungs[last]!, k));
    const more = k < data.prep.folds.length - 1;
    if (foldReport && more && !(await foldReport(k, folds[k]!)))
      return { state: 'pruned', value: null, intermediate, folds };
  }
  const value = meanOfFolds(folds);
  intermediate.push(value);
  return { state: 'complete', value, intermediate, folds };
}
