/**
 * Optuna's JournalStorage log (the file `JournalFileStorage` writes, Optuna ≥ 3.1), read back
 * into Orpheus. The file is one JSON operation per line; replaying them in order gives the
 * studies and their trials, as Optuna's own `JournalStorageReplayResult` does: a second study
 * of the same name is ignored, and so are changes to a finished trial or to a deleted study's
 * trials (another worker's late writes). The file is checked at the border like a backup: a
 * line that is not an operation Optuna writes, a trial of a study the file never created, a
 * setting no distribution allows, or more than the limits below refuse the whole file with a
 * message saying which line; nothing is stored until the whole file has been read.
 *
 * Operations (Optuna's `JournalOperation`): 0 create study, 1 delete study, 2/3 study user/system
 * attribute, 4 create trial, 5 trial parameter, 6 trial state and values, 7 intermediate value,
 * 8/9 trial user/system attribute.
 */
import * as v from 'valibot';
import type { Choice, Distribution, Params, SearchSpace } from '../records';
import { checkSpace } from '../search/space';

export class JournalError extends Error {}

/** A 2,000-trial study with Hyperband writes some 100,000 lines; this is five times that. */
export const MAX_JOURNAL_LINES = 500_000;
export const MAX_JOURNAL_BYTES = 200 * 1024 * 1024;
const MAX_STUDIES = 1000;
const MAX_PARAMS = 500;
const MAX_NAME = 1000;

export type JournalTrialState = 'running' | 'complete' | 'pruned' | 'failed' | 'waiting';
const STATES: JournalTrialState[] = ['running', 'complete', 'pruned', 'failed', 'waiting'];

export interface JournalTrial {
  number: number;
  state: JournalTrialState;
  /** Values as the objective saw them (a category's choice, not its index). */
  params: Map<string, Choice>;
  distributions: Map<string, Distribution>;
  value: number | null;
  /** Reported values by step. */
  intermediate: Map<number, number>;
  start: string | null;
  complete: string | null;
  userAttrs: Map<string, unknown>;
  systemAttrs: Map<string, unknown>;
  /** The worker (process and thread) that created it. */
  worker: string;
}

export interface JournalStudy {
  name: string;
  direction: 'maximize' | 'minimize' | null;
  objectives: number;
  userAttrs: Map<string, unknown>;
  trials: JournalTrial[];
}

export interface Journal {
  studies: JournalStudy[];
  /** What was read past, in words (a last line cut off while a worker wrote it). */
  notes: string[];
}

// ---- one line

const num = v.number();
const int = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const str = v.pipe(v.string(), v.maxLength(100_000));
const attrs = v.record(v.string(), v.unknown());
const stamp = v.nullish(v.pipe(v.string(), v.maxLength(64)));

const OPS = [
  v.looseObject({
    study_name: v.pipe(v.string(), v.maxLength(MAX_NAME)),
    directions: v.array(v.picklist([0, 1, 2])),
  }),
  v.looseObject({ study_id: int }),
  v.looseObject({ study_id: int, user_attr: attrs }),
  v.looseObject({ study_id: int, system_attr: attrs }),
  v.looseObject({
    study_id: int,
    datetime_start: stamp,
    datetime_complete: v.optional(stamp),
    state: v.optional(v.picklist([0, 1, 2, 3, 4])),
    value: v.nullish(num),
    values: v.nullish(v.array(num)),
    distributions: v.optional(
      v.record(v.string(), v.union([str, v.record(v.string(), v.unknown())])),
    ),
    params: v.optional(v.record(v.string(), num)),
    user_attrs: v.optional(attrs),
    system_attrs: v.optional(attrs),
    intermediate_values: v.optional(v.record(v.string(), v.nullable(num))),
  }),
  v.looseObject({
    trial_id: int,
    param_name: v.pipe(v.string(), v.maxLength(MAX_NAME)),
    param_value_internal: num,
    distribution: v.union([str, v.record(v.string(), v.unknown())]),
  }),
  v.looseObject({
    trial_id: int,
    state: v.picklist([0, 1, 2, 3, 4]),
    values: v.nullish(v.array(num)),
    datetime_start: v.optional(stamp),
    datetime_complete: v.optional(stamp),
  }),
  v.looseObject({ trial_id: int, step: int, intermediate_value: v.nullable(num) }),
  v.looseObject({ trial_id: int, user_attr: attrs }),
  v.looseObject({ trial_id: int, system_attr: attrs }),
] as const;

const HEAD = v.looseObject({
  op_code: v.pipe(v.number(), v.integer()),
  worker_id: v.pipe(v.string(), v.maxLength(MAX_NAME)),
});

/** A name Orpheus would never use as a key of a plain object. */
function unsafeKey(k: string): boolean {
  return k === '__proto__' || k === 'constructor' || k === 'prototype';
}

function mapOf(o: Record<string, unknown>): Map<string, unknown> {
  // Object.entries yields own keys only, so a "__proto__" key stays a plain entry.
  return new Map(Object.entries(o));
}

// ---- distributions

const bounds = { low: num, high: num };
const DISTRIBUTIONS: Record<string, v.GenericSchema> = {
  FloatDistribution: v.looseObject({ ...bounds, log: v.boolean(), step: v.nullish(num) }),
  IntDistribution: v.looseObject({ ...bounds, log: v.boolean(), step: num }),
  CategoricalDistribution: v.looseObject({
    choices: v.array(
      v.union([v.pipe(v.string(), v.maxLength(MAX_NAME)), num, v.boolean(), v.null()]),
    ),
  }),
  UniformDistribution: v.looseObject(bounds),
  LogUniformDistribution: v.looseObject(bounds),
  DiscreteUniformDistribution: v.looseObject({ ...bounds, q: num }),
  IntUniformDistribution: v.looseObject({ ...bounds, step: v.optional(num) }),
  IntLogUniformDistribution: v.looseObject({ ...bounds, step: v.optional(num) }),
};

/** An Optuna distribution (its JSON, or the JSON as text) in Orpheus's terms. */
export function distributionOf(raw: unknown): Distribution {
  const json = typeof raw === 'string' ? JSON.parse(raw) : raw;
  const head = v.safeParse(
    v.looseObject({ name: v.string(), attributes: v.record(v.string(), v.unknown()) }),
    json,
  );
  if (!head.success) throw new JournalError('a distribution without a name and attributes');
  const schema = DISTRIBUTIONS[head.output.name];
  if (!schema) throw new JournalError(`a distribution Orpheus does not know (${head.output.name})`);
  const a = v.safeParse(schema, head.output.attributes);
  if (!a.success) throw new JournalError(`a ${head.output.name} with unreadable attributes`);
  const at = a.output as Record<string, unknown>;
  const n = head.output.name;
  if (n === 'CategoricalDistribution')
    return { kind: 'categorical', choices: at.choices as Choice[] };
  const low = at.low as number;
  const high = at.high as number;
  if (!(low <= high)) throw new JournalError(`a ${n} whose low end is above its high end`);
  if (
    n === 'IntDistribution' ||
    n === 'IntUniformDistribution' ||
    n === 'IntLogUniformDistribution'
  ) {
    const log = n === 'IntLogUniformDistribution' || at.log === true;
    return { kind: 'int', low, high, step: log ? 1 : ((at.step as number | undefined) ?? 1), log };
  }
  return { kind: 'float', low, high, log: n === 'LogUniformDistribution' || at.log === true };
}

/** A parameter's value from Optuna's internal form (a category's index, else the number). */
function external(d: Distribution, internal: number): Choice {
  if (d.kind === 'categorical') {
    if (!Number.isInteger(internal) || internal < 0 || internal >= d.choices.length)
      throw new JournalError(`choice ${internal} of ${d.choices.length}`);
    return d.choices[internal]!;
  }
  if (!Number.isFinite(internal) || internal < d.low - 1e-9 || internal > d.high + 1e-9)
    throw new JournalError(`${internal}, outside ${d.low} … ${d.high}`);
  return d.kind === 'int' ? Math.round(internal) : internal;
}

// ---- the replay

interface Replay {
  studies: Map<number, JournalStudy>;
  deleted: Set<number>;
  trials: JournalTrial[];
  studyOf: number[];
  nextStudy: number;
}

function finished(t: JournalTrial): boolean {
  return t.state === 'complete' || t.state === 'pruned' || t.state === 'failed';
}

function apply(r: Replay, op: number, o: Record<string, unknown>, worker: string): void {
  const study = (id: number): JournalStudy | null => {
    const s = r.studies.get(id);
    if (s) return s;
    if (r.deleted.has(id)) return null;
    throw new JournalError(`it names study ${id}, which the file never created`);
  };
  const trial = (id: number): JournalTrial | null => {
    const t = r.trials[id];
    if (!t) throw new JournalError(`it names trial ${id}, which the file never created`);
    if (!r.studies.has(r.studyOf[id]!) || finished(t)) return null;
    return t;
  };
  switch (op) {
    case 0: {
      const name = o.study_name as string;
      if ([...r.studies.values()].some((s) => s.name === name)) return;
      if (r.studies.size >= MAX_STUDIES) throw new JournalError(`more than ${MAX_STUDIES} studies`);
      const dirs = o.directions as number[];
      r.studies.set(r.nextStudy++, {
        name,
        direction: dirs[0] === 2 ? 'maximize' : dirs[0] === 1 ? 'minimize' : null,
        objectives: dirs.length,
        userAttrs: new Map(),
        trials: [],
      });
      return;
    }
    case 1: {
      const id = o.study_id as number;
      if (study(id)) {
        r.studies.delete(id);
        r.deleted.add(id);
      }
      return;
    }
    case 2: {
      const s = study(o.study_id as number);
      if (s)
        for (const [k, x] of mapOf(o.user_attr as Record<string, unknown>)) s.userAttrs.set(k, x);
      return;
    }
    case 3:
      study(o.study_id as number);
      return;
    case 4: {
      const id = o.study_id as number;
      const s = study(id);
      const distributions = new Map<string, Distribution>();
      for (const [k, d] of Object.entries((o.distributions ?? {}) as Record<string, unknown>)) {
        if (unsafeKey(k)) throw new JournalError(`a setting is named "${k}"`);
        distributions.set(k, distributionOf(d));
      }
      const params = new Map<string, Choice>();
      for (const [k, x] of Object.entries((o.params ?? {}) as Record<string, number>)) {
        const d = distributions.get(k);
        if (!d) throw new JournalError(`setting "${k}" has no distribution`);
        params.set(k, external(d, x));
      }
      if (params.size > MAX_PARAMS)
        throw new JournalError(`a trial with over ${MAX_PARAMS} settings`);
      const intermediate = new Map<number, number>();
      for (const [k, x] of Object.entries(
        (o.intermediate_values ?? {}) as Record<string, number | null>,
      ))
        if (x !== null && /^\d+$/.test(k)) intermediate.set(Number(k), x);
      const values = o.values as number[] | null | undefined;
      const t: JournalTrial = {
        number: s ? s.trials.length : -1,
        state: STATES[(o.state as number | undefined) ?? 0]!,
        params,
        distributions,
        value: (o.value as number | null | undefined) ?? values?.[0] ?? null,
        intermediate,
        start: (o.datetime_start as string | null | undefined) ?? null,
        complete: (o.datetime_complete as string | null | undefined) ?? null,
        userAttrs: mapOf((o.user_attrs ?? {}) as Record<string, unknown>),
        systemAttrs: mapOf((o.system_attrs ?? {}) as Record<string, unknown>),
        worker,
      };
      // Optuna numbers a trial even when its study is gone; it is kept out of every study.
      r.trials.push(t);
      r.studyOf.push(id);
      s?.trials.push(t);
      return;
    }
    case 5: {
      const t = trial(o.trial_id as number);
      if (!t) return;
      const name = o.param_name as string;
      if (unsafeKey(name)) throw new JournalError(`a setting is named "${name}"`);
      const d = distributionOf(o.distribution);
      t.distributions.set(name, d);
      t.params.set(name, external(d, o.param_value_internal as number));
      if (t.params.size > MAX_PARAMS)
        throw new JournalError(`a trial with over ${MAX_PARAMS} settings`);
      return;
    }
    case 6: {
      const t = trial(o.trial_id as number);
      if (!t) return;
      const state = STATES[o.state as number]!;
      if (state === 'running' && t.state === 'running') return;
      if (state === 'running') t.start = (o.datetime_start as string | undefined) ?? t.start;
      if (state !== 'running' && state !== 'waiting')
        t.complete = (o.datetime_complete as string | undefined) ?? t.complete;
      t.state = state;
      const values = o.values as number[] | null | undefined;
      if (values) t.value = values[0] ?? null;
      return;
    }
    case 7: {
      const t = trial(o.trial_id as number);
      const x = o.intermediate_value as number | null;
      if (t && x !== null) t.intermediate.set(o.step as number, x);
      return;
    }
    case 8: {
      const t = trial(o.trial_id as number);
      if (t)
        for (const [k, x] of mapOf(o.user_attr as Record<string, unknown>)) t.userAttrs.set(k, x);
      return;
    }
    case 9: {
      const t = trial(o.trial_id as number);
      if (t)
        for (const [k, x] of mapOf(o.system_attr as Record<string, unknown>))
          t.systemAttrs.set(k, x);
      return;
    }
  }
}

/** Reads a journal file's text: every study in it, or a JournalError naming the line at fault. */
export function readJournal(text: string): Journal {
  if (text.length > MAX_JOURNAL_BYTES)
    throw new JournalError(
      `This file is over ${MAX_JOURNAL_BYTES / 1024 / 1024} MB, more than a study's journal Orpheus reads.`,
    );
  const notes: string[] = [];
  const lines = text.split('\n');
  // A file that ends with a newline has an empty last piece.
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length > MAX_JOURNAL_LINES)
    throw new JournalError(
      `This file has ${lines.length.toLocaleString('en')} lines; Orpheus reads journals of up to ${MAX_JOURNAL_LINES.toLocaleString('en')} operations.`,
    );
  const r: Replay = {
    studies: new Map(),
    deleted: new Set(),
    trials: [],
    studyOf: [],
    nextStudy: 0,
  };
  for (let i = 0; i < lines.length; i++) {
    const where = `Line ${(i + 1).toLocaleString('en')}`;
    let json: unknown;
    try {
      json = JSON.parse(lines[i]!);
    } catch {
      if (i === lines.length - 1 && !text.endsWith('\n')) {
        // A worker was writing it when the file was copied; Optuna reads past it too.
        notes.push(`The last line was cut off (a worker was writing it) and was left out.`);
        break;
      }
      throw new JournalError(`${where} is not an operation of an Optuna journal (not JSON).`);
    }
    const head = v.safeParse(HEAD, json);
    if (!head.success)
      throw new JournalError(
        `${where} is not an operation of an Optuna journal (no op_code or worker_id).`,
      );
    const op = head.output.op_code;
    const schema = OPS[op];
    if (!schema)
      throw new JournalError(
        `${where} has operation ${op}, which Optuna's journal does not have: is this a journal file?`,
      );
    const body = v.safeParse(schema, json);
    if (!body.success)
      throw new JournalError(`${where}: operation ${op} with missing or unreadable fields.`);
    try {
      apply(r, op, body.output as Record<string, unknown>, head.output.worker_id);
    } catch (e) {
      if (e instanceof JournalError) throw new JournalError(`${where}: ${e.message}.`);
      if (e instanceof SyntaxError)
        throw new JournalError(`${where}: a distribution that is not JSON.`);
      throw e;
    }
  }
  if (r.studies.size === 0) throw new JournalError('This journal has no study in it.');
  return { studies: [...r.studies.values()], notes };
}

// ---- the space

/**
 * The space of a study's trials: each setting's widest range over the trials that have it, and,
 * for a setting only some trials have, the choice of another setting it goes with (a cross-family
 * study's settings exist only under their family).
 */
export function inferSpace(trials: readonly JournalTrial[]): SearchSpace {
  const space: SearchSpace = {};
  const seen = new Map<string, JournalTrial[]>();
  for (const t of trials)
    for (const [name, d] of t.distributions) {
      if (!seen.has(name)) seen.set(name, []);
      seen.get(name)!.push(t);
      const prev = space[name];
      if (!prev) space[name] = { ...d };
      else if (prev.kind === 'categorical' && d.kind === 'categorical') {
        for (const c of d.choices) if (!prev.choices.includes(c)) prev.choices.push(c);
      } else if (prev.kind !== 'categorical' && prev.kind === d.kind) {
        prev.low = Math.min(prev.low, d.low);
        prev.high = Math.max(prev.high, d.high);
      }
    }
  const all = trials.filter((t) => t.distributions.size > 0);
  const everywhere = [...seen.keys()].filter((n) => seen.get(n)!.length === all.length);
  for (const [name, withIt] of seen) {
    if (withIt.length === all.length) continue;
    for (const p of everywhere) {
      const d = space[p]!;
      if (d.kind !== 'categorical') continue;
      const value = withIt[0]!.params.get(p)!;
      const same = withIt.every((t) => t.params.get(p) === value);
      const only = all.every((t) => t.params.get(p) !== value || t.distributions.has(name));
      if (same && only) {
        space[name] = { ...space[name]!, when: { param: p, is: value } };
        break;
      }
    }
  }
  return space;
}

/** A trial's settings as a record (names were checked to be plain keys when read). */
export function paramsOf(t: JournalTrial): Params {
  return Object.fromEntries(t.params);
}

/** Problems with an inferred space that Orpheus's plots cannot show, in words. */
export function spaceProblems(space: SearchSpace): string[] {
  return Object.keys(space).length === 0 ? [] : checkSpace(space);
}
