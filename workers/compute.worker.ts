/**
 * The compute worker: a thin Comlink endpoint over the pure core. The page imports only the
 * type of `api`, so the boundary is derived from this implementation, never written twice.
 */
import { expose, transfer } from 'comlink';
import { columnBuffers, type DatasetContent } from '../src/core/data/content';
import { parseTable, type ParseOptions } from '../src/core/data/parse';
import {
  buildFromRaw,
  derive,
  inspectRaw,
  type BuiltVersion,
  type Derivation,
  type Inspection,
  type SchemaChoice,
} from '../src/core/data/pipeline';
import { matrixFor, type Encoding } from '../src/core/data/matrix';
import {
  prepareSearch,
  runTrial,
  type Report,
  type SearchData,
  type TrialOutcome,
} from '../src/core/search/objective';
import type { Halving } from '../src/core/search/pruning';
import { countPrimes, type PrimeCount } from '../src/core/smoke';
import type { CartParams } from '../src/core/train/cart';
import { learningCurve, type CurvePoint, type EvaluationPlan } from '../src/core/train/evaluate';
import {
  classificationScores,
  regressionScores,
  scalarScores,
  type MetricName,
} from '../src/core/train/metrics';
import { trainingSet, trainModel, type TrainResult, type TrainSpec } from '../src/core/train/model';
import { predictTree, type TreeModel } from '../src/core/train/tree';

export type ProgressCallback = (done: number, total: number) => void;

type ReadOptions = Omit<ParseOptions, 'onProgress'>;

/** Sends the numeric columns back without copying them. */
function transferred(v: BuiltVersion): BuiltVersion {
  return transfer(v, columnBuffers(v.content));
}

function report(onProgress: ProgressCallback): ProgressCallback {
  return (done, total) => void onProgress(done, total);
}

/**
 * What every trial of a study on this worker shares: the prepared data (encoded matrix, sorted
 * orders, split, folds). Kept for the latest study only.
 */
let searchCache: { key: string; data: SearchData } | null = null;

const api = {
  /** The worker check: count primes below `limit`, reporting progress `chunks` times. */
  countPrimes(limit: number, chunks: number, onProgress: ProgressCallback): PrimeCount {
    return countPrimes(limit, chunks, report(onProgress));
  },

  /** Parses a file and suggests a schema; nothing is kept. */
  async inspect(
    input: string | Blob,
    options: ReadOptions & { preferredTarget?: string },
    onProgress: ProgressCallback,
  ): Promise<Inspection> {
    const raw = await parseTable(input, { ...options, onProgress: report(onProgress) });
    return inspectRaw(raw, options.preferredTarget);
  },

  /** Parses the file again and builds the version the person chose: encoded, hashed, profiled. */
  async build(
    input: string | Blob,
    options: ReadOptions,
    choice: SchemaChoice,
    onProgress: ProgressCallback,
  ): Promise<BuiltVersion> {
    const raw = await parseTable(input, { ...options, onProgress: report(onProgress) });
    return transferred(await buildFromRaw(raw, choice));
  },

  /** A new version from a parent: rows appended, schema changed, or rows filtered. */
  async derive(
    parent: DatasetContent,
    how: Derivation,
    onProgress: ProgressCallback,
  ): Promise<BuiltVersion> {
    return transferred(await derive(parent, how, report(onProgress)));
  },

  /** Trains one configuration on a version: cross-validation, then the final tree. */
  train(content: DatasetContent, spec: TrainSpec, onProgress: ProgressCallback): TrainResult {
    return trainModel(content, spec, report(onProgress));
  },

  /** Score against training-set size. */
  learningCurve(
    content: DatasetContent,
    params: CartParams,
    plan: EvaluationPlan,
    metric: MetricName,
    onProgress: ProgressCallback,
  ): CurvePoint[] {
    const { set } = trainingSet(content);
    return learningCurve(set, params, plan, metric, 8, report(onProgress));
  },

  /** What a saved tree predicts for some rows of a version, encoded with the tree's own encoding. */
  predictRows(
    content: DatasetContent,
    tree: TreeModel,
    encoding: Encoding,
    rows: number[],
  ): number[] {
    const m = matrixFor(content, encoding);
    const p = m.features;
    const x = new Float64Array(rows.length * p);
    rows.forEach((r, i) => x.set(m.x.subarray(r * p, (r + 1) * p), i * p));
    const classes = encoding.classes?.length ?? 0;
    return Array.from(predictTree(tree, x, rows.length, p, classes).predictions);
  },

  /**
   * A saved tree's score on a data version (rows whose class the tree never saw count as
   * wrong predictions: they are scored with the class it predicts).
   */
  scoreOn(
    content: DatasetContent,
    tree: TreeModel,
    encoding: Encoding,
    metric: MetricName,
  ): number | null {
    const m = matrixFor(content, encoding);
    if (m.rows === 0) return null;
    const classes = encoding.classes?.length ?? 0;
    const { predictions, probabilities } = predictTree(tree, m.x, m.rows, m.features, classes);
    if (classes === 0) return scalarScores(regressionScores(m.y, predictions))[metric] ?? null;
    // A class the model never saw cannot be right: its truth becomes a code no prediction has.
    const truth = Array.from(m.y, (c) => (c < 0 ? classes : c));
    const padded = probabilities
      ? Float64Array.from({ length: m.rows * (classes + 1) }, (_, i) =>
          i % (classes + 1) === classes
            ? 0
            : probabilities[Math.floor(i / (classes + 1)) * classes + (i % (classes + 1))]!,
        )
      : null;
    return (
      scalarScores(classificationScores(truth, predictions, padded, classes + 1))[metric] ?? null
    );
  },

  /**
   * One trial of a study. Returns null when this worker has not prepared the study's data yet
   * and none was sent: the page then sends it once.
   */
  async searchTrial(
    key: string,
    content: DatasetContent | null,
    plan: EvaluationPlan,
    params: CartParams,
    metric: MetricName,
    halving: Halving,
    report: Report,
  ): Promise<TrialOutcome | null> {
    if (searchCache?.key !== key) {
      if (!content) return null;
      searchCache = { key, data: prepareSearch(content, plan) };
    }
    return runTrial(searchCache.data, params, metric, halving, (step, value) =>
      report(step, value),
    );
  },
};

export type ComputeApi = typeof api;

expose(api);
