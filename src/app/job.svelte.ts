import { noteFailure } from './failures';

/** The life of one long job as the page shows it: progress, result, error, cancel. */
export type JobState = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

import type { Progress } from '../core/vocabulary';

export type { Progress };

function isCancel(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/**
 * A cancellable job with progress, for any work longer than a moment. Starting it again while
 * it runs cancels the old run first; a stale run's late progress is ignored.
 */
export class Job<T> {
  state = $state<JobState>('idle');
  done = $state(0);
  total = $state(0);
  result = $state.raw<T | null>(null);
  error = $state<string | null>(null);
  startedAt = $state<number | null>(null);
  endedAt = $state<number | null>(null);
  #controller: AbortController | null = null;
  #runId = 0;

  get running(): boolean {
    return this.state === 'running';
  }

  /** Fraction done, 0 to 1. */
  get fraction(): number {
    return this.total > 0 ? Math.min(1, this.done / this.total) : 0;
  }

  async run(work: (signal: AbortSignal, progress: Progress) => Promise<T>): Promise<T | null> {
    this.cancel();
    const id = ++this.#runId;
    const controller = new AbortController();
    this.#controller = controller;
    this.state = 'running';
    this.done = 0;
    this.total = 0;
    this.result = null;
    this.error = null;
    this.startedAt = Date.now();
    this.endedAt = null;
    const progress: Progress = (done, total) => {
      if (id !== this.#runId) return;
      this.done = done;
      this.total = total;
    };
    try {
      const value = await work(controller.signal, progress);
      if (id !== this.#runId) return null;
      this.result = value;
      this.state = 'done';
      return value;
    } catch (e) {
      if (id !== this.#runId) return null;
      if (isCancel(e) || controller.signal.aborted) {
        this.state = 'cancelled';
      } else {
        this.state = 'failed';
        this.error = e instanceof Error ? e.message : String(e);
        noteFailure(e);
      }
      return null;
    } finally {
      if (id === this.#runId) {
        this.endedAt = Date.now();
        this.#controller = null;
      }
    }
  }

  cancel(): void {
    this.#controller?.abort();
  }

  /** Forgets the last run (cancelling it if it still runs), as if it never started. */
  reset(): void {
    this.cancel();
    this.#runId++;
    this.#controller = null;
    this.state = 'idle';
    this.done = 0;
    this.total = 0;
    this.result = null;
    this.error = null;
    this.startedAt = null;
    this.endedAt = null;
  }
}
