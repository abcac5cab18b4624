/**
 * BOHB (Falkner, Klein and Hutter, ICML 2018) as HpBandSter's config generator proposes: on
 * Hyperband's schedule, a third of the new configurations are drawn at random; the others
 * come from two kernel density estimates fitted on the largest budget (share of the training
 * rows) that has enough observations: the best 15 % of that budget's configurations (l) and
 * the rest (g). 64 candidates are drawn around good configurations with the bandwidths
 * widened threefold, and the one with the smallest g(x) / l(x) is proposed.
 *
 * As HpBandSter: configurations live in the unit cube (ranges scaled to [0, 1], log ranges in
 * logs, whole numbers over [low − ½, high + ½], categories as their index); a model needs
 * d + 1 observations on its budget and more than d in each of l and g; the bandwidths are the
 * normal reference rule 1.06 σ n^(−1/(4 + d)) of statsmodels' KDEMultivariate, at least 10⁻³;
 * numbers have Gaussian kernels, categories Aitchison–Aitken kernels; a setting that does
 * not exist in a configuration (another family's) takes the value of a configuration where
 * it does. A failed trial counts as the worst at its first budget.
 */
import { randomInt, type Random } from '../random';
import { sampleRandom } from './draw';
import { activeNames, type Distribution, type Params, type SearchSpace } from './space';

export interface BohbOptions {
  topNPercent: number;
  samples: number;
  randomFraction: number;
  bandwidthFactor: number;
  minBandwidth: number;
}

export const BOHB_DEFAULTS: BohbOptions = {
  topNPercent: 15,
  samples: 64,
  randomFraction: 1 / 3,
  bandwidthFactor: 3,
  minBandwidth: 1e-3,
};

/** One result: a configuration's loss (lower is better) on a budget. */
export interface BudgetObservation {
  params: Params;
  budget: number;
  loss: number;
}

/** A value in the unit cube (a category's index as it is). */
export function toUnit(d: Distribution, v: Params[string]): number {
  if (d.kind === 'categorical') return d.choices.indexOf(v);
  const x = v as number;
  if (d.kind === 'float')
    return d.log
      ? (Math.log(x) - Math.log(d.low)) / (Math.log(d.high) - Math.log(d.low))
      : (x - d.low) / (d.high - d.low || 1);
  const lo = d.log ? Math.log(d.low - 0.5) : d.low - 0.5 * d.step;
  const hi = d.log ? Math.log(d.high + 0.5) : d.high + 0.5 * d.step;
  return ((d.log ? Math.log(x) : x) - lo) / (hi - lo);
}

export function fromUnit(d: Distribution, u: number): Params[string] {
  if (d.kind === 'categorical') return d.choices[Math.min(d.choices.length - 1, Math.round(u))]!;
  const t = Math.min(1, Math.max(0, u));
  if (d.kind === 'float')
    return d.log
      ? Math.exp(Math.log(d.low) + t * (Math.log(d.high) - Math.log(d.low)))
      : d.low + t * (d.high - d.low);
  if (d.log) {
    const lo = Math.log(d.low - 0.5);
    const hi = Math.log(d.high + 0.5);
    return Math.min(d.high, Math.max(d.low, Math.round(Math.exp(lo + t * (hi - lo)))));
  }
  const lo = d.low - 0.5 * d.step;
  const hi = d.high + 0.5 * d.step;
  const v = d.low + Math.round((lo + t * (hi - lo) - d.low) / d.step) * d.step;
  return Math.min(d.high, Math.max(d.low, v));
}

/** statsmodels' normal reference bandwidths: 1.06 σ n^(−1/(4 + d)), σ with ddof 0. */
export function normalReference(data: number[][]): number[] {
  const n = data.length;
  const d = data[0]?.length ?? 0;
  return Array.from({ length: d }, (_, j) => {
    const mean = data.reduce((s, row) => s + row[j]!, 0) / n;
    const variance = data.reduce((s, row) => s + (row[j]! - mean) ** 2, 0) / n;
    return 1.06 * Math.sqrt(variance) * n ** (-1 / (4 + d));
  });
}

export interface Kde {
  data: number[][];
  bw: number[];
  /** Number of categories per dimension; 0 for a number. */
  levels: number[];
}

/** The product-kernel density at x (Gaussian for numbers, Aitchison–Aitken for categories). */
export function kdePdf(kde: Kde, x: number[]): number {
  let sum = 0;
  for (const row of kde.data) {
    let p = 1;
    for (let j = 0; j < x.length; j++) {
      const h = kde.bw[j]!;
      const c = kde.levels[j]!;
      if (c === 0) {
        const z = (x[j]! - row[j]!) / h;
        p *= Math.exp(-0.5 * z * z) / (Math.sqrt(2 * Math.PI) * h);
      } else p *= x[j] === row[j] ? 1 - h : h / (c - 1);
    }
    sum += p;
  }
  return sum / kde.data.length;
}

function normal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A draw from N(m, bw²) truncated to [0, 1]. */
function truncatedUnit(random: Random, m: number, bw: number): number {
  for (let i = 0; i < 1000; i++) {
    const x = m + bw * normal(random);
    if (x >= 0 && x <= 1) return x;
  }
  return Math.min(1, Math.max(0, m));
}

/** Rows with a setting that does not exist take it from a random row where it does. */
function imputeConditional(rows: number[][], levels: number[], random: Random): number[][] {
  return rows.map((row) => {
    const out = row.slice();
    for (let j = 0; j < out.length; j++) {
      if (!Number.isNaN(out[j]!)) continue;
      const donors = rows.filter((r) => !Number.isNaN(r[j]!));
      if (donors.length > 0) {
        const donor = donors[randomInt(random, donors.length)]!;
        // As HpBandSter: the donor fills every setting this row lacks and it has.
        for (let k = j; k < out.length; k++)
          if (Number.isNaN(out[k]!) && !Number.isNaN(donor[k]!)) out[k] = donor[k]!;
      } else out[j] = levels[j]! > 0 ? randomInt(random, levels[j]!) : random();
    }
    return out;
  });
}

interface Model {
  budget: number;
  good: Kde;
  bad: Kde;
}

/** The density models on the largest budget with enough observations, or null. */
export function bohbModel(
  space: SearchSpace,
  observations: readonly BudgetObservation[],
  random: Random,
  options: Partial<BohbOptions> = {},
): Model | null {
  const o = { ...BOHB_DEFAULTS, ...options };
  const names = Object.keys(space);
  const d = names.length;
  const minPoints = d + 1;
  const levels = names.map((n) => {
    const dist = space[n]!;
    return dist.kind === 'categorical' ? dist.choices.length : 0;
  });
  const budgets = [...new Set(observations.map((x) => x.budget))].sort((a, b) => b - a);
  for (const budget of budgets) {
    const here = observations.filter((x) => x.budget === budget);
    if (here.length < minPoints) continue;
    const order = here
      .map((x, i) => ({ x, i }))
      .sort((a, b) => a.x.loss - b.x.loss || a.i - b.i)
      .map((e) => e.x);
    const nGood = Math.max(minPoints, Math.floor((o.topNPercent * here.length) / 100));
    const nBad = Math.max(minPoints, Math.floor(((100 - o.topNPercent) * here.length) / 100));
    const vector = (p: Params) =>
      names.map((n) => (n in p ? toUnit(space[n]!, p[n]!) : Number.NaN));
    const goodRows = order.slice(0, nGood).map((x) => vector(x.params));
    const badRows = order.slice(nGood, nGood + nBad).map((x) => vector(x.params));
    if (goodRows.length <= d || badRows.length <= d) continue;
    const kde = (rows: number[][]): Kde => {
      const data = imputeConditional(rows, levels, random);
      return { data, bw: normalReference(data).map((b) => Math.max(b, o.minBandwidth)), levels };
    };
    return { budget, good: kde(goodRows), bad: kde(badRows) };
  }
  return null;
}

/** BOHB's next configuration. */
export function suggestBohb(
  space: SearchSpace,
  observations: readonly BudgetObservation[],
  random: Random,
  options: Partial<BohbOptions> = {},
): Params {
  const o = { ...BOHB_DEFAULTS, ...options };
  const model = bohbModel(space, observations, random, o);
  if (!model || random() < o.randomFraction) return sampleRandom(space, random);
  const names = Object.keys(space);
  const { good, bad } = model;
  let best = Infinity;
  let bestVector: number[] | null = null;
  for (let i = 0; i < o.samples; i++) {
    const datum = good.data[randomInt(random, good.data.length)]!;
    const vector = datum.map((m, j) => {
      const bw = Math.max(good.bw[j]!, o.minBandwidth);
      const c = good.levels[j]!;
      if (c === 0) return truncatedUnit(random, m, o.bandwidthFactor * bw);
      return random() < 1 - bw ? m : randomInt(random, c);
    });
    const value = Math.max(1e-32, kdePdf(bad, vector)) / Math.max(kdePdf(good, vector), 1e-32);
    if (value < best) {
      best = value;
      bestVector = vector;
    }
  }
  if (!bestVector) return sampleRandom(space, random);
  const all: Params = {};
  names.forEach((n, j) => (all[n] = fromUnit(space[n]!, bestVector[j]!)));
  // Only the settings that exist in this configuration (its family's).
  return Object.fromEntries(activeNames(space, all).map((n) => [n, all[n]!]));
}
