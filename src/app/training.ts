/**
 * From a training result to the version the store keeps, and the checks made when a version is
 * opened later: which library versions made it, whether the running ones differ.
 */
import { learnerFor } from '../core/learners/registry';
import type { ModelVersionRecord, Params } from '../core/records';
import type { EvaluationPlan } from '../core/train/evaluate';
import {
  holdoutValue,
  METRICS,
  scalarScores,
  verdictOf,
  type MetricName,
} from '../core/train/metrics';
import type { TrainResult } from '../core/train/model';
import type { Scenario } from '../core/train/scenario';
import type { VersionDraft } from '../store/models';

/** The versions of what trains and predicts a family's models in this build of Orpheus. */
export function runningVersions(family: string): Record<string, string> {
  return { orpheus: __APP_VERSION__, ...learnerFor(family).libraries() };
}

export interface VersionDifference {
  name: string;
  recorded: string;
  running: string;
}

/**
 * Where the version's recorded trainer or libraries differ from the running ones: those its
 * family names decide what it predicts (the app version alone does not).
 */
export function environmentDifferences(
  recorded: Readonly<Record<string, string>>,
  family: string,
  running: Readonly<Record<string, string>> = runningVersions(family),
): VersionDifference[] {
  const decisive = Object.keys(learnerFor(family).libraries());
  return decisive
    .filter((n) => recorded[n] !== running[n])
    .map((name) => ({
      name,
      recorded: recorded[name] ?? 'unknown',
      running: running[name] ?? 'unknown',
    }));
}

/** The browser and platform running now, as a version records them. */
export function environment(): { userAgent: string; platform: string } {
  const nav = globalThis.navigator as
    (Navigator & { userAgentData?: { platform?: string } }) | undefined;
  return {
    userAgent: nav?.userAgent ?? 'unknown',
    platform: nav?.userAgentData?.platform || nav?.platform || 'unknown',
  };
}

export interface DraftInput {
  result: TrainResult;
  params: Params;
  plan: EvaluationPlan;
  metric: MetricName;
  scenario: Scenario;
  dataVersionId: string;
  trainingMs: number;
  /** The default grid's trials, or the study whose best trial this is. */
  search: ModelVersionRecord['search'];
}

/** Everything a model version records, from one training run. */
export function versionDraft(input: DraftInput): VersionDraft {
  const { result, params, plan, metric, scenario, dataVersionId, trainingMs, search } = input;
  const names = result.encoding.features.map((f) => f.name);
  const importances = result.importances.map((v, i): [string, number] => [names[i]!, v]);
  const learner = learnerFor(result.family);
  return {
    datasetVersionId: dataVersionId,
    scenario,
    family: result.family,
    algorithm: learner.algorithm,
    libraryVersions: runningVersions(result.family),
    hyperparameters: { ...params },
    evaluation: { folds: plan.folds, testFraction: plan.testFraction },
    metric,
    fitted: result.fitted,
    encoding: result.encoding,
    preprocessing: learner.preprocessing(result.encoding),
    modelParameters: {
      featuresUsed: result.featuresUsed.map((i) => names[i]!),
      importances,
      size: { ...result.size },
    },
    scores: { cv: result.cv, holdout: result.holdout },
    holdout: { rows: result.holdoutRows, predictions: result.holdoutPredictions },
    trainRows: result.trainRows,
    droppedRows: result.droppedRows,
    trainingMs,
    seed: plan.seed,
    tags: result.tags,
    environment: environment(),
    search,
  };
}

/**
 * What a version's cross-validated score is: a search chose the version because that score
 * was the best of many trials, so it is optimistic by selection, a selection score; only the
 * hold-out measures rows no choice looked at.
 */
export function cvKind(v: Pick<ModelVersionRecord, 'search'>): 'selection' | 'cross-validated' {
  return v.search ? 'selection' : 'cross-validated';
}

/** A version's hold-out score in a metric, or null. */
export function holdoutScore(v: ModelVersionRecord, metric: MetricName = v.metric): number | null {
  return holdoutValue(v.scores.holdout, metric);
}

/** The ranking value of a version: the cross-validated mean of the model's metric. */
export function rankingScore(v: ModelVersionRecord, metric: MetricName = v.metric): number | null {
  return v.scores.cv[metric]?.mean ?? null;
}

export interface ScoreRow {
  metric: MetricName;
  label: string;
  before: number | null;
  after: number | null;
  /** +1 better, −1 worse, 0 same or unknown, judged by the metric's direction. */
  verdict: -1 | 0 | 1;
}

/** Hold-out and cross-validated metrics of two versions side by side. */
export function compareScores(before: ModelVersionRecord, after: ModelVersionRecord): ScoreRow[] {
  const b = scalarScores(before.scores.holdout);
  const a = scalarScores(after.scores.holdout);
  return (Object.keys(a) as MetricName[]).map((metric) => {
    const x = b[metric] ?? null;
    const y = a[metric] ?? null;
    return {
      metric,
      label: METRICS[metric].label,
      before: x,
      after: y,
      verdict: verdictOf(metric, x, y),
    };
  });
}
