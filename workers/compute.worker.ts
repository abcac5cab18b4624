/**
 * The compute worker: a thin Comlink endpoint over the pure core. The page imports only the
 * type of `api`, so the boundary is derived from this implementation, never written twice.
 */
import { expose } from 'comlink';
import { countPrimes, type PrimeCount } from '../src/core/smoke';

export type ProgressCallback = (done: number, total: number) => void;

const api = {
  /** The worker check: count primes below `limit`, reporting progress `chunks` times. */
  countPrimes(limit: number, chunks: number, onProgress: ProgressCallback): PrimeCount {
    return countPrimes(limit, chunks, (done, total) => {
      void onProgress(done, total);
    });
  },
};

export type ComputeApi = typeof api;

expose(api);
