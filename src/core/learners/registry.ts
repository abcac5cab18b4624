/**
 * The model families Orpheus has: one line each. Everything that depends on a family asks
 * this registry for its learner; nothing else names a family.
 */
import type { Params } from '../records';
import type { Task } from '../vocabulary';
import { formatParam, type AnyLearner, type ImportanceMeaning, type ParamSpec } from './learner';
import { TrainingError } from './training';
import { linearRegression, linearSvm, logisticRegression } from './linear';
import { naiveBayes } from './bayes';
import { nearestNeighbours } from './knn';
import { baseline } from './baseline';
import { gradientBoosting } from './boost';
import { extraTrees, randomForest } from './forest';
import { decisionTree } from './tree';

export const LEARNERS: readonly AnyLearner[] = [
  decisionTree as unknown as AnyLearner,
  randomForest as unknown as AnyLearner,
  extraTrees as unknown as AnyLearner,
  gradientBoosting as unknown as AnyLearner,
  logisticRegression as unknown as AnyLearner,
  linearRegression as unknown as AnyLearner,
  linearSvm as unknown as AnyLearner,
  naiveBayes as unknown as AnyLearner,
  nearestNeighbours as unknown as AnyLearner,
  baseline as unknown as AnyLearner,
];

/** What the tree families' importances are (the default for a family that says nothing). */
export const TREE_IMPORTANCE: ImportanceMeaning = {
  label: 'Share of the impurity decrease',
  what: 'Share (%) of the total impurity decrease (for boosted trees, the gain) made by splits on each feature, over all its trees.',
  none: 'No split uses a feature (a single leaf, or the baseline).',
};

/** The family a new model gets when the person does not choose one. */
export const DEFAULT_FAMILY = 'decision-tree';

const BY_FAMILY = new Map(LEARNERS.map((l) => [l.family, l]));

/** The learner of a family, or a TrainingError a person can read. */
export function learnerFor(family: string): AnyLearner {
  const l = BY_FAMILY.get(family);
  if (!l)
    throw new TrainingError(
      `This version was made by a kind of model this Orpheus does not know ("${family}"). Update Orpheus to use it.`,
    );
  return l;
}

export function isFamily(family: string): boolean {
  return BY_FAMILY.has(family);
}

/** A family's name for people; `unknown` for a key no registered family has (a record from elsewhere). */
export function familyLabel(family: string, unknown = family): string {
  return isFamily(family) ? learnerFor(family).label : unknown;
}

/** How many trees a version's model is made of (0 for a family without trees). */
export function treeCount(v: { family: string; fitted: unknown }): number {
  return learnerFor(v.family).trees?.count(v.fitted) ?? 0;
}

/** The families that can learn a task. */
export function learnersFor(task: Task): AnyLearner[] {
  return LEARNERS.filter((l) => l.tasks.includes(task));
}

/** A setting of a family (undefined for a name it does not have). */
export function paramSpec(family: string, name: string): ParamSpec | undefined {
  return BY_FAMILY.get(family)?.parameters.find((p) => p.name === name);
}

/** A setting's name as people read it. */
export function paramLabel(family: string, name: string): string {
  return paramSpec(family, name)?.label ?? name;
}

/** Every label of a family's settings, by name (for plots and tables). */
export function paramLabels(family: string): Record<string, string> {
  return Object.fromEntries(
    (BY_FAMILY.get(family)?.parameters ?? []).map((p) => [p.name, p.label]),
  );
}

/**
 * Settings carried over to another task: each keeps its value where the task allows it and
 * takes the family's default for that task where not (a tree's split criterion).
 */
export function adaptParams(family: string, params: Params, task: Task): Params {
  const learner = learnerFor(family);
  const defaults = learner.defaults(task);
  const out: Params = { ...defaults };
  for (const spec of learner.parameters) {
    if (!(spec.name in params)) continue;
    const x = params[spec.name]!;
    const fits =
      spec.kind !== 'choice' ||
      spec.choices.some((c) => c.value === x && (!c.tasks || c.tasks.includes(task)));
    if (fits) out[spec.name] = x;
  }
  return out;
}

/** A version's settings as [label, value] for people, in the family's order. */
export function describeParams(
  family: string,
  params: Params,
  formatNumber: (n: number) => string = String,
): { name: string; label: string; value: string; exact: string }[] {
  return Object.entries(params).map(([name, x]) => {
    const spec = paramSpec(family, name);
    return {
      name,
      label: spec?.label ?? name,
      value: formatParam(spec, x, formatNumber),
      exact: x === null ? 'null' : String(x),
    };
  });
}
