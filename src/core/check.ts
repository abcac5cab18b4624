/**
 * The border check every record from outside passes (a backup file, a share link): brought to
 * the current shape (`migrate`), then its schema, then, for a model version, its family's own
 * check of the fitted model and its settings. A problem is a `RecordError` naming the field.
 */
import * as v from 'valibot';
import { isFamily, learnerFor } from './learners/registry';
import { migrate } from './migrate';
import {
  RECORD_SCHEMAS,
  type ModelVersionRecord,
  type RecordOf,
  type RecordStoreName,
} from './records';

export class RecordError extends Error {
  override name = 'RecordError';
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Deeper than anything Orpheus writes (a tree of the deepest kind it keeps, inside a record).
 * Walked without recursion, so a file nested thousands of levels deep is refused, not a crash.
 */
export const MAX_JSON_DEPTH = 1200;

/** Refuses keys that could reach an object's prototype when records are copied, and nesting
 * deeper than Orpheus writes. */
export function checkKeys(value: unknown, where: string): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [x, depth] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    if (depth > MAX_JSON_DEPTH)
      throw new RecordError(
        `${where} is nested more than ${MAX_JSON_DEPTH} levels deep, deeper than Orpheus ever writes: the file was altered.`,
      );
    if (Array.isArray(x)) {
      for (const y of x) stack.push([y, depth + 1]);
      continue;
    }
    for (const k of Object.keys(x)) {
      if (FORBIDDEN.has(k))
        throw new RecordError(
          `${where} has a field named "${k}", which Orpheus never writes: the file was altered.`,
        );
      stack.push([(x as Record<string, unknown>)[k], depth + 1]);
    }
  }
}

/** A valibot issue in words: `the field "scores.cv" has an invalid type …`. */
export function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return `${path ? `the field "${path}" ` : ''}${issue.message.replace(/^Invalid /, 'has an invalid ')}`;
}

/** What is wrong with a model version's family, settings or fitted model, or null. */
export function modelProblem(r: ModelVersionRecord): string | null {
  if (!isFamily(r.family))
    return `is of a kind of model this Orpheus does not know ("${r.family}")`;
  const learner = learnerFor(r.family);
  if (!learner.tasks.includes(r.encoding.task))
    return `is a ${learner.label.toLowerCase()} for ${r.encoding.task}, which it cannot learn`;
  const names = r.encoding.features.map((f) => f.name);
  if (new Set(names).size !== names.length) return 'names a feature twice in its encoding';
  if (names.includes(r.encoding.target)) return 'uses its target as a feature';
  const known = new Set(learner.parameters.map((p) => p.name));
  for (const name of Object.keys(r.hyperparameters))
    if (!known.has(name))
      return `has a setting "${name}" that a ${learner.label.toLowerCase()} does not have`;
  const fitted = v.safeParse(learner.fittedSchema, r.fitted);
  if (!fitted.success) return describeIssue(fitted.issues[0]!);
  return learner.checkFitted(fitted.output, r.encoding);
}

const isPlain = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);

/**
 * The checked value with its fields in the order of the value read (a schema lists them in its
 * own order), so a restored record is the record that was saved, field for field.
 */
function inOrderOf(read: unknown, checked: unknown): unknown {
  if (Array.isArray(read) && Array.isArray(checked))
    return checked.map((x, i) => inOrderOf(read[i], x));
  if (!isPlain(read) || !isPlain(checked)) return checked;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(read)) if (k in checked) out[k] = inOrderOf(read[k], checked[k]);
  for (const k of Object.keys(checked)) if (!(k in out)) out[k] = checked[k];
  return out;
}

/** A record of `store` from outside, migrated and checked; throws a RecordError. */
export function checkRecord<S extends RecordStoreName>(store: S, raw: unknown): RecordOf<S> {
  const current = migrate(store, raw);
  const r = v.safeParse(RECORD_SCHEMAS[store], current);
  if (!r.success) throw new RecordError(describeIssue(r.issues[0]!));
  if (store === 'modelVersions') {
    const problem = modelProblem(r.output as ModelVersionRecord);
    if (problem) throw new RecordError(problem);
  }
  return inOrderOf(current, r.output) as RecordOf<S>;
}
