/**
 * Search spaces: the ranges a search may draw each setting from. Values have an external form
 * (what the trainer receives) and an internal number (what samplers compute with: a category's
 * index, or the number itself).
 */
import type { Choice, Distribution, Params, SearchSpace } from '../records';

export type { Choice, Distribution, Params, SearchSpace };

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
