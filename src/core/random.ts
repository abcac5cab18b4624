/**
 * Seeded randomness. Every random choice Orpheus makes (hold-out split, folds, feature
 * subsets) draws from one of these, seeded from the seed recorded with the result, so a run
 * can be repeated bit for bit.
 */

/** A seeded generator of floats in [0, 1) (mulberry32: 32-bit state, fast, good enough for sampling). */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** Shuffles in place (Fisher–Yates) and returns the same array. */
export function shuffle<T extends { length: number; [i: number]: unknown }>(
  items: T,
  random: Random,
): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}

/** A fresh seed for a person who did not choose one. */
export function newSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
