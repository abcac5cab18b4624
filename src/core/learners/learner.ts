/**
 * The seam every model family plugs into. A family is one folder under `learners/` that
 * exports one `Learner` and one line in `registry.ts`; no other code names a family. Training,
 * search, evaluation, prediction, audition, reproduce, the environment check, ONNX, the model
 * card, the MLflow export and the share link all reach a family through the registry.
 *
 * A fitted model is plain data (JSON-safe, never code): the store keeps it as the version's
 * `fitted`, the backup and the share link carry it, and `fittedSchema` checks it whenever it
 * comes from outside.
 */
import type * as v from 'valibot';
import type { Encoding, Params, SearchSpace } from '../records';
import type { Task } from '../vocabulary';
import type { TrainingSet } from './training';
import type { TreeModel } from './tree/tree';

/** Memo shared by every fit on one training set (a family keeps its presorted orders here). */
export type SharedWork = Map<string, unknown>;

export interface FitContext {
  /** Seeds every random choice of the fit; recorded with the version. */
  seed: number;
  /** Train on these rows only (a fold, a rung); all rows when absent. */
  subset?: Int32Array;
  /**
   * The rows the fit stands in for, when it trains on a share of them (a search's rung): a
   * setting decided by the number of rows (boosting's automatic early stopping) is decided by
   * this count, so every rung trains the model the last rung does. The rows trained on when
   * absent.
   */
  standsFor?: number;
  /** Work shared between fits on the same training set; a family may memoize in it. */
  shared?: SharedWork;
}

export interface Fit<F> {
  fitted: F;
  /** One value per feature, summing to 1 (all 0 when nothing was learned). */
  importances: number[];
  /** Feature indices the model uses, ascending. */
  featuresUsed: number[];
  /** Counts that describe the model's size (a tree: depth, nodes, leaves). */
  size: Record<string, number>;
}

export interface Prediction {
  /** Class code or value per row. */
  predictions: Float64Array;
  /** rows × classes probabilities (classification), else null. */
  probabilities: Float64Array | null;
  /**
   * rows × width decision values of a classifier without probabilities (a linear SVM): width 1
   * for two classes (positive means the second), else one per class.
   */
  decision?: Float64Array;
}

/** One row's prediction with how it was reached (a tree: the node path). */
export interface RowOutcome {
  /** Class code or value. */
  value: number;
  probabilities: number[] | null;
  /** The decision's path, in the family's own terms (tree node paths "", "L", "LR" …). */
  path: string[];
}

/** A setting of a family, as the Train and Search screens and every page show it. */
export type ParamSpec = {
  name: string;
  label: string;
  /** A few words under the label. */
  hint?: string;
  /** Only for these tasks (all when absent). */
  tasks?: readonly Task[];
} & (
  | {
      kind: 'int' | 'float';
      min: number;
      step: number;
      /** What an empty field (null) means, when the setting can be null ("unlimited"). */
      nullLabel?: string;
    }
  | {
      kind: 'choice';
      choices: readonly { value: string; label: string; tasks?: readonly Task[] }[];
    }
);

/**
 * The capability tags every family of Orpheus has (it takes missing values and category
 * codes, any target sign) and its task's tags; `probabilistic` for families whose
 * probabilities are part of what they learn.
 */
export function commonTags(task: Task, classes: number, probabilistic: boolean): string[] {
  const tags = ['handles-missing-values', 'categorical-features', 'any-target-sign'];
  if (task === 'regression') tags.push('regression');
  else {
    tags.push('classification', 'binary', 'multiclass');
    if (probabilistic) tags.push('probabilistic');
    tags.push(classes > 2 ? 'trained-multiclass' : 'trained-binary');
  }
  return tags;
}

/** A setting's value as people read it: "unlimited", "balanced (rare classes count more)", 0.01. */
export function formatParam(
  spec: ParamSpec | undefined,
  value: unknown,
  formatNumber: (n: number) => string = String,
): string {
  if (value === null) return spec && spec.kind !== 'choice' ? (spec.nullLabel ?? 'none') : 'none';
  if (typeof value === 'number') return formatNumber(value);
  if (spec?.kind === 'choice')
    return spec.choices.find((c) => c.value === value)?.label ?? String(value);
  return String(value);
}

/** What the ONNX exporter needs from a family: the nodes after the encoded feature matrix. */
export interface OnnxPart {
  /** ONNX graph nodes reading the double matrix `features` [N, p]. */
  nodes: unknown[];
  initializers: unknown[];
  /**
   * The graph output they produce: class probabilities, or decision values per class
   * (`scores`, for a model without probabilities), or the predicted value.
   */
  output: 'probabilities' | 'scores' | 'prediction';
  /** One sentence for the model's doc string, e.g. "a decision tree trained in Orpheus". */
  what: string;
}

export interface Learner<P extends Params = Params, F = unknown> {
  /** The registry key, stored on every version (`decision-tree` …). */
  readonly family: string;
  /** For people: "Decision tree". */
  readonly label: string;
  /** What a model of it is called in a suggested name ("Iris tree", "Iris forest"). */
  readonly noun: string;
  /** Recorded as the version's algorithm. */
  readonly algorithm: string;
  /** Tasks it can learn. */
  readonly tasks: readonly Task[];
  /** Versions of what decides its predictions (its trainer, its libraries), recorded on each version. */
  libraries(): Record<string, string>;
  /** Its settings, in the order they are shown. */
  readonly parameters: readonly ParamSpec[];
  defaults(task: Task): P;
  /** Full settings from some (a search trial's) over `base`. */
  withParams(params: Params, base: P): P;
  /** Throws a TrainingError naming the setting that is out of range. */
  checkParams(params: P, task: Task): void;
  /** The space a search explores by default. */
  defaultSpace(task: Task): SearchSpace;
  /** Capability tags (handles missing values, multiclass …), matched by audition. */
  capabilities(task: Task, classes: number, params: P): string[];
  /** Whether it takes rows with missing values as they are. */
  handlesMissing(params: P): boolean;
  /** What happens to a raw row before the model sees it, in words a person can check. */
  preprocessing(encoding: Encoding): string[];
  fit(set: TrainingSet, params: P, context: FitContext): Fit<F>;
  /** Predicts every row of a row-major matrix. */
  predict(fitted: F, x: Float64Array, rows: number, features: number, classes: number): Prediction;
  /** One encoded row, with the path to its decision. */
  predictRow(fitted: F, x: readonly number[], classes: number): RowOutcome;
  /** The shape of its fitted model, checked when one comes from a file or a link. */
  readonly fittedSchema: v.GenericSchema<unknown, F>;
  /** Problems of a fitted model against the version's encoding (feature indices, class counts …). */
  checkFitted(fitted: F, encoding: Encoding): string | null;
  /** Its size in words: "depth 3, 7 nodes, 4 leaves". */
  describeSize(size: Readonly<Record<string, number>>): string;
  /** Whether two fitted models are the same model (for Reproduce). */
  same(a: F, b: F): boolean;
  /** Its ONNX nodes; loaded on first use (the ONNX library is large). */
  onnx(fitted: F, encoding: Encoding): Promise<OnnxPart>;
  /** A recorded prediction's path in words (an ensemble's votes); none when the path is drawn. */
  explainRow?(path: readonly string[], encoding: Encoding): string[];
  /** Facts about a fitted model for its version page ([label, value]: an out-of-bag score). */
  facts?(fitted: F, encoding: Encoding): [string, string][];
  /**
   * At most how many bytes a model with these settings trained on `rows` rows takes in the
   * store, for families that can grow large (a forest): training is refused beforehand when
   * the browser has less room left.
   */
  estimateBytes?(params: P, rows: number, classes: number): number;
  /** Charts of how it was fitted, for its version page (boosting's loss after each round). */
  curves?(fitted: F): FitCurve[];
  /** The trees it is made of, for the tree view: one for a tree, each of a forest's on demand. */
  readonly trees?: TreesOf<F>;
  /**
   * What it does with a category training never saw (one-hot: all zeros), when it takes one:
   * such a row is predicted with this note instead of refused. Absent: refused.
   */
  unseenCategory?(fitted: F): string | undefined;
  /** Signed bar charts of what it learned, for its version page (a linear model's coefficients). */
  bars?(fitted: F, encoding: Encoding): BarChart[];
  /** What its importances measure, when not the trees' impurity decrease. */
  readonly importance?: ImportanceMeaning;
  /** A fit made of independent units (a forest's trees), so workers can share one fit. */
  readonly pieces?: PiecesOf<P, F>;
}

/** A signed bar chart: labelled values, largest magnitude first. */
export interface BarChart {
  title: string;
  /** One sentence under it: what the bars are, on which scale. */
  caption: string;
  items: { label: string; value: number }[];
}

/** What a family's feature importances are: the chart's label, a sentence, and what none means. */
export interface ImportanceMeaning {
  label: string;
  what: string;
  none: string;
}

/**
 * A fit split into units that depend only on the fit's seed and the unit's number, never on
 * which worker trains them or in what order: `fit` is the same as `join` of the units' parts
 * trained in groups anywhere. Parts are plain data (structured-cloneable).
 */
export interface PiecesOf<P extends Params, F> {
  /** How many units a fit with these settings has. */
  count(params: P): number;
  /** Units [from, to) of the fit, as one part. */
  fit(set: TrainingSet, params: P, context: FitContext, from: number, to: number): unknown;
  /** The fit from the parts of all its units, in order of their first unit. */
  join(set: TrainingSet, params: P, parts: readonly unknown[]): Fit<F>;
}

/** A line chart of a fit: one line per series. */
export interface FitCurve {
  title: string;
  xLabel: string;
  yLabel: string;
  series: { name: string; points: { x: number; y: number }[] }[];
}

/** A family made of trees: how many, one of them drawn, and a row's path through it. */
export interface TreesOf<F> {
  count(fitted: F): number;
  draw(fitted: F, encoding: Encoding, index: number): TreeModel;
  path(fitted: F, index: number, x: readonly number[]): string[];
  /** What tree `index` is, in a few words ("round 3, for class setosa"). */
  caption?(fitted: F, encoding: Encoding, index: number): string;
}

/** A learner whose settings and model types are not known at the call site. */
export type AnyLearner = Learner<Params, unknown>;
