/**
 * The Tree-structured Parzen Estimator, following Optuna 3.1's TPESampler and its defaults:
 * 10 random startup trials; the best γ(n) = min(⌈0.1 n⌉, 25) trials make l(x), the rest g(x);
 * observation weights ramp up for older trials beyond 25; a prior component of weight 1;
 * univariate bandwidths from the gaps between sorted observations ("magic clip" at
 * range / min(100, 1 + n)), or Scott's rule 0.2 · n^(−1/(d+4)) when multivariate; 24
 * candidates drawn from l, the one with the largest log l(x) − log g(x) wins. Running trials
 * count as the worst ("constant liar"), so parallel workers spread out. Pruned trials rank
 * by their last intermediate value after every complete trial, as in Optuna.
 *
 * The truncated-normal log density is Optuna 3.1's, which leaves out the −log σ term of the
 * textbook density: measured on Branin and Hartmann-6, adding it made the search worse (it
 * favours narrow components too early).
 *
 * One addition: in a discrete space a suggestion can repeat a configuration already tried
 * (the settings are drawn one by one); Orpheus draws again, up to five times, rather than
 * spend a trial on a result it already has.
 */
import erf from '@stdlib/math-base-special-erf';
import erfc from '@stdlib/math-base-special-erfc';
import type { Random } from '../random';
import type { Direction } from '../vocabulary';
import { sampleRandom, sampleUniform } from './draw';
import type { Observation } from './history';
import {
  activeNames,
  drawOrder,
  isActive,
  toExternal,
  toInternal,
  type Distribution,
  type Params,
  type SearchSpace,
} from './space';

export interface TpeOptions {
  startupTrials: number;
  candidates: number;
  priorWeight: number;
  multivariate: boolean;
  /** Treat running trials as the worst observations. */
  constantLiar: boolean;
}

export const TPE_DEFAULTS: TpeOptions = {
  startupTrials: 10,
  candidates: 24,
  priorWeight: 1,
  multivariate: false,
  constantLiar: true,
};

export function gamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Optuna's default_weights: flat for the newest 25, a linear ramp for older ones. */
export function observationWeights(n: number): number[] {
  if (n === 0) return [];
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = Array.from({ length: n - 25 }, (_, i) =>
    n - 25 === 1 ? 1 / n : 1 / n + (i * (1 - 1 / n)) / (n - 26),
  );
  return [...ramp, ...new Array<number>(25).fill(1)];
}

// ---- the normal distribution, in logs where tails matter

function ndtr(a: number): number {
  const x = a / Math.SQRT2;
  if (x < -Math.SQRT1_2) return 0.5 * erfc(-x);
  if (x < Math.SQRT1_2) return 0.5 + 0.5 * erf(x);
  return 1 - 0.5 * erfc(x);
}

function logNdtr(a: number): number {
  if (a > 6) return -ndtr(-a);
  if (a > -20) return Math.log(ndtr(a));
  // Asymptotic series for the far left tail.
  const logLhs = -0.5 * a * a - Math.log(-a) - 0.5 * Math.log(2 * Math.PI);
  let last = 0;
  let rhs = 1;
  let numerator = 1;
  let denom = 1;
  const step = 1 / (a * a);
  let sign = 1;
  for (let i = 1; Math.abs(last - rhs) > Number.EPSILON && i < 100; i++) {
    last = rhs;
    sign = -sign;
    denom *= step;
    numerator *= 2 * i - 1;
    rhs += sign * numerator * denom;
  }
  return logLhs + Math.log(rhs);
}

/** log P(a ≤ Z ≤ b) for a standard normal Z. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) {
    const lb = logNdtr(b);
    return lb + Math.log1p(-Math.exp(logNdtr(a) - lb));
  }
  if (a > 0) return logGaussMass(-b, -a);
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

function normal(random: Random): number {
  // Box–Muller; 1 − u keeps the logarithm finite.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A draw from N(mu, sigma²) truncated to [low, high] (rejection, then the nearest end). */
function truncatedNormal(
  random: Random,
  mu: number,
  sigma: number,
  low: number,
  high: number,
): number {
  for (let i = 0; i < 1000; i++) {
    const x = mu + sigma * normal(random);
    if (x >= low && x <= high) return x;
  }
  return Math.min(high, Math.max(low, mu));
}

// ---- Parzen estimators

interface NumericParam {
  kind: 'numeric';
  dist: Distribution & { kind: 'float' | 'int' };
  low: number;
  high: number;
  /** Step of the discrete grid in the transformed space, or null. */
  q: number | null;
  mus: Float64Array;
  sigmas: Float64Array;
}

interface CategoricalParam {
  kind: 'categorical';
  dist: Distribution & { kind: 'categorical' };
  /** components × choices, each row summing to 1. */
  weights: Float64Array[];
}

type ParamEstimator = NumericParam | CategoricalParam;

interface Estimator {
  names: string[];
  weights: Float64Array;
  params: ParamEstimator[];
}

function bounds(d: Distribution & { kind: 'float' | 'int' }): {
  low: number;
  high: number;
  q: number | null;
} {
  if (d.kind === 'float')
    return d.log
      ? { low: Math.log(d.low), high: Math.log(d.high), q: null }
      : { low: d.low, high: d.high, q: null };
  if (d.log) return { low: Math.log(d.low - 0.5), high: Math.log(d.high + 0.5), q: null };
  return { low: d.low - 0.5 * d.step, high: d.high + 0.5 * d.step, q: d.step };
}

/** To the space the estimator works in: logs for log scales, indices for categories. */
function toUniform(d: Distribution, v: number): number {
  return d.kind !== 'categorical' && d.log ? Math.log(v) : v;
}

function fromUniform(d: Distribution, x: number): number {
  if (d.kind === 'categorical') return x;
  if (d.kind === 'float') return d.log ? Math.exp(x) : x;
  const v = d.log ? Math.round(Math.exp(x)) : Math.round((x - d.low) / d.step) * d.step + d.low;
  return Math.min(d.high, Math.max(d.low, v));
}

function buildEstimator(
  space: SearchSpace,
  names: string[],
  observations: number[][],
  options: TpeOptions,
): Estimator {
  const n = observations[0]?.length ?? 0;
  const w = observationWeights(n);
  const weights = Float64Array.from([...w, options.priorWeight]);
  const total = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) weights[i]! /= total;

  const sigma0 = options.multivariate ? 0.2 * Math.max(n, 1) ** (-1 / (names.length + 4)) : 0;
  const params = names.map((name, p): ParamEstimator => {
    const d = space[name]!;
    const obs = observations[p]!;
    if (d.kind === 'categorical') {
      const k = d.choices.length;
      const value = options.priorWeight / (n + 1);
      const rows = Array.from({ length: n + 1 }, (_, i) => {
        const row = new Float64Array(k).fill(value);
        if (i < n) row[obs[i]!]! += 1;
        const s = row.reduce((a, b) => a + b, 0);
        for (let c = 0; c < k; c++) row[c]! /= s;
        return row;
      });
      return { kind: 'categorical', dist: d, weights: rows };
    }
    const { low, high, q } = bounds(d);
    const mus = new Float64Array(n + 1);
    obs.forEach((v, i) => (mus[i] = toUniform(d, v)));
    mus[n] = 0.5 * (low + high);
    const sigmas = new Float64Array(n + 1);
    if (options.multivariate) {
      sigmas.fill(sigma0 * (high - low));
    } else {
      const order = Array.from(mus.keys()).sort((a, b) => mus[a]! - mus[b]!);
      const sorted = [low, ...order.map((i) => mus[i]!), high];
      const s = order.map((_, j) =>
        Math.max(sorted[j + 1]! - sorted[j]!, sorted[j + 2]! - sorted[j + 1]!),
      );
      if (sorted.length >= 4) {
        s[0] = sorted[2]! - sorted[1]!;
        s[s.length - 1] = sorted[sorted.length - 2]! - sorted[sorted.length - 3]!;
      }
      order.forEach((i, j) => (sigmas[i] = s[j]!));
    }
    const maxSigma = high - low;
    const minSigma = (high - low) / Math.min(100, 1 + mus.length);
    for (let i = 0; i < sigmas.length; i++)
      sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sigmas[i]!));
    sigmas[n] = high - low;
    return { kind: 'numeric', dist: d, low, high, q, mus, sigmas };
  });
  return { names, weights, params };
}

function pickComponent(weights: Float64Array, random: Random): number {
  const u = random();
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!;
    if (u < acc) return i;
  }
  return weights.length - 1;
}

/** `size` draws from the mixture, as external-scale numbers per parameter (indices for categories). */
function sampleEstimator(est: Estimator, random: Random, size: number): number[][] {
  const active = Array.from({ length: size }, () => pickComponent(est.weights, random));
  return est.params.map((p) =>
    active.map((c) => {
      if (p.kind === 'categorical') return pickComponent(p.weights[c]!, random);
      const x = truncatedNormal(random, p.mus[c]!, p.sigmas[c]!, p.low, p.high);
      return fromUniform(p.dist, x);
    }),
  );
}

function logPdf(est: Estimator, samples: number[][]): Float64Array {
  const size = samples[0]?.length ?? 0;
  const k = est.weights.length;
  const out = new Float64Array(size);
  const comp = new Float64Array(k);
  const logWeights = est.weights.map(Math.log);
  // Each component's truncation mass depends on the component only, not on the sample.
  const accept = est.params.map((p) =>
    p.kind === 'categorical'
      ? null
      : Float64Array.from(p.mus, (mu, c) =>
          logGaussMass((p.low - mu) / p.sigmas[c]!, (p.high - mu) / p.sigmas[c]!),
        ),
  );
  // Candidates often repeat a value (integers, categories): each value's per-component terms
  // are computed once.
  const cache = est.params.map(() => new Map<number, Float64Array>());
  const terms = (j: number, v: number): Float64Array => {
    const hit = cache[j]!.get(v);
    if (hit) return hit;
    const p = est.params[j]!;
    const t = new Float64Array(k);
    if (p.kind === 'categorical') {
      for (let c = 0; c < k; c++) t[c] = Math.log(p.weights[c]![v]!);
    } else {
      const acc = accept[j]!;
      const x = toUniform(p.dist, v);
      for (let c = 0; c < k; c++) {
        const mu = p.mus[c]!;
        const sigma = p.sigmas[c]!;
        if (p.q === null) {
          const z = (x - mu) / sigma;
          t[c] = -0.5 * z * z - LOG_SQRT_2PI - acc[c]!;
        } else {
          const lo = Math.max(x - p.q / 2, p.low);
          const hi = Math.min(x + p.q / 2, p.high);
          t[c] = logGaussMass((lo - mu) / sigma, (hi - mu) / sigma) - acc[c]!;
        }
      }
    }
    cache[j]!.set(v, t);
    return t;
  };
  for (let s = 0; s < size; s++) {
    comp.set(logWeights);
    for (let j = 0; j < est.params.length; j++) {
      const t = terms(j, samples[j]![s]!);
      for (let c = 0; c < k; c++) comp[c]! += t[c]!;
    }
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, comp[c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(comp[c]! - max);
    out[s] = max + Math.log(sum);
  }
  return out;
}

/** Splits trials into the good (below) and the rest (above), both in trial order. */
function split(history: Observation[], direction: Direction, constantLiar: boolean) {
  const sign = direction === 'minimize' ? 1 : -1;
  const used: { obs: Observation; step: number; score: number }[] = [];
  for (const t of history) {
    if (t.state === 'complete' && t.value !== null && Number.isFinite(t.value)) {
      used.push({ obs: t, step: -Infinity, score: sign * t.value });
    } else if (t.state === 'pruned') {
      const last = t.intermediate.length - 1;
      if (last >= 0) {
        const v = t.intermediate[last]!;
        used.push({ obs: t, step: -last, score: Number.isNaN(v) ? Infinity : sign * v });
      } else used.push({ obs: t, step: 1, score: 0 });
    } else if (t.state === 'running' && constantLiar) {
      used.push({ obs: t, step: Infinity, score: Infinity });
    }
  }
  const n = used.filter((u) => u.step < Infinity).length;
  const ranked = used
    .map((u, i) => ({ ...u, i }))
    .sort((a, b) => a.step - b.step || a.score - b.score || a.i - b.i);
  const nBelow = gamma(n);
  const below = ranked
    .slice(0, nBelow)
    .sort((a, b) => a.i - b.i)
    .map((u) => u.obs);
  const above = ranked
    .slice(nBelow)
    .sort((a, b) => a.i - b.i)
    .map((u) => u.obs);
  return { n, below, above };
}

function best(
  space: SearchSpace,
  names: string[],
  below: Observation[],
  above: Observation[],
  options: TpeOptions,
  random: Random,
): Params {
  const values = (group: Observation[]): number[][] =>
    names.map((name) => group.map((t) => toInternal(space[name]!, t.params[name]!)));
  const l = buildEstimator(space, names, values(below), options);
  const g = buildEstimator(space, names, values(above), options);
  const samples = sampleEstimator(l, random, options.candidates);
  const ll = logPdf(l, samples);
  const lg = logPdf(g, samples);
  let bestI = 0;
  for (let i = 1; i < ll.length; i++) if (ll[i]! - lg[i]! > ll[bestI]! - lg[bestI]!) bestI = i;
  const out: Params = {};
  names.forEach((name, j) => (out[name] = toExternal(space[name]!, samples[j]![bestI]!)));
  return out;
}

/**
 * The next trial's values. Independent (Optuna's default), each setting has its own densities,
 * built from the trials that have it: the good and the rest are split over every trial, then
 * the ones without the setting are left out (a cross-family study's forest depth learns only
 * from forest trials, while the family choice learns from all). Multivariate, the settings that
 * exist together are drawn together from the trials that have them all (Optuna's `group`).
 */
export function suggestTpe(
  space: SearchSpace,
  history: Observation[],
  direction: Direction,
  random: Random,
  options: Partial<TpeOptions> = {},
): Params {
  const o = { ...TPE_DEFAULTS, ...options };
  const has = (names: string[]) => (t: Observation) => names.every((n) => n in t.params);
  const top = drawOrder(space).filter((n) => !space[n]!.when);
  const first = split(
    o.multivariate ? history.filter(has(top)) : history,
    direction,
    o.constantLiar,
  );
  if (first.n < o.startupTrials) return sampleRandom(space, random);
  const seen = new Set(history.map((t) => key(space, t.params)));
  let out: Params = {};
  for (let attempt = 0; attempt < 6; attempt++) {
    out = {};
    if (o.multivariate) {
      Object.assign(out, best(space, top, first.below, first.above, o, random));
      const group = activeNames(space, out).filter((n) => space[n]!.when);
      if (group.length > 0) {
        const g = split(history.filter(has(group)), direction, o.constantLiar);
        if (g.n < o.startupTrials) for (const n of group) out[n] = sampleUniform(space[n]!, random);
        else Object.assign(out, best(space, group, g.below, g.above, o, random));
      }
    } else {
      for (const name of drawOrder(space)) {
        if (!isActive(space[name]!, out)) continue;
        const below = first.below.filter(has([name]));
        const above = first.above.filter(has([name]));
        Object.assign(out, best(space, [name], below, above, o, random));
      }
    }
    if (!seen.has(key(space, out))) break;
  }
  return out;
}

function key(space: SearchSpace, params: Params): string {
  return JSON.stringify(activeNames(space, params).map((n) => params[n]));
}
