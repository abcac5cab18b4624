/**
 * From a training result to the version the store keeps, and the checks made when a version is
 * opened later: which library versions made it, whether the running ones differ.
 */
import type { Encoding } from '../core/data/matrix';
import type { ModelVersionRecord } from '../core/records';
import type { CartParams } from '../core/train/cart';
import type { EvaluationPlan } from '../core/train/evaluate';
import { METRICS, scalarScores, type MetricName } from '../core/train/metrics';
import { ALGORITHM, TRAINER_VERSION, type TrainResult } from '../core/train/model';
import type { Scenario } from '../core/train/scenario';
import type { VersionDraft } from '../store/models';

/** The versions of what trains and predicts in this build of Orpheus. */
export const RUNNING_VERSIONS: Readonly<Record<string, string>> = {
  orpheus: __APP_VERSION__,
  trainer: TRAINER_VERSION,
  'ml-cart': __ML_CART_VERSION__,
};

/** Libraries whose version decides what a tree predicts (the app version alone does not). */
const DECISIVE = ['trainer', 'ml-cart'];

export interface VersionDifference {
  name: string;
  recorded: string;
  running: string;
}

/** Where the version's recorded trainer or tree library differs from the running one. */
export function environmentDifferences(
  recorded: Readonly<Record<string, string>>,
  running: Readonly<Record<string, string>> = RUNNING_VERSIONS,
): VersionDifference[] {
  return DECISIVE.filter((n) => recorded[n] !== running[n]).map((name) => ({
    name,
    recorded: recorded[name] ?? 'unknown',
    running: running[name] ?? 'unknown',
  }));
}

/** What happens to a raw row before the tree sees it, in words a person can check. */
export function describePreprocessing(encoding: Encoding): string[] {
  const lines = [`Features in this order: ${encoding.features.map((f) => f.name).join(', ')}.`];
  for (const f of encoding.features)
    if (f.kind === 'categorical')
      lines.push(
        `"${f.name}" is coded 0 … ${f.categories.length - 1} in the order ${f.categories.join(', ')}; an unseen value counts as missing.`,
      );
  lines.push(
    'Missing values are kept as missing; each split sends them to the side learned in training.',
  );
  if (encoding.classes)
    lines.push(`Classes are coded in the order ${encoding.classes.join(', ')}.`);
  lines.push(`Rows without a value for "${encoding.target}" are not used.`);
  return lines;
}

function environment(): { userAgent: string; platform: string } {
  const nav = globalThis.navigator as
    (Navigator & { userAgentData?: { platform?: string } }) | undefined;
  return {
    userAgent: nav?.userAgent ?? 'unknown',
    platform: nav?.userAgentData?.platform || nav?.platform || 'unknown',
  };
}

export interface DraftInput {
  result: TrainResult;
  params: CartParams;
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
  const importances: Record<string, number> = {};
  result.importances.forEach((v, i) => {
    importances[names[i]!] = v;
  });
  return {
    datasetVersionId: dataVersionId,
    scenario,
    algorithm: ALGORITHM,
    libraryVersions: { ...RUNNING_VERSIONS },
    hyperparameters: { ...params },
    evaluation: { folds: plan.folds, testFraction: plan.testFraction },
    metric,
    tree: result.tree,
    encoding: result.encoding,
    preprocessing: describePreprocessing(result.encoding),
    modelParameters: {
      depth: result.shape.depth,
      nodes: result.shape.nodes,
      leaves: result.shape.leaves,
      featuresUsed: result.shape.featuresUsed.map((i) => names[i]!),
      importances,
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
    const up = METRICS[metric].higherIsBetter;
    const verdict: ScoreRow['verdict'] =
      x === null || y === null || x === y || Number.isNaN(x) || Number.isNaN(y)
        ? 0
        : y > x === up
          ? 1
          : -1;
    return { metric, label: METRICS[metric].label, before: x, after: y, verdict };
  });
}
