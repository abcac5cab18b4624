/**
 * A tree grown by hand on a data version: the split of the data into training and hold-out rows
 * is the evaluation plan's (as for any trained version), splits are chosen on the training rows
 * only, and each step reports what the tree scores on both. This is what a worker computes for
 * the Grow screen, after every step.
 */
import type { DatasetContent } from '../data/content';
import { decisionTree } from '../learners/tree';
import type { Criterion } from '../learners/tree/cart';
import {
  candidatesAt,
  growTree,
  leavesOf,
  nextSplit,
  partitionRows,
  thresholdsAt,
  type Candidate,
  type GrowData,
  type GrownTree,
  type HandSplit,
} from '../learners/tree/grow';
import { TrainingError } from '../learners/training';
import type { Encoding } from '../records';
import { prepare, scoreRows, type EvaluationPlan } from './evaluate';
import type { ClassificationScores, RegressionScores } from './metrics';
import { trainingSet } from './model';

export interface GrowRequest {
  plan: EvaluationPlan;
  criterion: Criterion;
  splits: readonly HandSplit[];
  /** The node whose candidates are wanted (a path such as "", "L", "LR"). */
  focus: string;
  /** A feature whose every threshold at `focus` is wanted (a person choosing a split). */
  feature?: number | null;
  /** "Next split" stops above this depth (null: no limit). */
  maxDepth?: number | null;
}

export interface GrowReport extends GrownTree {
  encoding: Encoding;
  droppedRows: number;
  leaves: string[];
  /** The focused node's rows, and its candidates best first (what its split was chosen from). */
  focusRows: number;
  candidates: Candidate[];
  /** Every threshold of the asked feature at the focused node, ascending. */
  thresholds: Candidate[] | null;
  /** What "Next split" would do now. */
  next: HandSplit | null;
  /** Scores on the rows the splits were chosen on, and on the hold-out rows never used for them. */
  train: ClassificationScores | RegressionScores;
  holdout: ClassificationScores | RegressionScores;
  trainRows: number;
  holdoutRows: number[];
  holdoutPredictions: number[];
}

/** Grows the splits' tree on the plan's training rows and reports on it. */
export function growReport(content: DatasetContent, request: GrowRequest): GrowReport {
  const { set, encoding, droppedRows } = trainingSet(content);
  const prep = prepare(set, request.plan);
  const data: GrowData = { set, rows: prep.train, criterion: request.criterion };
  const grown = growTree(data, request.splits);
  const nodes = partitionRows(data, request.splits);
  const focusRows = nodes.get(request.focus);
  if (!focusRows) throw new TrainingError(`The tree has no node "${request.focus}".`);
  const feature = request.feature ?? null;
  if (feature !== null && !(feature >= 0 && feature < set.features))
    throw new TrainingError('Choose one of the data’s features.');
  const train = scoreRows(set, decisionTree, grown.tree, prep.train);
  const holdout = scoreRows(set, decisionTree, grown.tree, prep.test);
  return {
    ...grown,
    encoding,
    droppedRows,
    leaves: leavesOf(request.splits),
    focusRows: focusRows.length,
    candidates: candidatesAt(data, focusRows),
    thresholds: feature === null ? null : thresholdsAt(data, focusRows, feature),
    next: nextSplit(data, request.splits, request.maxDepth ?? null),
    train: train.scores,
    holdout: holdout.scores,
    trainRows: prep.train.length,
    holdoutRows: Array.from(prep.test),
    holdoutPredictions: Array.from(holdout.predictions),
  };
}
