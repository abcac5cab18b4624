/**
 * The Wilcoxon signed-rank test of paired differences, as SciPy 1.10's `wilcoxon` with
 * `zero_method="zsplit"` (zero differences ranked, their ranks split between both sides):
 * the exact distribution of the positive rank sum for up to 50 differences without zeros, the
 * normal approximation with the tie correction otherwise (no continuity correction).
 */
import erf from '@stdlib/math-base-special-erf';

export type Alternative = 'less' | 'greater';

/** Average ranks (1-based) of the values, ties sharing the mean of their ranks. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = rank;
    start = end + 1;
  }
  return ranks;
}

/** The distribution of the positive rank sum of n differences: P(W⁺ = w), w = 0 … n(n+1)/2. */
export function signedRankPmf(n: number): Float64Array {
  const max = (n * (n + 1)) / 2;
  let counts = new Float64Array(max + 1);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) {
    const next = counts.slice();
    for (let w = k; w <= max; w++) next[w]! += counts[w - k]!;
    counts = next;
  }
  const total = 2 ** n;
  return counts.map((c) => c / total);
}

function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

/**
 * One-sided p-value that the differences are centred below zero (`less`) or above it
 * (`greater`), and the statistic (the positive rank sum).
 */
export function wilcoxon(
  differences: readonly number[],
  alternative: Alternative,
): { statistic: number; p: number } {
  const d = differences;
  const n = d.length;
  if (n === 0) return { statistic: NaN, p: NaN };
  const zeros = d.filter((x) => x === 0).length;
  const exact = n <= 50 && zeros === 0;
  const ranks = averageRanks(d.map(Math.abs));
  let rPlus = 0;
  let rZero = 0;
  d.forEach((x, i) => {
    if (x > 0) rPlus += ranks[i]!;
    else if (x === 0) rZero += ranks[i]!;
  });
  rPlus += rZero / 2;
  if (exact) {
    const pmf = signedRankPmf(n);
    const r = Math.trunc(rPlus);
    let p = 0;
    if (alternative === 'greater') for (let w = r; w < pmf.length; w++) p += pmf[w]!;
    else for (let w = 0; w <= r; w++) p += pmf[w]!;
    return { statistic: rPlus, p: Math.min(1, Math.max(0, p)) };
  }
  const mean = (n * (n + 1)) / 4;
  let se = n * (n + 1) * (2 * n + 1);
  const repeats = new Map<number, number>();
  for (const r of ranks) repeats.set(r, (repeats.get(r) ?? 0) + 1);
  for (const t of repeats.values()) if (t > 1) se -= 0.5 * t * (t * t - 1);
  se = Math.sqrt(se / 24);
  const z = (rPlus - mean) / se;
  return { statistic: rPlus, p: alternative === 'greater' ? 1 - normalCdf(z) : normalCdf(z) };
}

/**
 * Optuna's WilcoxonPruner rule: stop a trial when its scores on the folds done so far are
 * worse than the best trial's on the same folds with p below the threshold (at least two
 * folds), unless its mean is at least as good as the best's.
 */
export function foldPrune(
  scores: readonly number[],
  best: readonly number[],
  direction: 'maximize' | 'minimize',
  pThreshold: number,
  startupFolds = 2,
): boolean {
  const k = Math.min(scores.length, best.length);
  if (k < Math.max(2, startupFolds)) return false;
  const own = scores.slice(0, k);
  const theirs = best.slice(0, k);
  if (![...own, ...theirs].every(Number.isFinite)) return false;
  const diff = own.map((v, i) => v - theirs[i]!);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  // Optuna compares the current trial's folds with the best trial's mean over all its folds.
  const bestMean = mean([...best]);
  const averageIsBest = direction === 'maximize' ? bestMean <= mean(own) : bestMean >= mean(own);
  const { p } = wilcoxon(diff, direction === 'maximize' ? 'less' : 'greater');
  if (p < pThreshold && averageIsBest) return false;
  return p < pThreshold;
}
