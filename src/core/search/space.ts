/**
 * Search spaces: the ranges a search may draw each setting from. Values have an external form
 * (what the trainer receives) and an internal number (what samplers compute with: a category's
 * index, or the number itself).
 */
import type { Task } from '../records';
import type { CartParams } from '../train/cart';

export type Choice = string | number | boolean | null;

export type Distribution =
  | { kind: 'float'; low: number; high: number; log: boolean }
  | { kind: 'int'; low: number; high: number; step: number; log: boolean }
  | { kind: 'categorical'; choices: Choice[] };

export type SearchSpace = Record<string, Distribution>;
export type Params = Record<string, Choice>;

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

/**
 * The tree trainer's settings as a space. `maxDepth` 0 stands for "unlimited" so that depth
 * stays one integer range.
 */
export function defaultTreeSpace(task: Task): SearchSpace {
  const space: SearchSpace = {
    maxDepth: { kind: 'int', low: 1, high: 20, step: 1, log: false },
    minSamplesSplit: { kind: 'int', low: 2, high: 40, step: 1, log: true },
    minSamplesLeaf: { kind: 'int', low: 1, high: 30, step: 1, log: true },
    minImpurityDecrease: { kind: 'float', low: 0, high: 0.02, log: false },
    maxFeatures: { kind: 'categorical', choices: ['all', 'sqrt', 'log2'] },
  };
  if (task === 'classification') {
    space['criterion'] = { kind: 'categorical', choices: ['gini', 'entropy'] };
    space['classWeight'] = { kind: 'categorical', choices: ['none', 'balanced'] };
  }
  return space;
}

/** Trial parameters as trainer settings (anything not searched keeps its default). */
export function paramsToCart(params: Params, base: CartParams): CartParams {
  const out: CartParams = { ...base };
  const num = (k: string): number | undefined =>
    typeof params[k] === 'number' ? (params[k] as number) : undefined;
  if (num('maxDepth') !== undefined)
    out.maxDepth = num('maxDepth')! === 0 ? null : num('maxDepth')!;
  if (num('minSamplesSplit') !== undefined) out.minSamplesSplit = num('minSamplesSplit')!;
  if (num('minSamplesLeaf') !== undefined) out.minSamplesLeaf = num('minSamplesLeaf')!;
  if (num('minImpurityDecrease') !== undefined)
    out.minImpurityDecrease = num('minImpurityDecrease')!;
  if (typeof params['criterion'] === 'string')
    out.criterion = params['criterion'] as CartParams['criterion'];
  if (typeof params['maxFeatures'] === 'string')
    out.maxFeatures = params['maxFeatures'] as CartParams['maxFeatures'];
  if (typeof params['classWeight'] === 'string')
    out.classWeight = params['classWeight'] as CartParams['classWeight'];
  return out;
}
