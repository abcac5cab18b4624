/**
 * Search spaces: the ranges a search may draw each setting from. Values have an external form
 * (what the trainer receives) and an internal number (what samplers compute with: a category's
 * index, or the number itself).
 */
import type { Choice, Distribution, Params, SearchSpace } from '../records';

export type { Choice, Distribution, Params, SearchSpace };

/** A cross-family study's family: the top-level choice of its space, and its `family`. */
export const FAMILY_PARAM = 'family';
export const ANY_FAMILY = 'any';

/** Whether a setting exists in a trial with these values (a conditional one only under its choice). */
export function isActive(d: Distribution, params: Params): boolean {
  return !d.when || params[d.when.param] === d.when.is;
}

/** The settings in the order a trial draws them: the ones others depend on first. */
export function drawOrder(space: SearchSpace): string[] {
  const names = Object.keys(space);
  return [...names.filter((n) => !space[n]!.when), ...names.filter((n) => space[n]!.when)];
}

/** The settings a trial with these values has, in draw order. */
export function activeNames(space: SearchSpace, params: Params): string[] {
  return drawOrder(space).filter((n) => isActive(space[n]!, params));
}

export function isConditional(space: SearchSpace): boolean {
  return Object.values(space).some((d) => d.when);
}

/** A family's setting in a cross-family space: `random-forest.maxDepth`. */
export function familySetting(family: string, name: string): string {
  return `${family}.${name}`;
}

/**
 * One space over several families: the family as its top-level choice, and each family's
 * settings existing only under it.
 */
export function acrossFamilies(spaces: Record<string, SearchSpace>): SearchSpace {
  const families = Object.keys(spaces);
  const out: SearchSpace = { [FAMILY_PARAM]: { kind: 'categorical', choices: families } };
  for (const f of families)
    for (const [name, d] of Object.entries(spaces[f]!))
      out[familySetting(f, name)] = { ...d, when: { param: FAMILY_PARAM, is: f } };
  return out;
}

/** One family's settings of a cross-family space, under their own names. */
export function spaceOfFamily(space: SearchSpace, family: string): SearchSpace {
  const prefix = familySetting(family, '');
  return Object.fromEntries(
    Object.entries(space)
      .filter(([, d]) => d.when?.param === FAMILY_PARAM && d.when.is === family)
      .map(([n, d]) => {
        const own = { ...d };
        delete own.when;
        return [n.slice(prefix.length), own];
      }),
  );
}

/** The families a cross-family space chooses between (none for a one-family space). */
export function familiesOf(space: SearchSpace): string[] {
  const d = space[FAMILY_PARAM];
  return d?.kind === 'categorical' && !d.when ? d.choices.map(String) : [];
}

/**
 * The family a trial trained and its settings under their own names: a one-family study's
 * family and values as they are; a cross-family trial's chosen family and that family's values.
 */
export function trialModel(
  studyFamily: string,
  params: Params,
): { family: string; params: Params } {
  if (studyFamily !== ANY_FAMILY) return { family: studyFamily, params };
  const family = String(params[FAMILY_PARAM]);
  const prefix = familySetting(family, '');
  return {
    family,
    params: Object.fromEntries(
      Object.entries(params)
        .filter(([n]) => n.startsWith(prefix))
        .map(([n, v]) => [n.slice(prefix.length), v]),
    ),
  };
}

export function toInternal(d: Distribution, v: Choice): number {
  if (d.kind === 'categorical') return d.choices.indexOf(v);
  return v as number;
}

export function toExternal(d: Distribution, x: number): Choice {
  return d.kind === 'categorical' ? d.choices[x]! : x;
}

/** Problems with a space, in words; empty when it can be searched. */
export function checkSpace(space: SearchSpace): string[] {
  const problems: string[] = [];
  const names = Object.keys(space);
  if (names.length === 0) problems.push('Choose at least one setting to search.');
  for (const [name, d] of Object.entries(space)) {
    if (d.when) {
      const on = space[d.when.param];
      if (on?.kind !== 'categorical' || on.when || !on.choices.includes(d.when.is))
        problems.push(
          `${name}: it exists only when ${d.when.param} is ${String(d.when.is)}, which the space never chooses.`,
        );
    }
    if (d.kind === 'categorical') {
      if (d.choices.length === 0) problems.push(`${name}: tick at least one choice.`);
      continue;
    }
    if (!Number.isFinite(d.low) || !Number.isFinite(d.high))
      problems.push(`${name}: both ends of the range must be numbers.`);
    else if (d.low > d.high) problems.push(`${name}: the lower end is above the upper end.`);
    if (d.log && d.low <= 0) problems.push(`${name}: a log scale needs a lower end above 0.`);
    if (d.kind === 'int') {
      if (!Number.isInteger(d.low) || !Number.isInteger(d.high))
        problems.push(`${name}: the ends must be whole numbers.`);
      if (!(d.step >= 1) || !Number.isInteger(d.step))
        problems.push(`${name}: the step must be a whole number of at least 1.`);
      if (d.log && d.step !== 1) problems.push(`${name}: a log scale needs step 1.`);
    }
  }
  return problems;
}

/** True when `v` is a value `d` can produce. */
export function contains(d: Distribution, v: Choice): boolean {
  if (d.kind === 'categorical') return d.choices.includes(v);
  if (typeof v !== 'number' || v < d.low || v > d.high) return false;
  return d.kind === 'float' || (Number.isInteger(v) && (v - d.low) % d.step === 0);
}
