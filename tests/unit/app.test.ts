import { describe, expect, it } from 'vitest';
import { Job } from '../../src/app/job.svelte';
import { screenFromHash, SCREENS } from '../../src/app/router.svelte';

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
    expect(SCREENS).toHaveLength(11);
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
