/** One open study: its trials, the loop that keeps every search worker busy, pause, cancel, resume, and saving the best. */
import { proxy, transfer } from 'comlink';
import { columnBuffers, type DatasetContent } from '../core/data/content';
import type {
  DatasetVersionRecord,
  ModelRecord,
  ModelVersionRecord,
  StudyRecord,
  TrialRecord,
} from '../core/records';
import { bracketOf, bracketsOf, sameBracket, trialHalving } from '../core/search/hyperband';
import { promotable, type Halving } from '../core/search/pruning';
import type { FoldReport, Report, TrialOutcome } from '../core/search/objective';
import type { foldPrune } from '../core/search/wilcoxon';
import type { Observation, suggest } from '../core/search/samplers';
import { learnerFor } from '../core/learners/registry';
import { ANY_FAMILY, trialModel, type Params } from '../core/search/space';
import { isBetter } from '../core/train/evaluate';
import { loadContent } from '../store/datasets';
import type { Store } from '../store/db';
import { listModelVersions } from '../store/models';
import { saveVersion } from './saveVersion';
import { createStudy, listTrials, saveTrial, updateStudy, type StudyDraft } from '../store/studies';
import { Job } from './job.svelte';
import type { ModelLibrary } from './modelLibrary.svelte';
import type { StudyLibrary } from './studyLibrary.svelte';
import { versionDraft } from './training';
import { trainOnPool, type ComputePool } from './workers';

/** A trial being computed now: its parameters and the rungs it has reported. */
export interface RunningTrial {
  number: number;
  params: Params;
  intermediate: number[];
  /** Its folds' scores on all rows so far (fold-wise stopping). */
  folds: number[];
  startedAt: number;
}

export type RunStatus = 'idle' | 'running' | 'pausing' | 'paused' | 'complete';

function asObservation(t: TrialRecord): Observation {
  return {
    number: t.number,
    params: t.params,
    state: t.state,
    value: t.value,
    intermediate: t.intermediate,
  };
}

/** A copy of the rows whose typed arrays can be transferred to a worker (sent once per worker). */
function transferable(content: DatasetContent): DatasetContent {
  const columns = content.columns.map((c) =>
    c.kind === 'numeric'
      ? { ...c, values: c.values.slice() }
      : c.kind === 'categorical'
        ? { ...c, codes: c.codes.slice() }
        : c,
  );
  const copy = { ...content, columns };
  return transfer(copy, columnBuffers(copy));
}

/** The best complete trial of a study, or null. */
export function bestTrial(study: StudyRecord, trials: readonly TrialRecord[]): TrialRecord | null {
  let best: TrialRecord | null = null;
  for (const t of trials) {
    if (t.state !== 'complete' || t.value === null || Number.isNaN(t.value)) continue;
    if (!best || isBetter(study.metric, t.value, best.value!)) best = t;
  }
  return best;
}

/**
 * One study, open on the Search screen: its stored trials, the ones running now, and the
 * loop that keeps every worker busy. Each trial is stored as it ends, so a closed tab loses at
 * most the trials in flight; reopening offers to resume from the stored ones.
 */
export class StudyRun {
  readonly #pool: ComputePool;
  readonly #store: Store;
  readonly #author: () => string;
  readonly #models: ModelLibrary;
  readonly #studies: StudyLibrary;
  readonly saving = new Job<ModelVersionRecord>();
  study = $state.raw<StudyRecord | null>(null);
  trials = $state.raw<TrialRecord[]>([]);
  running = $state.raw<RunningTrial[]>([]);
  status = $state<RunStatus>('idle');
  message = $state<string | null>(null);
  /** When this tab started (or resumed) the study, and how many trials it has finished since. */
  sessionStart = $state<number | null>(null);
  sessionDone = $state(0);
  notFound = $state(false);
  /**
   * What guessing scores on the study's own folds (the baseline family's cross-validated
   * metric), so a person sees whether the search beats it; null until known.
   */
  baseline = $state<number | null>(null);
  /** A trial could not be stored because its study had been removed under this tab. */
  lostStudy = false;
  #controllers: Record<number, AbortController> = {};
  #content: DatasetContent | null = null;
  #suggest: typeof suggest | null = null;
  #foldPrune: typeof foldPrune | null = null;
  /** Trials being written now. */
  #saving: Promise<unknown>[] = [];
  #data: DatasetVersionRecord | null = null;
  #exhausted = false;
  #next = 0;
  #waiters: (() => void)[] = [];
  /** Between the last trial and the best version saved. */
  #finishing = false;

  constructor(
    pool: ComputePool,
    store: Store,
    author: () => string,
    models: ModelLibrary,
    studies: StudyLibrary,
  ) {
    this.#pool = pool;
    this.#store = store;
    this.#author = author;
    this.#models = models;
    this.#studies = studies;
  }

  /** Resolves once the study stops running: paused, or complete with its best trial saved. */
  settled(): Promise<void> {
    if (!this.active && !this.#finishing) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #notify(): void {
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  get active(): boolean {
    return this.status === 'running' || this.status === 'pausing';
  }

  get best(): TrialRecord | null {
    return this.study ? bestTrial(this.study, this.trials) : null;
  }

  /** Trials stored plus trials running, against the budget. */
  get done(): number {
    return this.trials.length;
  }

  /**
   * The time the study ran before this tab's session started (or up to its last pause),
   * updated in the same step as the status, so that the time shown never drops while the
   * record is being written.
   */
  #spentBefore = $state(0);

  /** How long the study has run, over every session; `now` is the caller's clock. */
  spentMs(now = Date.now()): number {
    const running = this.active && this.sessionStart !== null ? now - this.sessionStart : 0;
    return this.#spentBefore + running;
  }

  /** A time-limited study has run out of time: no new trial starts. */
  #timeUp(): boolean {
    const limit = this.study?.timeLimitMs;
    return limit !== undefined && this.spentMs() >= limit;
  }

  /** Estimated milliseconds left, from this tab's pace; null until one trial has finished. */
  get remainingMs(): number | null {
    const limit = this.study?.timeLimitMs;
    if (limit !== undefined && this.active) return Math.max(0, limit - this.spentMs());
    if (!this.study || this.sessionStart === null || this.sessionDone === 0) return null;
    const perTrial = (Date.now() - this.sessionStart) / this.sessionDone;
    return Math.max(0, perTrial * (this.study.budget - this.done - this.running.length / 2));
  }

  /**
   * Opens a stored study. One left "running" by a closed tab shows as interrupted (paused). A
   * second call for the study being opened waits for the first (the Search screen opens the
   * study it just created while its page asks for it too): one read of its trials, not two.
   */
  open(studyId: string): Promise<void> {
    if (this.study?.id === studyId) return Promise.resolve();
    if (this.#opening?.id === studyId) return this.#opening.done;
    const done = this.#open(studyId).finally(() => {
      if (this.#opening?.done === done) this.#opening = null;
    });
    this.#opening = { id: studyId, done };
    return done;
  }

  #opening: { id: string; done: Promise<void> } | null = null;

  #openToken = 0;

  async #open(studyId: string): Promise<void> {
    if (this.active) this.cancel();
    // A later open wins: an earlier one that resolves after it changes nothing.
    const token = ++this.#openToken;
    const study = await this.#store.get('studies', studyId);
    if (token !== this.#openToken) return;
    this.notFound = !study;
    if (!study) return;
    // The study and its trials are shown together, never one study's trials under another.
    const trials = await listTrials(this.#store, studyId);
    if (token !== this.#openToken) return;
    this.#content = null;
    this.#data = null;
    this.baseline = null;
    this.lostStudy = false;
    this.saving.reset();
    this.message = null;
    this.study = study;
    this.#spentBefore = study.spentMs ?? 0;
    this.trials = trials;
    this.running = [];
    this.sessionStart = null;
    this.sessionDone = 0;
    this.#exhausted = false;
    this.#next = Math.max(-1, ...this.trials.map((t) => t.number)) + 1;
    this.status =
      study.state === 'complete' ? 'complete' : study.state === 'running' ? 'paused' : 'paused';
    if (study.state === 'running')
      this.message =
        'This study was interrupted (the tab was closed). Resume it to go on from its stored trials.';
    void this.#scoreBaseline(study);
  }

  /** Loads the study's data version, unless it is loaded already. */
  async #loadData(study: StudyRecord): Promise<void> {
    if (this.#content) return;
    const data = await this.#store.get('datasetVersions', study.datasetVersionId);
    if (!data) throw new Error('The data version of this study is no longer stored.');
    const content = await loadContent(this.#store, data);
    if (this.study?.id !== study.id) return;
    this.#data = data;
    this.#content = content;
  }

  /** The baseline's score on the study's folds, in a worker (it fits in a moment). */
  async #scoreBaseline(study: StudyRecord): Promise<void> {
    // A study written elsewhere measures its own objective: guessing's score would not compare.
    if (study.origin?.valueName) return;
    try {
      await this.#loadData(study);
      const content = this.#content;
      const data = this.#data;
      if (!content || !data || this.study?.id !== study.id) return;
      const params = learnerFor('baseline').defaults(data.task);
      const outcome = await this.#crossValidate(study, content, 'baseline', params, {
        halving: { eta: 3, rungs: [1] },
        report: proxy(() => true),
      });
      if (outcome?.value !== null && outcome?.value !== undefined && this.study?.id === study.id)
        this.baseline = outcome.value;
    } catch {
      // No baseline without the data (a study restored without its data version): nothing to show.
    }
  }

  /** Creates a study and starts it. */
  async start(draft: StudyDraft): Promise<StudyRecord> {
    const study = await createStudy(this.#store, this.#author(), draft);
    await this.#studies.refresh();
    await this.open(study.id);
    await this.resume();
    return study;
  }

  async resume(): Promise<void> {
    const study = this.study;
    if (!study || this.active || study.state === 'complete') return;
    this.message = null;
    try {
      // The samplers (TPE and its error function) and the fold-wise test load with the first study run.
      this.#suggest ??= (await import('../core/search/samplers')).suggest;
      this.#foldPrune ??= (await import('../core/search/wilcoxon')).foldPrune;
      await this.#loadData(study);
      this.study = await updateStudy(
        this.#store,
        this.#author(),
        { ...study, state: 'running' },
        'resume',
      );
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
      return;
    }
    this.status = 'running';
    this.sessionStart = Date.now();
    this.sessionDone = 0;
    this.#pump();
  }

  /** Lets running trials finish and starts no new ones. */
  pause(): void {
    if (this.status !== 'running') return;
    this.status = 'pausing';
    if (this.running.length === 0) void this.#stopped();
  }

  /**
   * Drops the open study without writing anything: its records are gone (the store was replaced
   * from another tab). Running trials are stopped; the message says why.
   */
  abandon(message: string): void {
    const wasRunning = this.active || this.lostStudy;
    this.lostStudy = false;
    for (const c of Object.values(this.#controllers)) c.abort();
    this.#controllers = {};
    this.running = [];
    this.study = null;
    this.trials = [];
    this.status = 'idle';
    if (wasRunning) this.message = message;
  }

  /** Stops running trials now (their workers are ended); stored trials stay, the study can resume. */
  cancel(): void {
    if (!this.active) return;
    for (const c of Object.values(this.#controllers)) c.abort();
    this.#controllers = {};
    this.running = [];
    this.status = 'pausing';
    void this.#stopped();
  }

  async #stopped(): Promise<void> {
    // Trials being written when the study stopped are part of it: paused means all are stored.
    await Promise.allSettled(this.#saving);
    const study = this.study;
    const spentMs = this.spentMs();
    this.#spentBefore = spentMs;
    this.status = 'paused';
    try {
      if (study && study.state === 'running' && !this.lostStudy) {
        this.study = await updateStudy(
          this.#store,
          this.#author(),
          { ...study, state: 'paused', spentMs },
          'pause',
        );
        await this.#studies.refresh();
      }
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
    } finally {
      this.#notify();
    }
  }

  #history(): Observation[] {
    const running: Observation[] = this.running.map((r) => ({
      number: r.number,
      params: r.params,
      state: 'running',
      value: null,
      intermediate: r.intermediate,
    }));
    return [...this.trials.map(asObservation), ...running].sort((a, b) => a.number - b.number);
  }

  #pump(): void {
    const study = this.study;
    const suggest = this.#suggest;
    if (!study || !suggest) return;
    const timeUp = this.#timeUp();
    while (
      this.status === 'running' &&
      !this.#exhausted &&
      !timeUp &&
      this.running.length < this.#pool.size &&
      this.trials.length + this.running.length < study.budget
    ) {
      const number = this.#next;
      let params: Params | null;
      try {
        params = suggest(study.sampler, {
          space: study.space,
          history: this.#learnsFrom(this.#history(), number, study),
          direction: study.direction,
          seed: study.seed,
          trialNumber: number,
          gridPoints: study.gridPoints,
          rungsOf: (n) => trialHalving(study.halving, this.#bracket(n)).rungs,
          ...(study.startWith ? { startWith: study.startWith } : {}),
        });
      } catch (e) {
        this.message = e instanceof Error ? e.message : String(e);
        this.status = 'pausing';
        break;
      }
      if (!params) {
        this.#exhausted = true;
        break;
      }
      this.#next++;
      this.running = [
        ...this.running,
        { number, params, intermediate: [], folds: [], startedAt: Date.now() },
      ];
      void this.#run(study, number, params);
    }
    const finished = this.#exhausted || timeUp || this.trials.length >= study.budget;
    if (this.running.length === 0) {
      if (this.status === 'running' && finished) void this.#complete();
      else if (this.status === 'pausing') void this.#stopped();
    }
  }

  /** A trial's Hyperband bracket (0 without Hyperband). */
  #bracket(number: number): number {
    const study = this.study;
    if (!study?.halving.hyperband) return 0;
    return bracketOf(study.name, number, bracketsOf(study.halving));
  }

  /**
   * What the sampler learns from: every trial, or under Hyperband the trials of the new one's
   * bracket, as Optuna's samplers do (the grid still needs every trial, to skip taken points;
   * BOHB's models are per budget, over every bracket, as HpBandSter's).
   */
  #learnsFrom(history: Observation[], number: number, study: StudyRecord): Observation[] {
    if (study.sampler === 'grid' || study.sampler === 'bohb') return history;
    return sameBracket(study.halving, study.name, history, number);
  }

  /** The pruner's question after each rung: does this trial go on? */
  #report(number: number, step: number, value: number): boolean {
    const study = this.study!;
    this.running = this.running.map((r) =>
      r.number === number ? { ...r, intermediate: [...r.intermediate.slice(0, step), value] } : r,
    );
    // Hyperband: a trial competes with the trials of its own bracket only.
    const peers = <T extends { number: number }>(items: T[]) =>
      sameBracket(study.halving, study.name, items, number);
    const others = [
      ...peers(this.trials).map((t) => t.intermediate[step]),
      ...peers(this.running)
        .filter((r) => r.number !== number)
        .map((r) => r.intermediate[step]),
    ].filter((v): v is number => v !== undefined);
    return promotable(value, others, study.halving.eta, study.direction);
  }

  /**
   * Fold-wise stopping after each fold on all rows: does this trial go on? It stops when its
   * folds so far are worse than the best trial's on the same folds (Wilcoxon signed-rank).
   */
  #foldReport(number: number, fold: number, value: number): boolean {
    const study = this.study!;
    let folds: number[] = [];
    this.running = this.running.map((r) => {
      if (r.number !== number) return r;
      folds = [...r.folds.slice(0, fold), value];
      return { ...r, folds };
    });
    const best = this.best;
    if (!study.foldStopping || !best?.folds || !this.#foldPrune) return true;
    return !this.#foldPrune(folds, best.folds, study.direction, study.foldStopping.p);
  }

  /**
   * Settings of a family cross-validated on the study's folds, in a search worker. The worker
   * keeps the study's prepared data: the rows are sent only to a worker that has not got them.
   */
  async #crossValidate(
    study: StudyRecord,
    content: DatasetContent,
    family: string,
    params: Params,
    how: { halving: Halving; report: Report; foldReport?: FoldReport; signal?: AbortSignal },
  ): Promise<TrialOutcome | null> {
    const key = `${study.id}:${study.datasetVersionId}`;
    const plan = { ...study.evaluation, seed: study.seed };
    const call = (c: DatasetContent | null) =>
      this.#pool.run(
        (api) =>
          api.searchTrial(
            key,
            c,
            plan,
            family,
            params,
            study.metric,
            how.halving,
            how.report,
            how.foldReport,
          ),
        how.signal ? { signal: how.signal } : {},
      );
    return (await call(null)) ?? (await call(transferable(content)));
  }

  async #run(study: StudyRecord, number: number, params: Params): Promise<void> {
    const controller = new AbortController();
    this.#controllers[number] = controller;
    const started = performance.now();
    const model = trialModel(study.family, params);
    const learner = learnerFor(model.family);
    const full = learner.withParams(model.params, learner.defaults(this.#data!.task));
    const report = proxy((step: number, value: number) => this.#report(number, step, value));
    let record: Omit<TrialRecord, 'id' | 'author' | 'createdAt' | 'studyId'> | null = null;
    try {
      const outcome = await this.#crossValidate(study, this.#content!, model.family, full, {
        halving: trialHalving(study.halving, this.#bracket(number)),
        report,
        ...(study.foldStopping
          ? {
              foldReport: proxy((fold: number, value: number) =>
                this.#foldReport(number, fold, value),
              ),
            }
          : {}),
        signal: controller.signal,
      });
      if (!outcome) throw new Error('The worker could not prepare the data.');
      record = {
        number,
        params,
        value: outcome.value,
        state: outcome.state,
        durationMs: performance.now() - started,
        intermediate: outcome.intermediate,
        ...(outcome.folds ? { folds: outcome.folds } : {}),
      };
    } catch (e) {
      if (!controller.signal.aborted)
        record = {
          number,
          params,
          value: null,
          state: 'failed',
          durationMs: performance.now() - started,
          intermediate: [],
          error: e instanceof Error ? e.message : String(e),
        };
    } finally {
      delete this.#controllers[number];
    }
    // A trial cancelled as its result came in is not stored: the study resumes without it.
    if (record && !controller.signal.aborted && this.study?.id === study.id) {
      const saving = saveTrial(this.#store, this.#author(), study, record);
      this.#saving.push(saving);
      try {
        const saved = await saving;
        // Once only, even if the trials were read again meanwhile; not into another study's.
        if (this.study?.id === study.id) {
          this.trials = [...this.trials.filter((t) => t.number !== saved.number), saved].sort(
            (a, b) => a.number - b.number,
          );
          this.sessionDone++;
        }
      } catch (e) {
        if (this.study?.id === study.id) {
          this.message = e instanceof Error ? e.message : String(e);
          this.status = 'pausing';
          // Its study is gone: another tab replaced every record, and says so when its word comes.
          if (!(await this.#store.get('studies', study.id).catch(() => undefined)))
            this.lostStudy = true;
        }
      } finally {
        this.#saving = this.#saving.filter((p) => p !== saving);
      }
    }
    if (this.study?.id === study.id) {
      this.running = this.running.filter((r) => r.number !== number);
      this.#pump();
    }
  }

  async #complete(): Promise<void> {
    const study = this.study!;
    const spentMs = this.spentMs();
    this.#spentBefore = spentMs;
    this.status = 'complete';
    this.#finishing = true;
    try {
      this.study = await updateStudy(
        this.#store,
        this.#author(),
        { ...study, state: 'complete', spentMs },
        'complete',
      );
      await this.#studies.refresh();
      if (this.best) await this.saveBest();
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
    } finally {
      this.#finishing = false;
      this.#notify();
    }
  }

  /** Trains the best trial's settings on the study's data and saves it as a model version. */
  saveBest(): Promise<ModelVersionRecord | null> {
    const study = this.study;
    const best = this.best;
    const content = this.#content;
    const data = this.#data;
    if (!study || !best) return Promise.resolve(null);
    return this.saving.run(async (signal, progress) => {
      const dv = data ?? (await this.#store.get('datasetVersions', study.datasetVersionId));
      if (!dv) throw new Error('The data version of this study is no longer stored.');
      const rows = content ?? (await loadContent(this.#store, dv));
      const { family, params: own } = trialModel(study.family, best.params);
      const learner = learnerFor(family);
      const params = learner.withParams(own, learner.defaults(dv.task));
      const plan = { ...study.evaluation, seed: study.seed };
      const result = await trainOnPool(
        this.#pool,
        rows,
        { family, params, plan, metric: study.metric },
        signal,
        progress,
      );
      const author = this.#author();
      const model: ModelRecord | null = study.modelId
        ? ((await this.#store.get('models', study.modelId)) ?? null)
        : null;
      const draft = versionDraft({
        result,
        params,
        plan,
        metric: study.metric,
        scenario: model ? 'retrain' : 'search-new',
        dataVersionId: dv.id,
        trainingMs: result.fitMs,
        search: { kind: 'study', studyId: study.id, trial: best.number },
      });
      const { model: saved, version } = await saveVersion(
        this.#store,
        author,
        model
          ? { model }
          : {
              newModel: {
                name: await this.#freeName(await this.#modelName(study, dv, learner.noun)),
                task: dv.task,
                metric: study.metric,
              },
            },
        draft,
      );
      const modelId = saved.id;
      const current = this.study?.id === study.id ? this.study : study;
      const updated = await updateStudy(
        this.#store,
        author,
        { ...current, modelId, bestVersionId: version.id },
        'save best',
      );
      if (this.study?.id === study.id) this.study = updated;
      await Promise.all([this.#models.refresh(), this.#studies.refresh()]);
      return version;
    });
  }

  /**
   * A new model's name: a one-family study's own name; a cross-family study's best is named
   * after its data and family ("Iris forest").
   */
  async #modelName(study: StudyRecord, dv: DatasetVersionRecord, noun: string): Promise<string> {
    if (study.family !== ANY_FAMILY) return study.name;
    const dataset = await this.#store.get('datasets', dv.datasetId);
    return `${dataset?.name ?? study.name} ${noun}`;
  }

  async #freeName(base: string): Promise<string> {
    await this.#models.refresh();
    const taken = this.#models.items.map((m) => m.model.name);
    if (!taken.includes(base)) return base;
    for (let i = 2; ; i++) if (!taken.includes(`${base} (${i})`)) return `${base} (${i})`;
  }

  /** The model versions a study's best trials became (for its page). */
  async savedVersion(): Promise<{ model: ModelRecord; version: ModelVersionRecord } | null> {
    const s = this.study;
    if (!s?.modelId || !s.bestVersionId) return null;
    const model = await this.#store.get('models', s.modelId);
    const version = model
      ? (await listModelVersions(this.#store, model.id)).find((v) => v.id === s.bestVersionId)
      : undefined;
    return model && version ? { model, version } : null;
  }
}
