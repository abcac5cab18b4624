/**
 * The worker check: a deliberately synchronous, CPU-bound job (counting primes by trial
 * division) that proves the worker wiring end to end. It reports progress after every chunk
 * and cannot be interrupted from inside, so cancelling it shows that the pool really stops a
 * busy worker.
 */
import type { Progress } from './vocabulary';

export interface PrimeCount {
  limit: number;
  primes: number;
  largest: number;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

/**
 * Counts the primes below `limit`, calling `onProgress(done, total)` after each of `chunks`
 * equal slices of the range.
 */
export function countPrimes(
  limit: number,
  chunks: number,
  onProgress: Progress = () => {},
): PrimeCount {
  if (!Number.isSafeInteger(limit) || limit < 0)
    throw new RangeError('limit must be a whole number ≥ 0');
  if (!Number.isSafeInteger(chunks) || chunks < 1) throw new RangeError('chunks must be ≥ 1');
  let primes = 0;
  let largest = 0;
  for (let c = 0; c < chunks; c++) {
    const from = Math.floor((limit * c) / chunks);
    const to = Math.floor((limit * (c + 1)) / chunks);
    for (let n = from; n < to; n++) {
      if (isPrime(n)) {
        primes++;
        largest = n;
      }
    }
    onProgress(c + 1, chunks);
  }
  return { limit, primes, largest };
}
