/**
 * The decision boundary of one version, as a person moves its sliders: the data's rows loaded
 * once (with the version's own predictions), and each plane computed in a worker. Requests made
 * while one is computing are coalesced: only the newest is computed next, so dragging a slider
 * never queues a backlog.
 */
import type { Boundary, BoundaryPoints, Plane, Refit } from '../core/explain/boundary';
import type { DatasetContent } from '../core/data/content';
import { predictorOf, type Predictor } from '../core/predict/predict';
import type { ModelVersionRecord } from '../core/records';
import { Job } from './job.svelte';
import type { ComputePool } from './workers';

export class BoundaryView {
  readonly #pool: ComputePool;
  readonly #content: (v: ModelVersionRecord) => Promise<DatasetContent>;
  readonly points = new Job<BoundaryPoints>();
  /**
   * The rows drawn: the last points read, kept while the next version of the same data version
   * reads its own (a tree growing by hand is a new version at each split), so nothing flickers.
   */
  shown = $state.raw<BoundaryPoints | null>(null);
  grid = $state.raw<Boundary | null>(null);
  /** How long the last plane took, from request to answer (ms). */
  drawMs = $state<number | null>(null);
  error = $state<string | null>(null);
  /**
   * "What if": one setting at another value, the family refitted on the version's training
   * rows (null: the saved version itself); its scores and predictions once computed.
   */
  whatIf = $state<{ name: string; value: number } | null>(null);
  refit = $state.raw<Refit | null>(null);
  #version: ModelVersionRecord | null = null;
  #data: Promise<DatasetContent> | null = null;
  #plane: Plane | null = null;
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
    const sameData = this.#version?.datasetVersionId === v.datasetVersionId;
    this.#for = v.id;
    this.#version = v;
    this.whatIf = null;
    this.refit = null;
    this.#predictor = predictorOf(v);
    this.error = null;
    if (!sameData) {
      this.#data = null;
      this.shown = null;
      this.grid = null;
      this.drawMs = null;
      this.#pending = null;
    } else if (this.#plane) this.request(this.#plane);
    void this.points
      .run(async (signal) => {
        const content = await this.#loaded(v);
        return this.#pool.run(
          (api) => api.boundaryPoints(content, predictorOf(v), v.holdout.rows),
          { signal },
        );
      })
      .then((p) => {
        if (p && this.#for === v.id) this.shown = p;
      });
  }

  #loaded(v: ModelVersionRecord): Promise<DatasetContent> {
    this.#data ??= this.#content(v);
    return this.#data;
  }

  /** Asks for the plane; the newest request wins. */
  request(plane: Plane): void {
    this.#plane = plane;
    this.#pending = plane;
    if (!this.#busy) void this.#drain();
  }

  /** Another value of one setting (null: back to the saved version); the plane is redrawn. */
  try(change: { name: string; value: number } | null): void {
    this.whatIf = change;
    if (!change) this.refit = null;
    if (this.#plane) this.request(this.#plane);
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
        const change = this.whatIf;
        const v = this.#version;
        try {
          let grid: Boundary;
          if (change && v) {
            const content = await this.#loaded(v);
            const params = { ...v.hyperparameters, [change.name]: change.value };
            const plan = { ...v.evaluation, seed: v.seed };
            const refit = await this.#pool.run((api) =>
              api.refitBoundary(content, v.family, params, plan, v.metric, plane),
            );
            if (id !== this.#for || this.whatIf !== change) continue;
            this.refit = refit;
            grid = refit.grid;
          } else grid = await this.#pool.run((api) => api.boundary(predictor, plane));
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
