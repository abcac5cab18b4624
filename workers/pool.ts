import { wrap, type Remote } from 'comlink';

/** A job was cancelled by its AbortSignal before it finished. */
export class JobCancelledError extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('The job was cancelled.');
  }
}

/** A worker died (a crash, or code that failed to load) while running a job. */
export class WorkerCrashedError extends Error {
  override readonly name = 'WorkerCrashedError';
}

/** Workers for the pool: every core but one, which stays with the page; at least one. */
export function defaultPoolSize(cores: number | undefined): number {
  return Math.max(1, Math.floor(cores ?? 1) - 1);
}

export interface JobOptions {
  /** Aborting cancels the job: a queued job is dropped, a running one's worker is terminated. */
  signal?: AbortSignal;
}

interface Slot<Api> {
  worker: Worker;
  api: Remote<Api>;
  /** Rejects the running job when the worker itself fails. */
  fail: ((e: Error) => void) | null;
  idleTimer: ReturnType<typeof setTimeout> | null;
}

interface Waiting<Api> {
  start: (slot: Slot<Api>) => void;
  cancel: () => void;
}

/**
 * Spreads jobs over a fixed number of workers, started lazily and ended after an idle time.
 * A job is a function of the worker's Comlink API; progress travels through a `proxy`
 * callback the job passes itself. Cancelling a running job terminates its worker (the only
 * sure way to stop a busy synchronous loop) and a fresh one takes its place on the next job.
 */
export class WorkerPool<Api> {
  readonly #create: () => Worker;
  readonly #idleMs: number;
  readonly #idle: Slot<Api>[] = [];
  readonly #queue: Waiting<Api>[] = [];
  readonly #busy = new Set<Slot<Api>>();
  #live = 0;

  constructor(
    create: () => Worker,
    readonly size: number,
    idleMs = 60_000,
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError('A pool needs at least one worker.');
    this.#create = create;
    this.#idleMs = idleMs;
  }

  /** Jobs now running in a worker. */
  get running(): number {
    return this.#busy.size;
  }

  /** Jobs waiting for a free worker. */
  get queued(): number {
    return this.#queue.length;
  }

  run<T>(job: (api: Remote<Api>) => Promise<T>, options: JobOptions = {}): Promise<T> {
    const { signal } = options;
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new JobCancelledError());
        return;
      }
      const waiting: Waiting<Api> = {
        cancel: () => reject(new JobCancelledError()),
        start: (slot) => {
          this.#busy.add(slot);
          let settled = false;
          const finish = (ok: boolean, value: unknown, keepWorker: boolean): void => {
            if (settled) return;
            settled = true;
            this.#busy.delete(slot);
            signal?.removeEventListener('abort', onAbort);
            slot.fail = null;
            if (keepWorker) this.#release(slot);
            else this.#discard(slot);
            if (ok) resolve(value as T);
            else reject(value);
          };
          const onAbort = (): void => finish(false, new JobCancelledError(), false);
          signal?.addEventListener('abort', onAbort, { once: true });
          slot.fail = (e) => finish(false, e, false);
          job(slot.api).then(
            (v) => finish(true, v, true),
            (e: unknown) => finish(false, e, true),
          );
        },
      };
      if (signal) {
        signal.addEventListener(
          'abort',
          () => {
            const i = this.#queue.indexOf(waiting);
            if (i >= 0) this.#queue.splice(i, 1)[0]?.cancel();
          },
          { once: true },
        );
      }
      this.#queue.push(waiting);
      this.#pump();
    });
  }

  /** Ends every worker; running jobs fail as cancelled. The pool can be used again afterwards. */
  terminate(): void {
    for (const w of this.#queue.splice(0)) w.cancel();
    for (const slot of [...this.#busy]) slot.fail?.(new JobCancelledError());
    for (const slot of this.#idle.splice(0)) this.#discard(slot, false);
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let slot = this.#idle.pop();
      if (!slot && this.#live < this.size) slot = this.#spawn();
      if (!slot) return;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
      const next = this.#queue.shift();
      next?.start(slot);
    }
  }

  #spawn(): Slot<Api> {
    const worker = this.#create();
    const slot: Slot<Api> = { worker, api: wrap<Api>(worker), fail: null, idleTimer: null };
    const crashed = (what: string): void =>
      slot.fail?.(new WorkerCrashedError(`The background worker stopped unexpectedly (${what}).`));
    worker.addEventListener('error', (e) => crashed(e.message || 'script error'));
    worker.addEventListener('messageerror', () => crashed('a message could not be read'));
    this.#live++;
    return slot;
  }

  #release(slot: Slot<Api>): void {
    this.#idle.push(slot);
    slot.idleTimer = setTimeout(() => {
      const i = this.#idle.indexOf(slot);
      if (i >= 0) {
        this.#idle.splice(i, 1);
        this.#discard(slot, false);
      }
    }, this.#idleMs);
    this.#pump();
  }

  #discard(slot: Slot<Api>, pump = true): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.worker.terminate();
    this.#live--;
    if (pump) this.#pump();
  }
}
