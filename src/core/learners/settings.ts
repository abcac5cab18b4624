/**
 * Settings read and checked from their `ParamSpec`s alone, for families whose settings are
 * plain numbers and choices: a search trial's values over the defaults, and a message naming
 * the setting and its range for a value out of it.
 */
import type { Params } from '../records';
import type { Task } from '../vocabulary';
import type { ParamSpec } from './learner';
import { TrainingError } from './training';

/** A spec's upper bound, where it has one (`max` on int and float specs). */
export type Bounded = ParamSpec & { max?: number };

/** Full settings from some (a search trial's) over `base`: values of the right kind only. */
export function overSpecs<P extends Params>(
  params: Params,
  base: P,
  specs: readonly ParamSpec[],
): P {
  const out: Params = { ...base };
  for (const s of specs) {
    const v = params[s.name];
    if (s.kind === 'choice') {
      if (typeof v === 'string' && s.choices.some((c) => c.value === v)) out[s.name] = v;
    } else if (typeof v === 'number' || (v === null && s.nullLabel)) out[s.name] = v;
  }
  return out as P;
}

/** Throws a TrainingError naming the first setting out of its range, or not one of its choices. */
export function checkSpecs(p: Params, specs: readonly Bounded[], task: Task): void {
  for (const s of specs) {
    if (s.tasks && !s.tasks.includes(task)) continue;
    const v = p[s.name];
    if (s.kind === 'choice') {
      const allowed = s.choices.filter((c) => !c.tasks || c.tasks.includes(task));
      if (!allowed.some((c) => c.value === v))
        throw new TrainingError(
          `${s.label} must be one of ${allowed.map((c) => c.label).join(', ')}, not "${String(v)}".`,
        );
      continue;
    }
    if (v === null && s.nullLabel) continue;
    const range = s.max === undefined ? `at least ${s.min}` : `between ${s.min} and ${s.max}`;
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      v < s.min ||
      (s.max !== undefined && v > s.max)
    )
      throw new TrainingError(
        `${s.label} must be ${s.kind === 'int' ? 'a whole number ' : ''}${range}, not ${String(v)}.`,
      );
    if (s.kind === 'int' && !Number.isInteger(v))
      throw new TrainingError(`${s.label} must be a whole number ${range}, not ${v}.`);
  }
}

/**
 * A family's `parameters`, `withParams` and `checkParams`, all read from one spec list (spread
 * into its learner).
 */
export function bySpecs<P extends Params>(
  specs: readonly Bounded[],
): {
  parameters: readonly Bounded[];
  withParams: (params: Params, base: P) => P;
  checkParams: (p: P, task: Task) => void;
} {
  return {
    parameters: specs,
    withParams: (params, base) => overSpecs(params, base, specs),
    checkParams: (p, task) => checkSpecs(p, specs, task),
  };
}

/** A choice setting from [value, label] pairs. */
export function choice(
  name: string,
  label: string,
  pairs: readonly (readonly [string, string])[],
  hint?: string,
): Bounded {
  return {
    name,
    label,
    ...(hint ? { hint } : {}),
    kind: 'choice',
    choices: pairs.map(([value, text]) => ({ value, label: text })),
  };
}
