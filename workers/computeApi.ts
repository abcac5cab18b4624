/**
 * What the compute worker does: a thin layer over the pure core that `compute.worker.ts`
 * exposes through Comlink. The page imports only the type of `api`, so the boundary is derived
 * from this implementation, never written twice; tests run it on a stand-in worker.
 */
import { transfer } from 'comlink';
import { columnBuffers, type DatasetContent } from '../src/core/data/content';
import { parseTable, type ParseOptions } from '../src/core/data/parse';
import {
  buildFromRaw,
  derive,
  inspectRaw,
  previewFile,
  type BuiltVersion,
  type Derivation,
  type Inspection,
  type SchemaChoice,
} from '../src/core/data/pipeline';
import type { RowsPreview } from '../src/core/data/rows';
import { learnerFor } from '../src/core/learners/registry';
import { TrainingError } from '../src/core/learners/training';
import { matrixFor } from '../src/core/data/matrix';
import { permutationImportance, type PermutationResult } from '../src/core/train/permutation';
import type { Predictor } from '../src/core/predict/predict';
import {
  classifierOutputs,
  predictRows,
  scoreOnUnseen,
  type HonestScore,
} from '../src/core/predict/score';
import type { ClassifierOutputs } from '../src/core/train/curves';
import { repeatScores, type RepeatedPlan } from '../src/core/compare/repeated';
import { validationPoint, type ValidationPoint } from '../src/core/train/validation';
import { explainRows, type RowsExplained } from '../src/core/explain/global';
import { growReport, type GrowReport, type GrowRequest } from '../src/core/train/handGrown';
import {
  boundary,
  boundaryPoints,
  refitBoundary,
  type Boundary,
  type BoundaryPoints,
  type Plane,
  type Refit,
} from '../src/core/explain/boundary';
import type { Params } from '../src/core/records';
import {
  prepareSearch,
  runTrial,
  type FoldReport,
  type Report,
  type SearchData,
  type TrialOutcome,
} from '../src/core/search/objective';
import type { Halving } from '../src/core/search/pruning';
import { countPrimes, type PrimeCount } from '../src/core/smoke';
import {
  learningCurve,
  outOfFold,
  type CurvePoint,
  type EvaluationPlan,
} from '../src/core/train/evaluate';
import type { MetricName } from '../src/core/train/metrics';
import type { Progress } from '../src/core/vocabulary';
import {
  categoriesOf,
  prepareRun,
  runFinal,
  runFold,
  runPiece,
  trainingSet,
  trainModel,
  type FinalFit,
  type FinalPiece,
  type PreparedRun,
  type TrainResult,
  type TrainSpec,
} from '../src/core/train/model';

export type { Progress };

type ReadOptions = Omit<ParseOptions, 'onProgress'>;

/** Sends the numeric columns back without copying them. */
function transferred(v: BuiltVersion): BuiltVersion {
  return transfer(v, columnBuffers(v.content));
}

function report(onProgress: Progress): Progress {
  return (done, total) => void onProgress(done, total);
}

/**
 * What every trial of a study on this worker shares: the prepared data (encoded matrix, sorted
 * orders, split, folds). Kept for the latest study only.
 */
let searchCache: { key: string; data: SearchData } | null = null;

/** The training run whose folds or pieces this worker last took (prepared once per run). */
let runCache: { key: string; run: PreparedRun } | null = null;

function preparedRun(key: string, content: DatasetContent, spec: TrainSpec): PreparedRun {
  if (runCache?.key !== key) runCache = { key, run: prepareRun(content, spec) };
  return runCache.run;
}

export const api = {
  /** The worker check: count primes below `limit`, reporting progress `chunks` times. */
  countPrimes(limit: number, chunks: number, onProgress: Progress): PrimeCount {
    return countPrimes(limit, chunks, report(onProgress));
  },

  /** Parses a file and suggests a schema; nothing is kept. */
  async inspect(
    input: string | Blob,
    options: ReadOptions & { preferredTarget?: string },
    onProgress: Progress,
  ): Promise<Inspection> {
    const raw = await parseTable(input, { ...options, onProgress: report(onProgress) });
    return inspectRaw(raw, options.preferredTarget);
  },

  /** Parses the file again and builds the version the person chose: encoded, hashed, profiled. */
  async build(
    input: string | Blob,
    options: ReadOptions,
    choice: SchemaChoice,
    onProgress: Progress,
  ): Promise<BuiltVersion> {
    const raw = await parseTable(input, { ...options, onProgress: report(onProgress) });
    return transferred(await buildFromRaw(raw, choice));
  },

  /** A new version from a parent: rows appended, schema changed, or rows filtered. */
  async derive(
    parent: DatasetContent,
    how: Derivation,
    onProgress: Progress,
  ): Promise<BuiltVersion> {
    return transferred(await derive(parent, how, report(onProgress)));
  },

  /** Reads a file of rows and says what appending it or taking it as the content would do. */
  previewRows(
    parent: DatasetContent,
    input: string | Blob,
    options: ReadOptions,
    onProgress: Progress,
  ): Promise<RowsPreview> {
    return previewFile(parent, input, options, report(onProgress));
  },

  /** Trains one configuration on a version: cross-validation, then the final model. */
  train(content: DatasetContent, spec: TrainSpec, onProgress: Progress): TrainResult {
    return trainModel(content, spec, report(onProgress));
  },

  /** One fold of a training run shared between workers: its scalar scores. */
  trainFold(
    key: string,
    content: DatasetContent,
    spec: TrainSpec,
    k: number,
  ): Partial<Record<MetricName, number>> {
    return runFold(preparedRun(key, content, spec), k);
  },

  /** Some units (trees) of a run's final fit, trained here while other workers train the rest. */
  trainPiece(
    key: string,
    content: DatasetContent,
    spec: TrainSpec,
    piece: FinalPiece,
  ): { part: unknown; ms: number } {
    return runPiece(preparedRun(key, content, spec), piece);
  },

  /** A run's final fit, scored on the hold-out: trained here, or joined from its pieces' parts. */
  trainFinal(
    key: string,
    content: DatasetContent,
    spec: TrainSpec,
    parts: { part: unknown; ms: number }[] | null,
  ): FinalFit {
    return runFinal(preparedRun(key, content, spec), parts);
  },

  /**
   * How much a saved version's hold-out score drops when each feature is shuffled: its
   * permutation importance, on the rows it never trained on.
   */
  permutationImportance(
    content: DatasetContent,
    version: Predictor,
    holdout: number[],
    metric: MetricName,
    seed: number,
    onProgress: Progress,
  ): PermutationResult {
    const m = matrixFor(content, version.encoding);
    const set = {
      x: m.x,
      rows: m.rows,
      features: m.features,
      y: m.y,
      classes: version.encoding.classes?.length ?? 0,
      categories: categoriesOf(version.encoding),
    };
    const rows = Int32Array.from(holdout.filter((r) => r < m.rows));
    if (rows.length === 0) throw new TrainingError('This version has no hold-out rows to shuffle.');
    return permutationImportance(
      learnerFor(version.family),
      version.fitted,
      set,
      rows,
      metric,
      5,
      seed,
      report(onProgress),
    );
  },

  /** Score against training-set size. */
  learningCurve(
    content: DatasetContent,
    family: string,
    params: Params,
    plan: EvaluationPlan,
    metric: MetricName,
    onProgress: Progress,
  ): CurvePoint[] {
    const { set } = trainingSet(content);
    return learningCurve(set, params, plan, metric, 8, report(onProgress), family);
  },

  /** A classifier version's probabilities (or decision values) and the truth, on some rows. */
  classifierOutputs(
    content: DatasetContent,
    version: Predictor,
    rows: number[],
  ): ClassifierOutputs {
    return classifierOutputs(version, content, rows);
  },

  /** Cross-validated predictions: each training row predicted by the fit on the other folds. */
  outOfFold(
    content: DatasetContent,
    family: string,
    params: Params,
    plan: EvaluationPlan,
    onProgress: Progress,
  ): ClassifierOutputs & { rows: number[]; foldSizes: number[] } {
    const { set } = trainingSet(content);
    return outOfFold(set, family, params, plan, report(onProgress));
  },

  /** Contributions of each feature to a version's output on some rows of a data version. */
  explainRows(
    content: DatasetContent,
    version: Predictor,
    rows: number[],
    c: number,
    onProgress: Progress,
  ): RowsExplained | null {
    return explainRows(version, content, rows, c, report(onProgress));
  },

  /** A version's predictions over a plane of two features (the decision boundary). */
  boundary(version: Predictor, plane: Plane): Boundary {
    const b = boundary(version, plane);
    return transfer(b, [
      b.strength.buffer,
      ...(b.classes ? [b.classes.buffer] : []),
    ] as ArrayBuffer[]);
  },

  /** The family refitted with other settings on the version's training rows, on the plane. */
  refitBoundary(
    content: DatasetContent,
    family: string,
    params: Params,
    plan: EvaluationPlan,
    metric: MetricName,
    plane: Plane,
  ): Refit {
    const r = refitBoundary(content, family, params, plan, metric, plane);
    return transfer(r, [
      r.grid.strength.buffer,
      r.predicted.buffer,
      ...(r.grid.classes ? [r.grid.classes.buffer] : []),
    ] as ArrayBuffer[]);
  },

  /** The rows drawn over the boundary: encoded values, truth, the version's own predictions. */
  boundaryPoints(content: DatasetContent, version: Predictor, holdout: number[]): BoundaryPoints {
    const p = boundaryPoints(version, content, holdout);
    return transfer(p, [
      p.x.buffer,
      p.truth.buffer,
      p.predicted.buffer,
      p.holdout.buffer,
    ] as ArrayBuffer[]);
  },

  /** A tree grown by hand: the splits' tree on the plan's training rows, its scores, the candidates. */
  growReport(content: DatasetContent, request: GrowRequest): GrowReport {
    return growReport(content, request);
  },

  /** One value of a validation curve: training and cross-validated scores on the version's folds. */
  validationPoint(
    content: DatasetContent,
    family: string,
    params: Params,
    plan: EvaluationPlan,
    metric: MetricName,
    value: number,
  ): ValidationPoint {
    const { set } = trainingSet(content);
    return validationPoint(set, family, params, plan, metric, value);
  },

  /** One repeat of repeated k-fold cross-validation: each fold's scores with a family and settings. */
  repeatScores(
    content: DatasetContent,
    family: string,
    params: Params,
    plan: RepeatedPlan,
    repeat: number,
    fitSeed: number,
  ): Partial<Record<MetricName, number>>[] {
    const { set } = trainingSet(content);
    return repeatScores(set, family, params, plan, repeat, fitSeed);
  },

  /** What a saved version predicts for some rows of a data version, encoded its own way. */
  predictRows(content: DatasetContent, version: Predictor, rows: number[]): number[] {
    return predictRows(version, content, rows);
  },

  /** A saved version's score on the rows of a data version it did not train on. */
  scoreOnUnseen(
    content: DatasetContent,
    trainedOn: DatasetContent | null,
    version: Predictor & { holdout: { rows: number[] } },
    metric: MetricName,
  ): HonestScore {
    return scoreOnUnseen(version, content, trainedOn, metric);
  },

  /**
   * One trial of a study. Returns null when this worker has not prepared the study's data yet
   * and none was sent: the page then sends it once.
   */
  async searchTrial(
    key: string,
    content: DatasetContent | null,
    plan: EvaluationPlan,
    family: string,
    params: Params,
    metric: MetricName,
    halving: Halving,
    report: Report,
    foldReport?: FoldReport,
  ): Promise<TrialOutcome | null> {
    if (searchCache?.key !== key) {
      if (!content) return null;
      searchCache = { key, data: prepareSearch(content, plan) };
    }
    return runTrial(
      searchCache.data,
      learnerFor(family),
      params,
      metric,
      halving,
      (step, value) => report(step, value),
      foldReport && ((fold, value) => foldReport(fold, value)),
    );
  },
};

export type ComputeApi = typeof api;
