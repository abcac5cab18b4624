import { proxy } from 'comlink';
import type { ComputeApi } from '../../workers/compute.worker';
import { defaultPoolSize, WorkerPool } from '../../workers/pool';
import type { PrimeCount } from '../core/smoke';
import type { Progress } from './job.svelte';

export type ComputePool = WorkerPool<ComputeApi>;

/** The pool of compute workers: every core but one, at least one. */
export function createComputePool(
  size = defaultPoolSize(globalThis.navigator?.hardwareConcurrency),
): ComputePool {
  return new WorkerPool<ComputeApi>(
    () =>
      new Worker(new URL('../../workers/compute.worker.ts', import.meta.url), {
        type: 'module',
        name: 'orpheus-compute',
      }),
    size,
  );
}

/** The worker check: counts primes below `limit` in a worker, with progress and cancel. */
export function checkWorkers(
  pool: ComputePool,
  limit: number,
  signal: AbortSignal,
  progress: Progress,
): Promise<PrimeCount> {
  return pool.run((api) => api.countPrimes(limit, 50, proxy(progress)), { signal });
}
