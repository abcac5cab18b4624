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
}

/** Decides after each rung whether the trial goes on (true) or is pruned (false). */
export type Report = (step: number, value: number) => boolean | Promise<boolean>;

/** The cross-validated `metric` of `params` with each fold trained on `share` of its rows. */
export function scoreRung(
  data: SearchData,
  learner: AnyLearner,
  params: Params,
  metric: MetricName,
  share: number,
): number {
  const { prep, foldTrain } = data;
  let sum = 0;
  let count = 0;
  prep.folds.forEach((fold, k) => {
    const rows = foldTrain[k]!;
    const size = Math.max(2, Math.ceil(rows.length * share));
    const subset = rows.slice(0, size).sort();
    const { fitted } = learner.fit(prep.set, params, {
      seed: prep.plan.seed,
      subset,
      shared: prep.shared,
    });
    const v = scalarScores(scoreRows(prep.set, learner, fitted, fold).scores)[metric];
    if (v !== undefined && !Number.isNaN(v)) {
      sum += v;
      count++;
    }
  });
  return count > 0 ? sum / count : NaN;
}

/** Cross-validated `metric` of `params`, rung by rung, asking `report` after each but the last. */
export async function runTrial(
  data: SearchData,
  learner: AnyLearner,
  params: Params,
  metric: MetricName,
  halving: Halving,
  report: Report,
): Promise<TrialOutcome> {
  const intermediate: number[] = [];
  for (let step = 0; step < halving.rungs.length; step++) {
    const value = scoreRung(data, learner, params, metric, halving.rungs[step]!);
    intermediate.push(value);
    if (step === halving.rungs.length - 1) return { state: 'complete', value, intermediate };
    if (!(await report(step, value))) return { state: 'pruned', value: null, intermediate };
  }
  return { state: 'complete', value: intermediate.at(-1) ?? NaN, intermediate };
}
