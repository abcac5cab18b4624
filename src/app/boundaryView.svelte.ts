/**
 * The decision boundary of one version, as a person moves its sliders: the data's rows loaded
 * once (with the version's own predictions), and each plane computed in a worker. Requests made
 * while one is computing are coalesced: only the newest is computed next, so dragging a slider
 * never queues a backlog.
 */
import type { Boundary, BoundaryPoints, Plane } from '../core/explain/boundary';
import type { DatasetContent } from '../core/data/content';
import { predictorOf, type Predictor } from '../core/predict/predict';
import type { ModelVersionRecord } from '../core/records';
import { Job } from './job.svelte';
import type { ComputePool } from './workers';

export class BoundaryView {
  readonly #pool: ComputePool;
  readonly #content: (v: ModelVersionRecord) => Promise<DatasetContent>;
  readonly points = new Job<BoundaryPoints>();
  grid = $state.raw<Boundary | null>(null);
  /** How long the last plane took, from request to answer (ms). */
  drawMs = $state<number | null>(null);
  error = $state<string | null>(null);
  #for: string | null = null;
  #predictor: Predictor | null = null;
  #pending: Plane | null = null;
  #busy = false;

  constructor(pool: ComputePool, content: (v: ModelVersionRecord) => Promise<DatasetContent>) {
    this.#pool = pool;
    this.#content = content;
  }

  /** Loads the rows of the version's data (once per version). */
  open(v: ModelVersionRecord): void {
    if (this.#for === v.id) return;
    this.#for = v.id;
    this.#predictor = predictorOf(v);
    this.grid = null;
    this.drawMs = null;
    this.error = null;
    this.#pending = null;
    void this.points.run(async (signal) => {
      const content = await this.#content(v);
      return this.#pool.run((api) => api.boundaryPoints(content, predictorOf(v), v.holdout.rows), {
        signal,
      });
    });
  }

  /** Asks for the plane; the newest request wins. */
  request(plane: Plane): void {
    this.#pending = plane;
    if (!this.#busy) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#busy = true;
    try {
      while (this.#pending && this.#predictor) {
        const plane = this.#pending;
        const predictor = this.#predictor;
        const id = this.#for;
        this.#pending = null;
        const t0 = performance.now();
        try {
          const grid = await this.#pool.run((api) => api.boundary(predictor, plane));
          if (id !== this.#for) continue;
          this.grid = grid;
          this.drawMs = performance.now() - t0;
          this.error = null;
        } catch (e) {
          if (id === this.#for) this.error = e instanceof Error ? e.message : String(e);
        }
      }
    } finally {
      this.#busy = false;
    }
  }
}
