import { describe, expect, it } from 'vitest';
import { Job } from '../../src/app/job.svelte';
import { screenFromHash, SCREENS } from '../../src/app/router.svelte';
import type { ModelLibrary } from '../../src/app/modelLibrary.svelte';
import type { StudyRun } from '../../src/app/studyRun.svelte';
import { TrainFlow } from '../../src/app/trainFlow.svelte';
import type { ComputePool } from '../../src/app/workers';
import type { DatasetVersionRecord } from '../../src/core/records';
import type { Store } from '../../src/store/db';

describe('screenFromHash', () => {
  it('reads the screen from the hash, with or without a query', () => {
    expect(screenFromHash('#/settings')).toBe('settings');
    expect(screenFromHash('#/compare?a=1&b=2')).toBe('compare');
    expect(screenFromHash('#models')).toBe('models');
  });
  it('falls back to the Data screen for anything unknown', () => {
    expect(screenFromHash('')).toBe('data');
    expect(screenFromHash('#/nope')).toBe('data');
    expect(screenFromHash('#/__proto__')).toBe('data');
  });
  it('lists every screen the product has', () => {
    expect(SCREENS).toHaveLength(12);
  });
});

describe('Job', () => {
  it('records progress and the result', async () => {
    const job = new Job<number>();
    const r = await job.run(async (_signal, progress) => {
      progress(1, 2);
      expect(job.fraction).toBe(0.5);
      progress(2, 2);
      return 7;
    });
    expect(r).toBe(7);
    expect(job.state).toBe('done');
    expect(job.result).toBe(7);
    expect(job.fraction).toBe(1);
  });

  it('ends as cancelled when cancelled, and as failed with the message on error', async () => {
    const job = new Job<number>();
    const pending = job.run(
      (signal) =>
        new Promise<number>((_, reject) =>
          signal.addEventListener('abort', () => reject(new DOMException('stop', 'AbortError'))),
        ),
    );
    expect(job.running).toBe(true);
    job.cancel();
    expect(await pending).toBeNull();
    expect(job.state).toBe('cancelled');

    await job.run(async () => {
      throw new Error('disk full');
    });
    expect(job.state).toBe('failed');
    expect(job.error).toBe('disk full');
  });

  it('lets the latest run win: a stale run cannot overwrite it', async () => {
    const job = new Job<string>();
    let releaseOld!: (v: string) => void;
    const old = job.run(() => new Promise<string>((r) => (releaseOld = r)));
    const fresh = job.run(async () => 'new');
    releaseOld('old');
    expect(await old).toBeNull();
    expect(await fresh).toBe('new');
    expect(job.result).toBe('new');
    expect(job.state).toBe('done');
  });
});

describe('TrainFlow', () => {
  /** A study run whose creation the test lets finish, and which runs until it is cancelled. */
  function heldStudyRun() {
    let release!: () => void;
    let stopped!: () => void;
    const ended = new Promise<void>((r) => (stopped = r));
    const run = {
      active: false,
      cancels: 0,
      done: 0,
      study: null,
      message: null,
      saving: { result: null, error: null, cancel: () => {} },
      spentMs: () => 0,
      start: () =>
        new Promise<void>((r) => {
          release = () => {
            run.active = true;
            r();
          };
        }),
      cancel: () => {
        if (!run.active) return;
        run.cancels++;
        run.active = false;
        stopped();
      },
      settled: () => (run.active ? ended : Promise.resolve()),
    };
    return { run, release: () => release() };
  }

  it('a cancel while the search study is being created stops the study once it runs', async () => {
    const { run, release } = heldStudyRun();
    const library = { items: [], refresh: async () => {} };
    const flow = new TrainFlow(
      {} as ComputePool,
      {} as Store,
      () => 'tester',
      library as unknown as ModelLibrary,
      run as unknown as StudyRun,
    );
    flow.data = {
      id: 'data-1',
      task: 'classification',
      rowCount: 100,
      profile: {},
    } as unknown as DatasetVersionRecord;
    flow.onData = [];
    flow.auto = false;
    flow.newName = 'noise tree';
    expect(flow.scenario).toBe('search-new');
    expect(flow.problem).toBeNull();

    const pending = flow.run();
    expect(flow.job.running).toBe(true);
    flow.job.cancel();
    await Promise.resolve();
    release();
    expect(await pending).toBeNull();
    expect(run.cancels).toBe(1);
    expect(run.active).toBe(false);
    expect(flow.job.state).toBe('cancelled');
  });
});
