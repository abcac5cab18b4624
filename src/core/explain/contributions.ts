/**
 * Why did a version predict that for this row? Each feature's contribution, from a base value
 * to the output, in the family's own terms:
 * - trees and tree ensembles: exact TreeSHAP (path-dependent) of the output — a class's
 *   probability (a tree, a forest: the mean of its trees'), or the raw score of gradient
 *   boosting (its log-odds, or a class's score before the softmax); the base value is the
 *   expected output over the training rows;
 * - linear models: each coefficient times the feature's standardized (imputed, one-hot) value,
 *   summed over the feature's columns; the base value is the intercept;
 * - naive Bayes: each feature's log-likelihood ratio; the base value is the prior's.
 * The contributions always add up: base + Σ contributions = the output.
 */
import type { Encoding } from '../records';
import type { Boosted } from '../learners/boost/model';
import { compactTree, leafOf, type CompactTree } from '../learners/forest/compact';
import type { LinearModel } from '../learners/linear/model';
import type { NaiveBayes } from '../learners/bayes/model';
import { categoricalLog, gaussianLog } from '../learners/bayes';
import { sourceOf, transform, widthOf } from '../learners/pipeline';
import type { TreeModel } from '../learners/tree/tree';
import { expectedValue, treeShap } from './treeshap';

export interface Contributions {
  /** What is explained, in words: "probability of “setosa”", "log-odds of “yes”", "predicted value". */
  output: string;
  base: number;
  /** The output itself: base + Σ values, but for rounding. */
  value: number;
  /** One per feature of the version's encoding. */
  values: number[];
  method: string;
  /** Whether each class has an output of its own to explain (not one log-odds for two classes). */
  perClass: boolean;
}

const TREE_SHAP = 'TreeSHAP (exact, path-dependent): each feature’s Shapley value';

/** What an explainer says of its output, besides the numbers. */
interface Said {
  output: string;
  method: string;
  perClass: boolean;
}

/** What explains a version's output, known before any row: the words, the base value, and each row's contributions. */
export interface Explainer extends Said {
  base: number;
  explain(x: readonly number[]): Contributions;
}

/**
 * An explainer from its words, base value and a row's contributions with the output itself
 * (computed as the model does, not as their sum, which rounds).
 */
function explainer(
  said: Said,
  base: number,
  row: (x: readonly number[]) => { values: number[]; value: number },
): Explainer {
  return { ...said, base, explain: (x) => ({ ...said, base, ...row(x) }) };
}

/**
 * TreeSHAP through `trees` (each `width` outputs) for output `k`, each tree scaled by `scale`,
 * starting from `start`; null when a tree does not record its covers.
 */
function treesExplainer(
  trees: readonly CompactTree[],
  width: number,
  k: number,
  features: number,
  scale: number,
  start: number,
  said: Said,
): Explainer | null {
  if (trees.some((t) => t.samples.some((n) => !(n > 0)))) return null;
  let base = start;
  for (const t of trees) base += expectedValue(t, width)[k]! * scale;
  return explainer(said, base, (x) => {
    const phi = new Float64Array(features * width);
    let value = start;
    for (const t of trees) {
      treeShap(t, width, x, phi, scale);
      value += t.value[leafOf(t, x) * width + k]! * scale;
    }
    return { values: Array.from({ length: features }, (_, j) => phi[j * width + k]!), value };
  });
}

/**
 * What explains a version's output for class `c` (classification; ignored for regression), row
 * by row (encoded rows); null for a family Orpheus does not explain this way.
 */
export function explainerFor(
  family: string,
  fitted: unknown,
  encoding: Encoding,
  c: number,
): Explainer | null {
  const classes = encoding.classes?.length ?? 0;
  const features = encoding.features.length;
  const width = classes || 1;
  const k = classes ? c : 0;
  const named = classes ? `“${encoding.classes![c]}”` : '';
  const perClass = classes > 0;
  switch (family) {
    case 'decision-tree':
      return treesExplainer([compactTree(fitted as TreeModel, width)], width, k, features, 1, 0, {
        output: classes ? `probability of ${named}` : 'predicted value',
        method: TREE_SHAP,
        perClass,
      });
    case 'random-forest':
    case 'extra-trees': {
      const trees = (fitted as { trees: CompactTree[] }).trees;
      return treesExplainer(trees, width, k, features, 1 / trees.length, 0, {
        output: classes ? `probability of ${named} (the mean of the trees’)` : 'predicted value',
        method: `${TREE_SHAP}, the mean over the trees`,
        perClass,
      });
    }
    case 'gradient-boosting': {
      const b = fitted as Boosted;
      const outputs = b.base.length;
      // Two classes keep one score: the log-odds of the second class.
      const o = outputs === 1 ? 0 : c;
      const trees = b.trees.filter((_, i) => i % outputs === o);
      return treesExplainer(trees, 1, 0, features, 1, b.base[o]!, {
        output: !classes
          ? 'predicted value'
          : outputs === 1
            ? `log-odds of “${encoding.classes![1]}”`
            : `score of ${named} before the softmax`,
        method: `${TREE_SHAP}, summed over the boosting rounds`,
        perClass: outputs > 1,
      });
    }
    case 'logistic-regression':
    case 'linear-regression':
    case 'linear-svm': {
      const m = fitted as LinearModel;
      const columns = widthOf(m.pipeline);
      const source = sourceOf(m.pipeline);
      const one = m.intercept.length === 1;
      const o = one ? 0 : c;
      const second = `“${encoding.classes?.[1] ?? ''}”`;
      const said: Said = {
        output: !classes
          ? 'predicted value'
          : m.decision
            ? `decision value for ${one ? second : named}`
            : one
              ? `log-odds of ${second}`
              : `score of ${named} before the softmax`,
        method: 'coefficient × standardized value, summed over each feature’s columns',
        perClass: !one,
      };
      return explainer(said, m.intercept[o]!, (x) => {
        const design = transform(m.pipeline, x, 1, features);
        const values = new Array<number>(features).fill(0);
        let value = m.intercept[o]!;
        for (let j = 0; j < columns; j++) {
          const part = m.coef[o * columns + j]! * design[j]!;
          values[source[j]!] = values[source[j]!]! + part;
          value += part;
        }
        return { values, value };
      });
    }
    case 'naive-bayes':
      return bayesExplainer(fitted as NaiveBayes, encoding, c);
    default:
      return null;
  }
}

/**
 * Naive Bayes: each feature's log-likelihood term. Two classes: its log-likelihood ratio, the
 * second class against the first, from the prior log-odds to the posterior log-odds. More: the
 * class's term less the mean over the classes, from the prior's, to the class's score before
 * the softmax.
 */
function bayesExplainer(b: NaiveBayes, encoding: Encoding, c: number): Explainer {
  const k = b.classes;
  const features = encoding.features.length;
  const two = k === 2;
  const weight = (j: number): number => (two ? (j === 1 ? 1 : -1) : (j === c ? 1 : 0) - 1 / k);
  const base = b.logPrior.reduce((a, p, j) => a + weight(j) * p, 0);
  const said: Said = {
    output: two
      ? `log-odds of “${encoding.classes![1]}”`
      : `score of “${encoding.classes![c]}” before the softmax (against the mean of the classes)`,
    method: 'each feature’s log-likelihood ratio, as naive Bayes adds them',
    perClass: !two,
  };
  const g = b.gaussian;
  const gn = g.feature.length;
  return explainer(said, base, (x) => {
    const design = transform(b.pipeline, x, 1, features);
    const values = new Array<number>(features).fill(0);
    for (let i = 0; i < gn; i++) {
      const f = g.feature[i]!;
      for (let j = 0; j < k; j++)
        values[f] =
          values[f]! +
          weight(j) * gaussianLog(design[f]!, g.mean[j * gn + i]!, g.variance[j * gn + i]!);
    }
    b.categorical.feature.forEach((f, i) => {
      for (let j = 0; j < k; j++)
        values[f] =
          values[f]! + weight(j) * categoricalLog(b.categorical.logProb[i]!, design[f]!, k, j);
    });
    return { values, value: base + values.reduce((a, v) => a + v, 0) };
  });
}

/** The contributions to a version's output for one encoded row and class `c`, or null. */
export function contributionsOf(
  family: string,
  fitted: unknown,
  encoding: Encoding,
  x: readonly number[],
  c: number,
): Contributions | null {
  return explainerFor(family, fitted, encoding, c)?.explain(x) ?? null;
}
