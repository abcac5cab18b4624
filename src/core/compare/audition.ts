/**
 * Model audition: what a data version asks of a model (task, missing values, classes,
 * categorical features, target sign, columns), and how each model version measures up, from
 * its capability tags and what it recorded when it was trained.
 */
import type { DatasetVersionRecord, ModelVersionRecord, Task } from '../records';
import { learnerFor } from '../learners/registry';

/** What is asked of a model on one point: it must (`yes`), it must not (`no`), either way (`any`). */
export type Ask = 'yes' | 'no' | 'any';

/** The points a person can ask about, with the capability tag each one reads. */
export const ASKS = {
  missing: {
    label: 'takes missing values',
    tag: 'handles-missing-values',
    has: 'takes missing values',
    lacks: 'cannot take missing values',
  },
  multiclass: {
    label: 'trained on more than two classes',
    tag: 'trained-multiclass',
    has: 'was trained on more than two classes',
    lacks: 'was not trained on more than two classes',
  },
  categorical: {
    label: 'takes categorical features',
    tag: 'categorical-features',
    has: 'takes categorical features',
    lacks: 'cannot take categorical features',
  },
  probabilities: {
    label: 'gives probabilities',
    tag: 'probabilistic',
    has: 'gives probabilities',
    lacks: 'gives no probabilities (decision values only)',
  },
  positive: {
    label: 'predicts any target sign',
    tag: 'any-target-sign',
    has: 'predicts any target sign',
    lacks: 'predicts positive targets only',
  },
} as const;
export type AskId = keyof typeof ASKS;

export interface Requirements {
  task: Task;
  /** What is asked of a model beyond what the data needs, point by point (OrpheusDT's audition). */
  ask: Record<AskId, Ask>;
  hasMissing: boolean;
  /** Class labels (classification). */
  classes: string[];
  hasCategorical: boolean;
  /** Regression: every target value is above 0. */
  targetPositive: boolean;
  featureNames: string[];
  /** Categories per categorical feature, as the data holds them. */
  categories: Record<string, string[]>;
  target: string;
  rows: number;
}

export function requirementsOf(v: DatasetVersionRecord): Requirements {
  const features = v.profile.columns.filter((c) => c.role === 'feature' && c.type !== 'text-id');
  const target = v.profile.columns.find((c) => c.role === 'target');
  return {
    task: v.task,
    // Nothing is asked until the person asks it: the data's own needs are checked anyway.
    ask: {
      missing: 'any',
      multiclass: 'any',
      categorical: 'any',
      probabilities: 'any',
      positive: 'any',
    },
    hasMissing: features.some((c) => c.missing > 0),
    classes: v.task === 'classification' ? (v.profile.classBalance ?? []).map((c) => c.value) : [],
    hasCategorical: features.some((c) => c.type === 'categorical' || c.type === 'boolean'),
    targetPositive: v.task === 'regression' && (target?.numeric?.min ?? 0) > 0,
    featureNames: features.map((c) => c.name),
    categories: Object.fromEntries(
      features.filter((c) => c.top).map((c) => [c.name, c.top!.map((t) => t.value)]),
    ),
    target: target?.name ?? '',
    rows: v.rowCount,
  };
}

export type Verdict = 'yes' | 'no' | 'partly';

export interface Check {
  id: string;
  label: string;
  verdict: Verdict;
  reason: string;
}

export interface AuditionResult {
  checks: Check[];
  /** The version can predict on this data (task, target and columns fit). */
  canRun: boolean;
  /** It is what was asked of it (every yes/no point of the requirements). */
  meets: boolean;
}

/** The family's noun ("tree", "linear regression"), or "model" for one this Orpheus does not know. */
function knownNoun(family: string): string {
  try {
    return learnerFor(family).noun;
  } catch {
    return 'model';
  }
}

export function audition(req: Requirements, v: ModelVersionRecord): AuditionResult {
  const checks: Check[] = [];
  const tags = new Set(v.tags);
  const enc = v.encoding;

  const taskOk = enc.task === req.task;
  checks.push({
    id: 'task',
    label: req.task === 'classification' ? 'Classification' : 'Regression',
    verdict: taskOk ? 'yes' : 'no',
    reason: taskOk
      ? `trained for ${enc.task}`
      : `trained for ${enc.task}, the data needs ${req.task}`,
  });

  const targetOk = enc.target === req.target;
  const missingCols = enc.features.map((f) => f.name).filter((n) => !req.featureNames.includes(n));
  checks.push({
    id: 'columns',
    label: 'Columns',
    verdict: !targetOk || missingCols.length > 0 ? 'no' : 'yes',
    reason: !targetOk
      ? `predicts "${enc.target}", the data's target is "${req.target}"`
      : missingCols.length > 0
        ? `needs ${missingCols.map((n) => `"${n}"`).join(', ')}, which the data lacks`
        : `all ${enc.features.length} features it uses are in the data`,
  });

  if (req.hasMissing)
    checks.push(
      tags.has('handles-missing-values')
        ? {
            id: 'missing',
            label: 'Missing values',
            verdict: 'yes',
            reason: tags.has('imputes-missing-values')
              ? 'its preprocessing fills them in, as it learned from the training rows'
              : 'each split learned where missing values go',
          }
        : {
            id: 'missing',
            label: 'Missing values',
            verdict: 'no',
            reason: 'cannot take missing values',
          },
    );

  if (req.task === 'classification') {
    const multi = req.classes.length > 2;
    const label = multi ? `Multiclass (${req.classes.length})` : 'Binary';
    const unseen = req.classes.filter((c) => !(enc.classes ?? []).includes(c));
    const capable = tags.has(multi ? 'multiclass' : 'binary');
    checks.push({
      id: 'classes',
      label,
      verdict: !capable ? 'no' : unseen.length > 0 ? 'partly' : 'yes',
      reason: !capable
        ? `cannot do ${multi ? 'multiclass' : 'binary'} classification`
        : unseen.length > 0
          ? `never saw ${unseen.map((c) => `"${c}"`).join(', ')}, so it cannot predict ${unseen.length === 1 ? 'it' : 'them'}`
          : `knows all ${req.classes.length} classes`,
    });
  }

  if (req.hasCategorical) {
    const unseen: string[] = [];
    for (const f of enc.features)
      if (f.kind === 'categorical')
        for (const c of req.categories[f.name] ?? [])
          if (!f.categories.includes(c)) unseen.push(`${f.name}=${c}`);
    checks.push({
      id: 'categorical',
      label: 'Categorical features',
      verdict: !tags.has('categorical-features') ? 'no' : unseen.length > 0 ? 'partly' : 'yes',
      reason:
        unseen.length > 0
          ? `unseen categories ${tags.has('one-hot-categories') ? 'become all-zero one-hot columns' : 'read as missing'}: ${unseen.slice(0, 3).join(', ')}${unseen.length > 3 ? ' …' : ''}`
          : tags.has('one-hot-categories')
            ? 'one column per category (one-hot)'
            : tags.has('naive-bayes')
              ? 'counts each category per class'
              : 'splits on category codes',
    });
  }

  if (req.task === 'regression' && req.targetPositive)
    checks.push({
      id: 'positive',
      label: 'Positive target',
      verdict: 'yes',
      reason: tags.has('any-target-sign')
        ? `any target sign is fine for a ${knownNoun(v.family)}`
        : 'no requirement on the target',
    });

  checks.push({
    id: 'size',
    label: 'Size',
    verdict: req.rows > 20 * Math.max(1, v.trainRows) ? 'partly' : 'yes',
    reason: `trained on ${v.trainRows.toLocaleString()} rows; this data has ${req.rows.toLocaleString()}`,
  });

  // What the person asked of the model, point by point (an `any` is not checked).
  const asked: Check[] = [];
  for (const [id, spec] of Object.entries(ASKS) as [AskId, (typeof ASKS)[AskId]][]) {
    const want = req.ask[id];
    if (want === 'any') continue;
    const has = tags.has(spec.tag);
    const met = has === (want === 'yes');
    asked.push({
      id: `ask-${id}`,
      label: `${want === 'yes' ? '' : 'not: '}${spec.label}`,
      verdict: met ? 'yes' : 'no',
      reason: `${met ? 'as asked' : 'not what was asked'}: it ${has ? spec.has : spec.lacks}`,
    });
  }
  checks.push(...asked);
  return {
    checks,
    canRun: taskOk && targetOk && missingCols.length === 0,
    meets: asked.every((c) => c.verdict === 'yes'),
  };
}
