/**
 * Uniform draws from a search space (Optuna's RandomSampler rules) and the seeded generator of
 * each trial. Used by the random sampler, by TPE for its start-up trials, and by the grid's order.
 */
import { randomInt, seededRandom, type Random } from '../random';
import {
  drawOrder,
  isActive,
  toExternal,
  type Distribution,
  type Params,
  type SearchSpace,
} from './space';

/** The generator for one trial of a study: the same trial number always draws the same. */
export function trialRandom(seed: number, trialNumber: number): Random {
  return seededRandom(
    (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(trialNumber + 1, 0xc2b2ae35)) >>> 0,
  );
}

function uniform(random: Random, low: number, high: number): number {
  return low + random() * (high - low);
}

/** One value drawn uniformly from a distribution (Optuna's RandomSampler rules). */
export function sampleUniform(d: Distribution, random: Random): Params[string] {
  switch (d.kind) {
    case 'categorical':
      return toExternal(d, randomInt(random, d.choices.length));
    case 'float':
      return d.log
        ? Math.exp(uniform(random, Math.log(d.low), Math.log(d.high)))
        : uniform(random, d.low, d.high);
    case 'int': {
      if (d.log) {
        const v = Math.round(
          Math.exp(uniform(random, Math.log(d.low - 0.5), Math.log(d.high + 0.5))),
        );
        return Math.min(d.high, Math.max(d.low, v));
      }
      const count = Math.floor((d.high - d.low) / d.step) + 1;
      return d.low + randomInt(random, count) * d.step;
    }
  }
}

/** Every setting a trial has, drawn uniformly: a conditional one only once its choice is made. */
export function sampleRandom(space: SearchSpace, random: Random): Params {
  const out: Params = {};
  for (const name of drawOrder(space)) {
    const d = space[name]!;
    if (isActive(d, out)) out[name] = sampleUniform(d, random);
  }
  return out;
}
