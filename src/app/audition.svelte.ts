import {
  audition,
  requirementsOf,
  type AuditionResult,
  type Requirements,
} from '../core/compare/audition';
import type { DatasetContent } from '../core/data/content';
import { predictorOf } from '../core/predict/predict';
import type { HonestScore } from '../core/predict/score';
import type { DatasetVersionRecord, ModelRecord, ModelVersionRecord } from '../core/records';
import { isBetter } from '../core/train/evaluate';
import type { MetricName } from '../core/train/metrics';
import { defaultMetric } from '../core/train/model';
import { loadContent } from '../store/datasets';
import type { Store } from '../store/db';
import { Job } from './job.svelte';
import type { ModelLibrary } from './modelLibrary.svelte';
import type { ComputePool } from './workers';
import { proxy } from 'comlink';
import { learnerFor } from '../core/learners/registry';

/** Folds of the baseline's cross-validation on the audition's data. */
export const BASELINE_FOLDS = 5;

export interface Candidate {
  model: ModelRecord;
  version: ModelVersionRecord;
  result: AuditionResult;
  /** Its score on the rows of the chosen data it did not train on (when it can run on it). */
  score: number | null;
  /** On how many rows, how many were left out, or why there is no score. */
  honest: HonestScore | null;
}

/** Ranks candidates: those that can run and are what was asked, best score first; then the rest. */
export function rankCandidates(cs: Candidate[], metric: MetricName): Candidate[] {
  return [...cs].sort((a, b) => {
    if (a.result.canRun !== b.result.canRun) return a.result.canRun ? -1 : 1;
    if (a.result.meets !== b.result.meets) return a.result.meets ? -1 : 1;
    if (a.score === null || b.score === null)
      return a.score === null ? (b.score === null ? 0 : 1) : -1;
    return isBetter(metric, a.score, b.score) ? -1 : isBetter(metric, b.score, a.score) ? 1 : 0;
  });
}

/** Model audition: which stored versions can serve a data version, and how well. */
export class AuditionView {
  readonly #pool: ComputePool;
  readonly #store: Store;
  readonly #models: ModelLibrary;
  readonly job = new Job<Candidate[]>();
  data = $state.raw<DatasetVersionRecord | null>(null);
  /** Derived from the data, then adjustable by hand. */
  requirements = $state<Requirements | null>(null);
  metric = $state<MetricName>('accuracy');
  /** What guessing scores on the chosen data version (cross-validated), once scored. */
  baseline = $state.raw<{ metric: MetricName; score: number | null; dataId: string } | null>(null);

  constructor(pool: ComputePool, store: Store, models: ModelLibrary) {
    this.#pool = pool;
    this.#store = store;
    this.#models = models;
  }

  choose(data: DatasetVersionRecord | null): void {
    if (data?.id === this.data?.id) return;
    this.data = data;
    this.baseline = null;
    this.job.reset();
    this.requirements = data ? requirementsOf(data) : null;
    if (data) {
      this.metric = defaultMetric(data.task, data.profile);
      // Scoring starts by itself (in a worker; Cancel stops it), outside the caller's effect.
      queueMicrotask(() => void this.score());
    }
  }

  /** Every version against the requirements (as the person may have adjusted them). */
  get checked(): Candidate[] {
    const req = this.requirements;
    if (!req) return [];
    const scored: Record<string, Candidate> = Object.fromEntries(
      (this.job.result ?? []).map((c) => [c.version.id, c]),
    );
    const all = this.#models.items.flatMap((m) =>
      m.versions.map((version) => ({
        model: m.model,
        version,
        result: audition(req, version),
        score: scored[version.id]?.score ?? null,
        honest: scored[version.id]?.honest ?? null,
      })),
    );
    return rankCandidates(all, this.metric);
  }

  /** Scores every version that can run on the data, in a worker. */
  score(): Promise<Candidate[] | null> {
    const data = this.data;
    if (!data) return Promise.resolve(null);
    const metric = this.metric;
    const candidates = this.checked.filter((c) => c.result.canRun);
    return this.job.run(async (signal, progress) => {
      const content = await loadContent(this.#store, data);
      // Each version is scored only on rows it did not train on: its training data tells which.
      const trainedOn: Record<string, DatasetContent | null> = {};
      const out: Candidate[] = [];
      for (const [i, c] of candidates.entries()) {
        progress(i, candidates.length);
        const dv = c.version.datasetVersionId;
        if (!(dv in trainedOn)) {
          const record = await this.#store.get('datasetVersions', dv);
          trainedOn[dv] = record ? await loadContent(this.#store, record).catch(() => null) : null;
        }
        const version = { ...predictorOf(c.version), holdout: { rows: c.version.holdout.rows } };
        const honest = await this.#pool.run(
          (api) => api.scoreOnUnseen(content, trainedOn[dv] ?? null, version, metric),
          { signal },
        );
        out.push({ ...c, score: honest.score, honest });
      }
      // What guessing scores here, cross-validated on the data version itself: the bar to beat.
      const base = await this.#pool.run(
        (api) =>
          api.train(
            content,
            {
              family: 'baseline',
              params: learnerFor('baseline').defaults(data.task),
              plan: { folds: BASELINE_FOLDS, testFraction: 0.2, seed: 0 },
              metric,
            },
            proxy(() => {}),
          ),
        { signal },
      );
      this.baseline = { metric, score: base.cv[metric]?.mean ?? null, dataId: data.id };
      progress(candidates.length, candidates.length);
      return out;
    });
  }
}
