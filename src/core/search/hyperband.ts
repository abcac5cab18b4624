/**
 * Hyperband (Li et al., JMLR 2017) as Optuna 3.1's HyperbandPruner runs it. The study's rungs
 * (shares of each fold's training rows, growing by η) give n = (number of rungs) brackets;
 * bracket b is successive halving that starts at rung b (Optuna's `min_early_stopping_rate`),
 * so bracket 0 stops trials earliest and the last bracket trains every trial on all rows. Trial
 * k goes to a bracket by crc32("<study name>_<k>") modulo the sum of the brackets' budgets
 * ⌈n·η^s / (s + 1)⌉ with s = n − 1 − b, as Optuna assigns it; a trial is promoted against
 * the trials of its own bracket only, and the sampler learns from those trials only.
 */
import type { Halving } from '../records';

export interface Bracket {
  id: number;
  /** The shares of training rows its trials are scored on, the last one 1. */
  rungs: number[];
  /** Its share of the trials (Optuna's trial allocation budget). */
  budget: number;
}

/** The brackets of a Hyperband study; one bracket (plain successive halving) otherwise. */
export function bracketsOf(halving: Halving): Bracket[] {
  const { eta, rungs } = halving;
  if (!halving.hyperband) return [{ id: 0, rungs, budget: 1 }];
  const n = rungs.length;
  return rungs.map((_, b) => {
    const s = n - 1 - b;
    return { id: b, rungs: rungs.slice(b), budget: Math.ceil((n * eta ** s) / (s + 1)) };
  });
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE, as zlib and Python's binascii.crc32) of a string's UTF-8 bytes. */
export function crc32(text: string): number {
  let c = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The bracket of trial `number` of the study named `studyName`. */
export function bracketOf(studyName: string, number: number, brackets: Bracket[]): number {
  if (brackets.length === 1) return 0;
  const total = brackets.reduce((s, b) => s + b.budget, 0);
  let n = crc32(`${studyName}_${number}`) % total;
  for (const b of brackets) {
    n -= b.budget;
    if (n < 0) return b.id;
  }
  return brackets.length - 1;
}

/** The items (trials) of trial `number`'s bracket: all of them without Hyperband. */
export function sameBracket<T extends { number: number }>(
  halving: Halving,
  studyName: string,
  items: readonly T[],
  number: number,
): T[] {
  if (!halving.hyperband) return [...items];
  const brackets = bracketsOf(halving);
  const bracket = bracketOf(studyName, number, brackets);
  return items.filter((t) => bracketOf(studyName, t.number, brackets) === bracket);
}

/** The schedule one trial follows: its bracket's rungs. */
export function trialHalving(halving: Halving, bracket: number): Halving {
  return { eta: halving.eta, rungs: bracketsOf(halving)[bracket]!.rungs };
}

export interface RungCount {
  /** Share of the training rows. */
  share: number;
  /** Trials scored at this rung. */
  reached: number;
  /** Of those, the ones that went on to the next rung (or finished, at the last). */
  promoted: number;
}

/** Who reached and who passed each rung of each bracket: the rung view of a study. */
export function rungCounts(
  halving: Halving,
  studyName: string,
  trials: readonly { number: number; intermediate: number[]; state: string }[],
): { bracket: Bracket; trials: number; rungs: RungCount[] }[] {
  const brackets = bracketsOf(halving);
  return brackets.map((bracket) => {
    const own = trials.filter((t) => bracketOf(studyName, t.number, brackets) === bracket.id);
    const rungs = bracket.rungs.map((share, k): RungCount => {
      const reached = own.filter((t) => t.intermediate.length > k).length;
      const last = k === bracket.rungs.length - 1;
      const promoted = own.filter((t) =>
        last ? t.state === 'complete' && t.intermediate.length > k : t.intermediate.length > k + 1,
      ).length;
      return { share, reached, promoted };
    });
    return { bracket, trials: own.length, rungs };
  });
}
