import { proxy } from 'comlink';
import type {
  DatasetVersionRecord,
  EventRecord,
  ModelRecord,
  ModelVersionRecord,
  Task,
} from '../core/records';
import { newSeed } from '../core/random';
import type { CartParams } from '../core/train/cart';
import {
  DEFAULT_PLAN,
  isBetter,
  type CurvePoint,
  type EvaluationPlan,
} from '../core/train/evaluate';
import { defaultMetric, defaultParams, type TrainResult } from '../core/train/model';
import { NO_PRUNING } from '../core/search/pruning';
import { defaultTreeSpace } from '../core/search/space';
import { METRICS, type MetricName } from '../core/train/metrics';
import { scenarioFor, type Scenario } from '../core/train/scenario';
import { sameTree } from '../core/train/tree';
import { labelDataVersions, loadContent, type DataLabel } from '../store/datasets';
import type { Store } from '../store/db';
import { StoreError } from '../store/errors';
import {
  annotateVersion,
  listModels,
  setIntendedUse,
  modelEvents,
  moveAlias,
  type AliasMove,
  listModelVersions,
  saveNewModel,
  saveNextVersion,
  versionsTrainedOn,
} from '../store/models';
import type { ModelCard } from '../core/export/card';
import { shareLink } from '../core/export/share';
import { hrefFor } from './routes';
import { Job } from './job.svelte';
import type { StudyRun } from './search.svelte';
import {
  environmentDifferences,
  rankingScore,
  versionDraft,
  type VersionDifference,
} from './training';
import type { ComputePool } from './workers';

export interface ModelSummary {
  model: ModelRecord;
  versions: ModelVersionRecord[];
  /** The best cross-validated score among its versions, by the model's metric. */
  best: number | null;
}

/** Better first, whatever the metric's direction; models without a score last. */
function byScore(a: ModelSummary, b: ModelSummary): number {
  if (a.best === null || b.best === null) return a.best === null ? (b.best === null ? 0 : 1) : -1;
  const sign = (m: ModelSummary): number => (METRICS[m.model.metric].higherIsBetter ? 1 : -1);
  return sign(b) * b.best - sign(a) * a.best;
}

function bestOf(model: ModelRecord, versions: ModelVersionRecord[]): number | null {
  let best: number | null = null;
  for (const v of versions) {
    const s = rankingScore(v, model.metric);
    if (s !== null && (best === null || isBetter(model.metric, s, best))) best = s;
  }
  return best;
}

/** Every model with its versions, best score first. */
export class ModelLibrary {
  readonly #store: Store;
  readonly #author: () => string;
  items = $state.raw<ModelSummary[]>([]);

  constructor(store: Store, author: () => string) {
    this.#store = store;
    this.#author = author;
  }

  /** Moves an alias of a model (read fresh from the store) and refreshes the list. */
  async moveAlias(
    modelId: string,
    alias: string,
    version: ModelVersionRecord | null,
    move: AliasMove,
    reason: string,
  ): Promise<ModelRecord> {
    const model = await this.#store.get('models', modelId);
    if (!model) throw new StoreError('The model is no longer stored.');
    const updated = await moveAlias(
      this.#store,
      this.#author(),
      model,
      alias,
      version,
      move,
      reason,
    );
    await this.refresh();
    return updated;
  }

  async refresh(): Promise<void> {
    const models = await listModels(this.#store);
    const items = await Promise.all(
      models.map(async (model) => {
        const versions = await listModelVersions(this.#store, model.id);
        return { model, versions, best: bestOf(model, versions) };
      }),
    );
    this.items = items.sort(byScore);
  }
}

/** What a training run left: the saved version, and the one it was retrained from. */
export interface TrainOutcome {
  scenario: Scenario;
  model: ModelRecord;
  version: ModelVersionRecord;
  previous: ModelVersionRecord | null;
}

/** The Train screen: which data, which model, which case of train(data, model), and the run. */
export class TrainFlow {
  readonly #pool: ComputePool;
  readonly #store: Store;
  readonly #author: () => string;
  readonly #library: ModelLibrary;
  readonly #search: StudyRun;
  readonly job = new Job<TrainOutcome>();
  data = $state.raw<DatasetVersionRecord | null>(null);
  /** Model versions (of any model) trained on the chosen data version; null while loading. */
  onData = $state.raw<ModelVersionRecord[] | null>(null);
  model = $state.raw<ModelRecord | null>(null);
  modelVersions = $state.raw<ModelVersionRecord[]>([]);
  newName = $state('');
  params = $state<CartParams>(defaultParams('classification'));
  folds = $state(DEFAULT_PLAN.folds);
  testFraction = $state(DEFAULT_PLAN.testFraction);
  seed = $state(newSeed());
  metric = $state<MetricName>('accuracy');

  constructor(
    pool: ComputePool,
    store: Store,
    author: () => string,
    library: ModelLibrary,
    search: StudyRun,
  ) {
    this.#pool = pool;
    this.#store = store;
    this.#author = author;
    this.#library = library;
    this.#search = search;
  }

  get task(): Task | null {
    return this.data?.task ?? null;
  }

  get scenario(): Scenario | null {
    if (!this.data || this.onData === null) return null;
    return scenarioFor({
      dataVersionId: this.data.id,
      modelTrainedOn: this.model ? this.modelVersions.map((v) => v.datasetVersionId) : null,
      versionsOnData: this.onData.length,
    });
  }

  /** Why training cannot start, or null. */
  get problem(): string | null {
    if (!this.data) return 'Choose a data version to train on.';
    if (this.model && this.model.task !== this.data.task)
      return `The model "${this.model.name}" does ${this.model.task}, but this data version is set up for ${this.data.task}. Choose another model, or a new one.`;
    const name = this.newName.trim();
    if (!this.model && !name) return 'Give the new model a name.';
    if (!this.model && this.#library.items.some((m) => m.model.name === name))
      return `A model named "${name}" exists already: choose it as the model to retrain, or give the new one another name.`;
    return null;
  }

  get latest(): ModelVersionRecord | null {
    return this.modelVersions.at(-1) ?? null;
  }

  async chooseData(version: DatasetVersionRecord | null, datasetName = ''): Promise<void> {
    this.data = version;
    this.onData = null;
    this.job.reset();
    if (!version) return;
    if (!this.model) {
      this.metric = defaultMetric(version.task, version.profile);
      this.params = { ...defaultParams(version.task), ...this.keptParams(version.task) };
      if (!this.newName.trim() && datasetName) this.newName = `${datasetName} tree`;
    }
    const onData = await versionsTrainedOn(this.#store, version.id);
    if (this.data?.id === version.id) this.onData = onData;
  }

  /** Settings that still make sense when the task changes (everything but the criterion). */
  keptParams(task: Task): Partial<CartParams> {
    const fits = (this.params.criterion === 'squared_error') === (task === 'regression');
    return fits ? this.params : { ...this.params, criterion: defaultParams(task).criterion };
  }

  /** Re-reads which model versions were trained on the chosen data (it changes as models are trained). */
  async #refreshOnData(): Promise<void> {
    const data = this.data;
    if (!data) return;
    const onData = await versionsTrainedOn(this.#store, data.id);
    if (this.data?.id === data.id) this.onData = onData;
  }

  async chooseModel(model: ModelRecord | null): Promise<void> {
    this.model = model;
    this.modelVersions = [];
    this.job.reset();
    void this.#refreshOnData();
    if (!model) {
      if (this.data) this.metric = defaultMetric(this.data.task, this.data.profile);
      return;
    }
    const versions = await listModelVersions(this.#store, model.id);
    if (this.model?.id !== model.id) return;
    this.modelVersions = versions;
    this.metric = model.metric;
    const latest = versions.at(-1);
    if (latest) {
      this.params = { ...latest.hyperparameters };
      this.folds = latest.evaluation.folds;
      this.testFraction = latest.evaluation.testFraction;
      this.seed = latest.seed;
    }
  }

  plan(): EvaluationPlan {
    return { folds: this.folds, testFraction: this.testFraction, seed: this.seed };
  }

  /** Runs the case the choice makes; nothing is saved unless the run completes. */
  run(): Promise<TrainOutcome | null> {
    const data = this.data;
    const scenario = this.scenario;
    const model = this.model;
    if (!data || !scenario || scenario === 'history' || this.problem) return Promise.resolve(null);
    const plan = this.plan();
    const metric = this.metric;
    const params = $state.snapshot(this.params);
    const name = this.newName;
    const previous = this.latest;
    return this.job.run(async (signal, progress) => {
      let outcome: TrainOutcome;
      if (scenario === 'search-new') {
        outcome = await this.#searchNew(data, name, plan, metric, signal, progress);
      } else {
        const content = await loadContent(this.#store, data);
        const result: TrainResult = await this.#pool.run(
          (api) => api.train(content, { params, plan, metric }, proxy(progress)),
          { signal },
        );
        if (signal.aborted) throw new DOMException('Training was cancelled.', 'AbortError');
        const draft = versionDraft({
          result,
          params,
          plan,
          metric,
          scenario,
          dataVersionId: data.id,
          trainingMs: result.fitMs,
          search: null,
        });
        const author = this.#author();
        if (model) {
          const version = await saveNextVersion(this.#store, author, model, draft);
          outcome = { scenario, model, version, previous };
        } else {
          const saved = await saveNewModel(
            this.#store,
            author,
            { name, task: data.task, metric },
            draft,
          );
          outcome = { scenario, ...saved, previous: null };
        }
      }
      await Promise.all([this.#library.refresh(), this.#refreshOnData()]);
      // The new model is now the one chosen, so the screen does not offer to make it twice.
      this.model = outcome.model;
      this.modelVersions = [...(model ? this.modelVersions : []), outcome.version];
      return outcome;
    });
  }

  /**
   * New data + new model: a TPE study (stored, resumable from the Search screen) whose best
   * trial becomes v1 of the new model.
   */
  async #searchNew(
    data: DatasetVersionRecord,
    name: string,
    plan: EvaluationPlan,
    metric: MetricName,
    signal: AbortSignal,
    progress: (done: number, total: number) => void,
  ): Promise<TrainOutcome> {
    const run = this.#search;
    if (run.active)
      throw new StoreError(
        'A search study is running on the Search screen: pause it there, or wait for it to finish.',
      );
    await run.start({
      name,
      datasetVersionId: data.id,
      space: defaultTreeSpace(data.task),
      sampler: 'tpe',
      gridPoints: 5,
      seed: plan.seed,
      metric,
      direction: METRICS[metric].higherIsBetter ? 'maximize' : 'minimize',
      budget: AUTO_SEARCH_TRIALS,
      halving: NO_PRUNING,
      evaluation: { folds: plan.folds, testFraction: plan.testFraction },
      modelId: null,
    });
    const stop = (): void => run.cancel();
    signal.addEventListener('abort', stop);
    const timer = setInterval(() => progress(run.done, AUTO_SEARCH_TRIALS), 200);
    try {
      await run.settled();
    } finally {
      clearInterval(timer);
      signal.removeEventListener('abort', stop);
    }
    if (signal.aborted) throw new DOMException('The search was cancelled.', 'AbortError');
    const version = run.saving.result;
    if (!version || run.study?.bestVersionId !== version.id)
      throw new StoreError(
        run.saving.error ?? run.message ?? 'The search found no settings that could be trained.',
      );
    const model = await this.#store.get('models', version.modelId);
    if (!model) throw new StoreError('The model saved by the search is missing from the store.');
    return { scenario: 'search-new', model, version, previous: null };
  }
}

/** Trials the "new data + new model" case gives its automatic search. */
export const AUTO_SEARCH_TRIALS = 30;

export interface ReproduceReport {
  identical: boolean;
  predictionsAgree: number;
  total: number;
}

export interface VerifyReport {
  agree: number;
  total: number;
}

const labelsNone: ReadonlyMap<string, DataLabel> = Object.freeze(new Map<string, DataLabel>());

/** One model: its history of versions, one version opened, and the checks run on it. */
export class ModelView {
  readonly #pool: ComputePool;
  readonly #store: Store;
  readonly #author: () => string;
  readonly curve = new Job<CurvePoint[]>();
  readonly reproduce = new Job<ReproduceReport>();
  readonly verify = new Job<VerifyReport>();
  model = $state.raw<ModelRecord | null>(null);
  versions = $state.raw<ModelVersionRecord[]>([]);
  version = $state.raw<ModelVersionRecord | null>(null);
  /** The model's events, newest first (alias moves among them). */
  events = $state.raw<EventRecord[]>([]);
  /** Data version id → its record and "dataset vN". */
  data = $state.raw<ReadonlyMap<string, DataLabel>>(labelsNone);
  notFound = $state(false);

  constructor(pool: ComputePool, store: Store, author: () => string) {
    this.#pool = pool;
    this.#store = store;
    this.#author = author;
  }

  async open(modelId: string, number: number | null): Promise<void> {
    const model = await this.#store.get('models', modelId);
    this.notFound = !model;
    if (!model) return;
    const versions = await listModelVersions(this.#store, modelId);
    const version = versions.find((v) => v.number === number) ?? versions.at(-1) ?? null;
    const data = await labelDataVersions(
      this.#store,
      versions.map((v) => v.datasetVersionId),
    );
    if (this.version?.id !== version?.id) {
      this.curve.reset();
      this.reproduce.reset();
      this.verify.reset();
    }
    this.model = model;
    this.versions = versions;
    this.version = version;
    this.data = data;
    this.events = await modelEvents(this.#store, modelId);
  }

  /** Moves an alias to a version, or removes it; the reason goes into the event. */
  async setAlias(
    alias: string,
    version: ModelVersionRecord | null,
    move: AliasMove,
    reason: string,
  ): Promise<void> {
    const model = this.model;
    if (!model) return;
    this.model = await moveAlias(this.#store, this.#author(), model, alias, version, move, reason);
    this.events = await modelEvents(this.#store, model.id);
  }

  dataLabel(v: ModelVersionRecord): string {
    return this.data.get(v.datasetVersionId)?.label ?? 'data not in this browser';
  }

  /** Where the open version was made by another trainer or tree library than the running one. */
  get differences(): VersionDifference[] {
    return this.version ? environmentDifferences(this.version.libraryVersions) : [];
  }

  async #content(v: ModelVersionRecord) {
    const dv = this.data.get(v.datasetVersionId)?.version;
    if (!dv)
      throw new StoreError(
        'The data this version was trained on is not in this browser (a version received by link or a partial backup brings its tree, not its rows). Restore a backup that holds the data to do this.',
      );
    return loadContent(this.#store, dv);
  }

  computeCurve(): Promise<CurvePoint[] | null> {
    const v = this.version;
    if (!v) return Promise.resolve(null);
    return this.curve.run(async (signal, progress) => {
      const content = await this.#content(v);
      const plan = { ...v.evaluation, seed: v.seed };
      return this.#pool.run(
        (api) => api.learningCurve(content, v.hyperparameters, plan, v.metric, proxy(progress)),
        { signal },
      );
    });
  }

  /** Retrains from the stored data, settings and seed, and says whether the tree is identical. */
  reproduceVersion(): Promise<ReproduceReport | null> {
    const v = this.version;
    if (!v) return Promise.resolve(null);
    return this.reproduce.run(async (signal, progress) => {
      const content = await this.#content(v);
      const spec = {
        params: v.hyperparameters,
        plan: { ...v.evaluation, seed: v.seed },
        metric: v.metric,
      };
      const r = await this.#pool.run((api) => api.train(content, spec, proxy(progress)), {
        signal,
      });
      const agree = r.holdoutPredictions.filter((p, i) => p === v.holdout.predictions[i]).length;
      return {
        identical: sameTree(r.tree, v.tree),
        predictionsAgree: agree,
        total: v.holdout.predictions.length,
      };
    });
  }

  /** Re-runs the version's stored tree on its stored hold-out rows and counts agreement. */
  reverify(): Promise<VerifyReport | null> {
    const v = this.version;
    if (!v) return Promise.resolve(null);
    return this.verify.run(async (signal) => {
      const content = await this.#content(v);
      const predicted = await this.#pool.run(
        (api) => api.predictRows(content, v.tree, v.encoding, v.holdout.rows),
        { signal },
      );
      const agree = predicted.filter((p, i) => p === v.holdout.predictions[i]).length;
      return { agree, total: v.holdout.predictions.length };
    });
  }

  async annotate(note: string, tags: string[]): Promise<void> {
    const { model, version } = this;
    if (!model || !version) return;
    this.model = await annotateVersion(this.#store, this.#author(), model, version, { note, tags });
  }

  /** Writes what the model is for (the card's first section). */
  async describe(text: string): Promise<void> {
    if (!this.model) return;
    this.model = await setIntendedUse(this.#store, this.#author(), this.model, text);
  }

  /** The open version's model card. */
  async card(): Promise<ModelCard | null> {
    const { model, version: v } = this;
    if (!model || !v) return null;
    const { versionCard } = await import('./exports');
    return versionCard(
      this.#store,
      model,
      v,
      this.versions.find((p) => p.id === v.parentId) ?? null,
    );
  }

  /** A link that carries the open version (its tree, encoding, settings and scores). */
  async shareLink(): Promise<string | null> {
    const { model, version } = this;
    if (!model || !version) return null;
    const payload = await shareLink({
      model: { id: model.id, name: model.name, task: model.task, metric: model.metric },
      version,
    });
    return `${location.origin}${location.pathname}${location.search}${hrefFor('shared', [payload])}`;
  }

  /** The open version as an ONNX model (the writer is loaded on first use). */
  async onnx(): Promise<Uint8Array | null> {
    const { model, version: v } = this;
    if (!model || !v) return null;
    const { versionOnnx } = await import('./exports');
    return versionOnnx(model, v);
  }
}
