import { describe, expect, it } from 'vitest';
import { checkUserName, MAX_NAME_LENGTH } from '../../src/core/people';
import { countPrimes } from '../../src/core/smoke';

describe('countPrimes', () => {
  it('counts the primes below the limit and reports each chunk', () => {
    const seen: Array<[number, number]> = [];
    const r = countPrimes(100, 4, (d, t) => seen.push([d, t]));
    expect(r).toEqual({ limit: 100, primes: 25, largest: 97 });
    expect(seen).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
  });

  it('gives the same count however the range is chunked', () => {
    expect(countPrimes(10_007, 7).primes).toBe(countPrimes(10_007, 1).primes);
    expect(countPrimes(10_000, 3).primes).toBe(1229);
  });

  it('rejects nonsense sizes', () => {
    expect(() => countPrimes(-1, 1)).toThrow(RangeError);
    expect(() => countPrimes(10, 0)).toThrow(RangeError);
  });
});

describe('checkUserName', () => {
  it('trims and folds white space', () => {
    expect(checkUserName('  Ada   Lovelace ')).toEqual({ ok: true, name: 'Ada Lovelace' });
  });
  it('refuses empty, over-long and control-character names with a message', () => {
    expect(checkUserName('   ')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/Type a name/),
    });
    expect(checkUserName('x'.repeat(MAX_NAME_LENGTH + 1))).toMatchObject({ ok: false });
    expect(checkUserName('x'.repeat(MAX_NAME_LENGTH))).toMatchObject({ ok: true });
    expect(checkUserName('Ada\u0007')).toMatchObject({ ok: false });
  });
  it('keeps markup as plain text: it is data, shown escaped by the UI', () => {
    expect(checkUserName('<b>Amy</b>')).toEqual({ ok: true, name: '<b>Amy</b>' });
  });
});
