/**
 * Samplers: given a space and the trials so far, the next trial's parameters. All are pure: the
 * seeded generator is passed in, so a study repeats exactly from its seed.
 */
import { seededRandom, shuffle } from '../random';
import type { Direction, SamplerKind, TrialState } from '../vocabulary';
import { sampleRandom, sampleUniform, trialRandom } from './draw';
import type { Observation } from './history';
import {
  activeNames,
  isConditional,
  type Distribution,
  type Params,
  type SearchSpace,
} from './space';
import { suggestBohb, type BudgetObservation } from './bohb';
import { suggestTpe, type TpeOptions } from './tpe';

export { sampleRandom, sampleUniform, trialRandom };

export type { Direction, Observation, SamplerKind, TrialState };

export const SAMPLER_LABELS: Record<SamplerKind, string> = {
  tpe: 'TPE (as in Optuna)',
  'tpe-multivariate': 'TPE, multivariate',
  random: 'Random',
  grid: 'Grid',
  bohb: 'BOHB (Hyperband with density models)',
};

export interface SamplerContext {
  space: SearchSpace;
  /** Every trial so far, in number order (running ones included: the "constant liar"). */
  history: Observation[];
  direction: Direction;
  /** The study's seed; each trial draws from its own generator derived from it. */
  seed: number;
  trialNumber: number;
  /** Grid: values per numeric range. */
  gridPoints?: number;
  tpe?: Partial<TpeOptions>;
  /** The shares of training rows a trial's rungs were scored on (its Hyperband bracket's). */
  rungsOf?: (trialNumber: number) => number[];
  /** Trials the study runs first, in order (trial n < length takes the n-th); the sampler's follow. */
  startWith?: readonly Params[];
}

/** Each finished trial's results at each budget it reached, as losses (BOHB's observations). */
export function budgetObservations(ctx: SamplerContext): BudgetObservation[] {
  const sign = ctx.direction === 'minimize' ? 1 : -1;
  const out: BudgetObservation[] = [];
  for (const t of ctx.history) {
    if (t.state === 'running') continue;
    const rungs = ctx.rungsOf?.(t.number) ?? [1];
    if (t.intermediate.length === 0) {
      out.push({ params: t.params, budget: rungs[0]!, loss: Infinity });
      continue;
    }
    t.intermediate.forEach((v, k) =>
      out.push({
        params: t.params,
        budget: rungs[k] ?? 1,
        loss: Number.isFinite(v) ? sign * v : Infinity,
      }),
    );
  }
  return out;
}

export const MAX_GRID = 10_000;

/** The values a grid takes for one distribution. */
export function gridValues(d: Distribution, points: number): Params[string][] {
  if (d.kind === 'categorical') return d.choices.slice();
  if (d.kind === 'int') {
    const all = Math.floor((d.high - d.low) / d.step) + 1;
    if (all <= points) return Array.from({ length: all }, (_, i) => d.low + i * d.step);
  }
  const n = Math.max(1, points);
  const values = Array.from({ length: n }, (_, i) => {
    const t = n === 1 ? 0.5 : i / (n - 1);
    const v = d.log
      ? Math.exp(Math.log(d.low) + t * (Math.log(d.high) - Math.log(d.low)))
      : d.low + t * (d.high - d.low);
    return d.kind === 'int' ? d.low + Math.round((v - d.low) / d.step) * d.step : v;
  });
  return [...new Set(values)];
}

function product(space: SearchSpace, names: string[], points: number): number {
  return names.reduce((n, name) => n * gridValues(space[name]!, points).length, 1);
}

/** The `index`-th combination of `names`' grid values, the first name varying fastest. */
function combination(space: SearchSpace, names: string[], points: number, index: number): Params {
  const out: Params = {};
  let rest = index;
  for (const name of names) {
    const values = gridValues(space[name]!, points);
    out[name] = values[rest % values.length]!;
    rest = Math.floor(rest / values.length);
  }
  return out;
}

/**
 * The grid of a space as a list of trials' values. Its top-level settings combine in a fixed
 * order; each of their combinations is followed by the grid of the settings it makes exist (a
 * cross-family grid is every family's own grid, one after the other).
 */
function gridOf(space: SearchSpace, points: number): Params[] | number {
  const top = Object.keys(space).filter((n) => !space[n]!.when);
  const topSize = product(space, top, points);
  if (topSize > MAX_GRID) return topSize;
  const out: Params[] = [];
  for (let i = 0; i < topSize; i++) {
    const head = combination(space, top, points, i);
    const below = activeNames(space, head).filter((n) => space[n]!.when);
    const size = product(space, below, points);
    if (out.length + size > MAX_GRID) return out.length + size;
    for (let j = 0; j < size; j++) out.push({ ...head, ...combination(space, below, points, j) });
  }
  return out;
}

export function gridSize(space: SearchSpace, points: number): number {
  if (!isConditional(space)) return product(space, Object.keys(space), points);
  const grid = gridOf(space, points);
  return typeof grid === 'number' ? grid : grid.length;
}

/** Why a grid cannot be searched, or null. */
export function gridProblem(space: SearchSpace, points: number): string | null {
  const size = gridSize(space, points);
  return size > MAX_GRID
    ? `The grid has ${size.toLocaleString()} points, more than ${MAX_GRID.toLocaleString()}: narrow the ranges, tick fewer choices or take fewer values per range.`
    : null;
}

/** The next unvisited grid point, in an order shuffled by the study's seed; null when all are taken. */
export function sampleGrid(ctx: SamplerContext): Params | null {
  const points = ctx.gridPoints ?? 5;
  const grid = gridOf(ctx.space, points);
  if (typeof grid === 'number') throw new Error(gridProblem(ctx.space, points)!);
  const order = shuffle(
    Int32Array.from({ length: grid.length }, (_, i) => i),
    seededRandom(ctx.seed),
  );
  const taken = new Set(ctx.history.map((t) => JSON.stringify(t.params)));
  for (const i of order) {
    const p = grid[i]!;
    if (!taken.has(JSON.stringify(p))) return p;
  }
  return null;
}

/** The next trial's parameters; null when the sampler has nothing left (a finished grid). */
export function suggest(kind: SamplerKind, ctx: SamplerContext): Params | null {
  const first = ctx.startWith?.[ctx.trialNumber];
  if (first) return { ...first };
  const random = trialRandom(ctx.seed, ctx.trialNumber);
  switch (kind) {
    case 'random':
      return sampleRandom(ctx.space, random);
    case 'grid':
      return sampleGrid(ctx);
    case 'bohb':
      return suggestBohb(ctx.space, budgetObservations(ctx), random);
    case 'tpe':
    case 'tpe-multivariate':
      return suggestTpe(ctx.space, ctx.history, ctx.direction, random, {
        ...ctx.tpe,
        multivariate: kind === 'tpe-multivariate',
      });
  }
}
