import { proxy } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultPoolSize,
  JobCancelledError,
  WorkerCrashedError,
  WorkerPool,
} from '../../workers/pool';
import { FakeWorker } from './fakeWorker';
import { allOnPool, type ComputePool } from '../../src/app/workers';

type Api = {
  echo(x: number): number;
  hang(onStarted: () => void): Promise<never>;
  report(n: number, onProgress: (i: number) => void): Promise<number>;
};

function testApi(): Api {
  return {
    echo: (x: number) => x * 2,
    hang: (onStarted: () => void) => {
      void onStarted();
      return new Promise<never>(() => {});
    },
    report: async (n: number, onProgress: (i: number) => void) => {
      for (let i = 1; i <= n; i++) await onProgress(i);
      return n;
    },
  };
}

const pools: WorkerPool<Api>[] = [];
function makePool(size: number): WorkerPool<Api> {
  const pool = new WorkerPool<Api>(() => new FakeWorker(testApi()) as unknown as Worker, size, 50);
  pools.push(pool);
  return pool;
}
afterEach(() => {
  for (const p of pools.splice(0)) p.terminate();
  FakeWorker.made = [];
});

/** Resolves when `started` is called from inside the worker. */
function startedSignal(): { started: () => void; whenStarted: Promise<void> } {
  let started!: () => void;
  const whenStarted = new Promise<void>((r) => (started = r));
  return { started, whenStarted };
}

describe('defaultPoolSize', () => {
  it('leaves one core for the page and never goes below one worker', () => {
    expect(defaultPoolSize(8)).toBe(7);
    expect(defaultPoolSize(2)).toBe(1);
    expect(defaultPoolSize(1)).toBe(1);
    expect(defaultPoolSize(undefined)).toBe(1);
  });
});

describe('WorkerPool', () => {
  it('runs jobs and reports progress through a proxy callback', async () => {
    const pool = makePool(1);
    const seen: number[] = [];
    const n = await pool.run((api) =>
      api.report(
        3,
        proxy((i: number) => void seen.push(i)),
      ),
    );
    expect(n).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('never starts more workers than its size, and reuses idle ones', async () => {
    const pool = makePool(2);
    const results = await Promise.all([1, 2, 3, 4, 5].map((x) => pool.run((api) => api.echo(x))));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(FakeWorker.made.length).toBe(2);
  });

  it('cancels a running job by terminating its worker, and replaces the worker', async () => {
    const pool = makePool(1);
    const controller = new AbortController();
    const { started, whenStarted } = startedSignal();
    const job = pool.run((api) => api.hang(proxy(started)), { signal: controller.signal });
    await whenStarted;
    expect(pool.running).toBe(1);
    controller.abort();
    await expect(job).rejects.toBeInstanceOf(JobCancelledError);
    expect(FakeWorker.made[0]?.terminated).toBe(true);
    expect(pool.running).toBe(0);
    // The next job gets a fresh worker.
    expect(await pool.run((api) => api.echo(21))).toBe(42);
    expect(FakeWorker.made.length).toBe(2);
  });

  it('drops a queued job when it is cancelled, without touching the running one', async () => {
    const pool = makePool(1);
    const { started, whenStarted } = startedSignal();
    const blocker = new AbortController();
    const first = pool.run((api) => api.hang(proxy(started)), { signal: blocker.signal });
    await whenStarted;
    const controller = new AbortController();
    const queued = pool.run((api) => api.echo(1), { signal: controller.signal });
    expect(pool.queued).toBe(1);
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(JobCancelledError);
    expect(pool.queued).toBe(0);
    expect(FakeWorker.made[0]?.terminated).toBe(false);
    blocker.abort();
    await expect(first).rejects.toBeInstanceOf(JobCancelledError);
  });

  it('refuses a job whose signal is already aborted', async () => {
    const pool = makePool(1);
    await expect(
      pool.run((api) => api.echo(1), { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(JobCancelledError);
    expect(FakeWorker.made.length).toBe(0);
  });

  it('fails the running job when its worker crashes, and recovers', async () => {
    const pool = makePool(1);
    const { started, whenStarted } = startedSignal();
    const job = pool.run((api) => api.hang(proxy(started)));
    await whenStarted;
    FakeWorker.made[0]?.crash();
    await expect(job).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(await pool.run((api) => api.echo(2))).toBe(4);
  });

  it('ends idle workers after its idle time', async () => {
    const pool = makePool(1);
    await pool.run((api) => api.echo(1));
    expect(FakeWorker.made[0]?.terminated).toBe(false);
    await new Promise((r) => setTimeout(r, 120));
    expect(FakeWorker.made[0]?.terminated).toBe(true);
  });
});

describe('allOnPool', () => {
  type Work = Parameters<typeof allOnPool<number>>[2][number];
  const as = (f: (api: Api) => Promise<number>): Work => f as unknown as Work;

  it('runs every job across the pool and counts each as it ends', async () => {
    const pool = makePool(2) as unknown as ComputePool;
    const seen: [number, number][] = [];
    const out = await allOnPool(
      pool,
      new AbortController().signal,
      [1, 2, 3, 4].map((x) => as((api) => api.echo(x) as unknown as Promise<number>)),
      (done, total) => seen.push([done, total]),
    );
    expect(out).toEqual([2, 4, 6, 8]);
    expect(seen[0]).toEqual([0, 4]);
    expect(seen.at(-1)).toEqual([4, 4]);
  });

  it('a failed job stops the others, and the failure is what it says', async () => {
    const pool = makePool(2) as unknown as ComputePool;
    const { started, whenStarted } = startedSignal();
    const running = allOnPool(
      pool,
      new AbortController().signal,
      [
        as((api) => api.hang(proxy(started))),
        as(async () => {
          await whenStarted;
          throw new Error('no such column');
        }),
      ],
      () => {},
    );
    await expect(running).rejects.toThrow('no such column');
    // The hanging job's worker was ended.
    expect(FakeWorker.made.some((w) => w.terminated)).toBe(true);
  });

  it('a cancel that came before the jobs stops them all', async () => {
    const pool = makePool(1) as unknown as ComputePool;
    const cancel = new AbortController();
    cancel.abort();
    const running = allOnPool(
      pool,
      cancel.signal,
      [as((api) => api.hang(proxy(() => {})))],
      () => {},
    );
    await expect(running).rejects.toBeInstanceOf(JobCancelledError);
  });
});
