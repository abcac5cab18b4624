import { proxy, type Remote } from 'comlink';
import type { ComputeApi } from '../../workers/computeApi';
import { defaultPoolSize, WorkerPool } from '../../workers/pool';
import type { PrimeCount } from '../core/smoke';
import type { DatasetContent } from '../core/data/content';
import { finalPieces, withFolds, type TrainResult, type TrainSpec } from '../core/train/model';
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

let runs = 0;

/**
 * Trains one configuration on the pool. On one worker it is one job. On more, each fold is a
 * job, and so is the final fit, which a family made of independent units (a forest's trees)
 * splits into one job per worker, joined by a last job that scores the hold-out. Each unit
 * depends only on the seed and its number, so the result is the same whatever the number of
 * workers.
 */
export async function trainOnPool(
  pool: ComputePool,
  content: DatasetContent,
  spec: TrainSpec,
  signal: AbortSignal,
  progress: Progress,
): Promise<TrainResult> {
  if (pool.size < 2)
    return pool.run((api) => api.train(content, spec, proxy(progress)), { signal });
  const key = `run-${++runs}-${Date.now()}`;
  const pieces = finalPieces(spec, pool.size);
  const total = spec.plan.folds + (pieces?.length ?? 0) + 1;
  let done = 0;
  const step = <T>(value: T): T => {
    progress(++done, total);
    return value;
  };
  // One failed job cancels the others: nothing of a failed run is kept.
  const fate = sharedFate(pool, signal);
  const job = <T>(work: (api: Remote<ComputeApi>) => Promise<T>): Promise<T> =>
    fate.job(work).then(step);
  try {
    const folds = Promise.all(
      Array.from({ length: spec.plan.folds }, (_, k) =>
        job((api) => api.trainFold(key, content, spec, k)),
      ),
    );
    const final = pieces
      ? Promise.all(pieces.map((p) => job((api) => api.trainPiece(key, content, spec, p)))).then(
          (parts) => job((api) => api.trainFinal(key, content, spec, parts)),
        )
      : job((api) => api.trainFinal(key, content, spec, null));
    const [perFold, fit] = await Promise.all([folds, final]);
    return withFolds(fit, perFold);
  } catch (e) {
    throw fate.cause(e);
  } finally {
    fate.end();
  }
}

/** Jobs that share a fate: the first to fail, or the caller's cancel, cancels the others. */
export function sharedFate(
  pool: ComputePool,
  signal: AbortSignal,
): {
  job<T>(work: (api: Remote<ComputeApi>) => Promise<T>): Promise<T>;
  /** What made the jobs fail: the first failure, not a cancel it caused. */
  cause(e: unknown): unknown;
  end(): void;
} {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  // A cancel that came before the jobs did still stops them.
  if (signal.aborted) stop.abort();
  else signal.addEventListener('abort', onAbort, { once: true });
  let failure: unknown = null;
  return {
    job: (work) =>
      pool.run(work, { signal: stop.signal }).catch((e: unknown) => {
        failure ??= e;
        stop.abort();
        throw e;
      }),
    cause: (e) => failure ?? e,
    end: () => signal.removeEventListener('abort', onAbort),
  };
}

/** Independent jobs across the pool, with progress; the first failure, or a cancel, stops the rest. */
export async function allOnPool<T>(
  pool: ComputePool,
  signal: AbortSignal,
  works: readonly ((api: Remote<ComputeApi>) => Promise<T>)[],
  progress: Progress,
): Promise<T[]> {
  const fate = sharedFate(pool, signal);
  let done = 0;
  progress(0, works.length);
  try {
    return await Promise.all(
      works.map((work) =>
        fate.job(work).then((value) => {
          progress(++done, works.length);
          return value;
        }),
      ),
    );
  } catch (e) {
    throw fate.cause(e);
  } finally {
    fate.end();
  }
}
