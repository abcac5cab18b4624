/** The Train screen's state: `train(data, model)` in its four cases, run in a worker. */
import type { DatasetVersionRecord, ModelRecord, ModelVersionRecord, Task } from '../core/records';
import { newSeed } from '../core/random';
import { DEFAULT_PLAN, type EvaluationPlan } from '../core/train/evaluate';
import { defaultMetric, type TrainResult } from '../core/train/model';
import { adaptParams, DEFAULT_FAMILY, learnerFor } from '../core/learners/registry';
import type { Params } from '../core/records';
import { defaultTrials, searchFamilies } from '../core/search/families';
import { NO_PRUNING } from '../core/search/pruning';
import { acrossFamilies, ANY_FAMILY } from '../core/search/space';
import { METRICS, type MetricName } from '../core/train/metrics';
import { scenarioFor, type Scenario } from '../core/train/scenario';
import { loadContent } from '../store/datasets';
import type { Store } from '../store/db';
import { StoreError } from '../store/errors';
import { listModelVersions, versionsTrainedOn } from '../store/models';
import { Job, type Progress } from './job.svelte';
import { saveVersion } from './saveVersion';
import type { StudyRun } from './studyRun.svelte';
import { versionDraft } from './training';
import { trainOnPool, type ComputePool } from './workers';
import type { ModelLibrary } from './modelLibrary.svelte';
import type { LessonModel } from './lesson.svelte';

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
  /** Room left in this browser's store, when the browser says. */
  readonly #freeBytes: () => number | null;
  /** The chosen data's dataset name, for the suggested model name. */
  #datasetName = '';
  /** The family of a new model (an existing model's versions keep theirs). */
  family = $state(DEFAULT_FAMILY);
  params = $state<Params>(learnerFor(DEFAULT_FAMILY).defaults('classification'));
  folds = $state(DEFAULT_PLAN.folds);
  testFraction = $state(DEFAULT_PLAN.testFraction);
  seed = $state(newSeed());
  metric = $state<MetricName>('accuracy');
  /**
   * New data + new model: the search chooses the family too (every family the data allows, as
   * the Search screen derives them); when false, it tunes `family` only.
   */
  auto = $state(true);
  /** The automatic search stops after a number of trials or after some minutes. */
  budgetKind = $state<'trials' | 'minutes'>('trials');
  budgetTrials = $state(AUTO_SEARCH_TRIALS);
  budgetMinutes = $state(AUTO_SEARCH_MINUTES);
  /**
   * The settings a lesson sets for new models (null outside one): a new model is trained with
   * them instead of searched for, and a person cannot change them when they are fixed.
   */
  lessonModel = $state.raw<LessonModel | null>(null);

  constructor(
    pool: ComputePool,
    store: Store,
    author: () => string,
    library: ModelLibrary,
    search: StudyRun,
    freeBytes: () => number | null = () => null,
  ) {
    this.#freeBytes = freeBytes;
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
    const scenario = scenarioFor({
      dataVersionId: this.data.id,
      modelTrainedOn: this.model ? this.modelVersions.map((v) => v.datasetVersionId) : null,
      versionsOnData: this.onData.length,
    });
    // A lesson's settings are trained as they are: nothing is searched.
    return scenario === 'search-new' && this.lessonModel ? 'train-new' : scenario;
  }

  /** Takes a lesson's settings (null: none); a new model starts from them. */
  useLesson(model: LessonModel | null): void {
    if (model === this.lessonModel) return;
    this.lessonModel = model;
    if (model && !this.model) this.#lessonSettings(model);
  }

  #lessonSettings(model: LessonModel): void {
    const followed = this.#followsSuggestion();
    this.family = model.family;
    this.params = { ...model.params };
    this.auto = false;
    if (followed)
      this.newName = this.#freeName(`${this.#datasetName} ${learnerFor(model.family).noun}`);
  }

  /** Whether the settings of a new model are the lesson's, and cannot be changed. */
  get settingsFixed(): boolean {
    return !this.model && this.lessonModel?.fixed === true;
  }

  /** The new-data + new-model case searches across families. */
  get searchesFamilies(): boolean {
    return this.auto && this.scenario === 'search-new';
  }

  /** Why training cannot start, or null. */
  get problem(): string | null {
    if (!this.data) return 'Choose a data version to train on.';
    if (this.model && this.model.task !== this.data.task)
      return `The model "${this.model.name}" does ${this.model.task}, but this data version is set up for ${this.data.task}. Choose another model, or a new one.`;
    if (this.scenario === 'search-new') {
      const budget = this.budgetProblem();
      if (budget) return budget;
    }
    // The model of a search across families is named after the family it picks.
    if (this.searchesFamilies) return null;
    const name = this.newName.trim();
    if (!this.model && !name) return 'Give the new model a name.';
    if (!this.model && this.#library.items.some((m) => m.model.name === name))
      return `A model named "${name}" exists already: choose it as the model to retrain, or give the new one another name.`;
    return this.#sizeProblem();
  }

  budgetProblem(): string | null {
    if (this.budgetKind === 'trials') {
      const n = this.budgetTrials;
      return Number.isInteger(n) && n >= 1 && n <= 5000
        ? null
        : 'The number of trials must be a whole number from 1 to 5,000.';
    }
    const m = this.budgetMinutes;
    return Number.isFinite(m) && m >= 0.1 && m <= 1440
      ? null
      : 'The time for the search must be from 0.1 to 1,440 minutes.';
  }

  /** A model that could take more room than the browser has left is refused before training. */
  #sizeProblem(): string | null {
    const data = this.data;
    const learner = learnerFor(this.family);
    const free = this.#freeBytes();
    if (!data || !learner.estimateBytes || free === null) return null;
    const classes = data.profile.classBalance?.length ?? 0;
    const bytes = learner.estimateBytes($state.snapshot(this.params), data.rowCount, classes);
    if (bytes <= free) return null;
    const mb = (n: number) => `${Math.ceil(n / 1e6).toLocaleString('en')} MB`;
    return `This ${learner.label.toLowerCase()} could take up to ${mb(bytes)}, and this browser has ${mb(free)} left for Orpheus. Use fewer trees, a max depth or more rows per leaf, or make room (Settings shows what is stored).`;
  }

  get latest(): ModelVersionRecord | null {
    return this.modelVersions.at(-1) ?? null;
  }

  /** The chosen model's latest version trained on the chosen data version, if any. */
  get onChosenData(): ModelVersionRecord | null {
    const id = this.data?.id;
    return this.modelVersions.findLast((v) => v.datasetVersionId === id) ?? null;
  }

  async chooseData(version: DatasetVersionRecord | null, datasetName = ''): Promise<void> {
    this.data = version;
    this.onData = null;
    this.job.reset();
    if (!version) return;
    if (!this.model) {
      this.metric = defaultMetric(version.task, version.profile);
      this.params = adaptParams(this.family, this.params, version.task);
      if (this.lessonModel) this.#lessonSettings(this.lessonModel);
      // A suggested name follows the data ("Iris tree" → "Palmer penguins tree"); a typed one stays.
      const follows = this.newName.trim() === '' || this.#followsSuggestion();
      if (datasetName) this.#datasetName = datasetName;
      if (follows && datasetName)
        this.newName = this.#freeName(`${datasetName} ${learnerFor(this.family).noun}`);
    }
    const onData = await versionsTrainedOn(this.#store, version.id);
    if (this.data?.id === version.id) this.onData = onData;
  }

  /** Chooses the family of a new model: its default settings for the chosen data's task. */
  chooseFamily(family: string): void {
    if (this.settingsFixed) return;
    // A suggested name follows the family ("Iris tree" → "Iris forest"); a typed one stays.
    const followed = this.#followsSuggestion();
    this.family = family;
    this.params = learnerFor(family).defaults(this.data?.task ?? 'classification');
    if (followed) this.newName = this.#freeName(`${this.#datasetName} ${learnerFor(family).noun}`);
  }

  /** Whether the new model's name is the one suggested for the data and family (or it numbered). */
  #followsSuggestion(): boolean {
    const suggested = `${this.#datasetName} ${learnerFor(this.family).noun}`;
    const name = this.newName.trim();
    return (
      this.#datasetName !== '' &&
      (name === suggested ||
        (name.startsWith(`${suggested} `) && /^\d+$/.test(name.slice(suggested.length + 1))))
    );
  }

  /** `name`, or `name 2`, `name 3` … whichever no model has yet. */
  #freeName(name: string): string {
    const taken = this.#library.items.map((m) => m.model.name);
    if (!taken.includes(name)) return name;
    let i = 2;
    while (taken.includes(`${name} ${i}`)) i++;
    return `${name} ${i}`;
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
      if (this.lessonModel) this.#lessonSettings(this.lessonModel);
      // A new model needs a name of its own: the one just trained keeps its name.
      this.newName = this.#freeName(this.newName.trim());
      return;
    }
    const versions = await listModelVersions(this.#store, model.id);
    if (this.model?.id !== model.id) return;
    this.modelVersions = versions;
    this.metric = model.metric;
    const latest = versions.at(-1);
    if (latest) {
      this.family = latest.family;
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
    const family = this.family;
    const name = this.newName;
    const previous = this.latest;
    const search: AutoSearch = {
      family: this.auto ? ANY_FAMILY : family,
      name: this.auto ? `${this.#datasetName || 'Data'} search across families` : name,
      budget:
        this.budgetKind === 'trials'
          ? { trials: this.budgetTrials }
          : { ms: Math.round(this.budgetMinutes * 60_000) },
    };
    return this.job.run(async (signal, progress) => {
      let outcome: TrainOutcome;
      if (scenario === 'search-new') {
        outcome = await this.#searchNew(data, search, plan, metric, signal, progress);
      } else {
        const content = await loadContent(this.#store, data);
        const result: TrainResult = await trainOnPool(
          this.#pool,
          content,
          { family, params, plan, metric },
          signal,
          progress,
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
        const saved = await saveVersion(
          this.#store,
          this.#author(),
          model ? { model } : { newModel: { name, task: data.task, metric } },
          draft,
        );
        outcome = { scenario, ...saved, previous: model ? previous : null };
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
   * trial becomes v1 of the new model; across every family the data allows, or over one.
   */
  async #searchNew(
    data: DatasetVersionRecord,
    search: AutoSearch,
    plan: EvaluationPlan,
    metric: MetricName,
    signal: AbortSignal,
    progress: Progress,
  ): Promise<TrainOutcome> {
    const run = this.#search;
    if (run.active)
      throw new StoreError(
        'A search study is running on the Search screen: pause it there, or wait for it to finish.',
      );
    if (signal.aborted) throw new DOMException('The search was cancelled.', 'AbortError');
    const { family, budget } = search;
    const space =
      family === ANY_FAMILY
        ? acrossFamilies(
            Object.fromEntries(
              searchFamilies(data)
                .filter((f) => f.entered)
                .map((f) => [f.family, learnerFor(f.family).defaultSpace(data.task)]),
            ),
          )
        : learnerFor(family).defaultSpace(data.task);
    await run.start({
      name: search.name,
      datasetVersionId: data.id,
      family,
      space,
      sampler: 'tpe',
      gridPoints: 5,
      seed: plan.seed,
      metric,
      direction: METRICS[metric].higherIsBetter ? 'maximize' : 'minimize',
      budget: 'trials' in budget ? budget.trials : 5000,
      ...('ms' in budget ? { timeLimitMs: budget.ms } : {}),
      halving: NO_PRUNING,
      evaluation: { folds: plan.folds, testFraction: plan.testFraction },
      // Each family's defaults first: a good model early, whatever the budget.
      startWith: defaultTrials(space, family, data.task),
      modelId: null,
    });
    // Cancel stops the trials, and the training of the best if the search already ended; a
    // cancel while the study was being created takes effect as soon as it runs.
    const stop = (): void => {
      run.cancel();
      run.saving.cancel();
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop);
    const timer = setInterval(
      () =>
        'trials' in budget
          ? progress(run.done, budget.trials)
          : progress(Math.min(budget.ms, Math.round(run.spentMs())), budget.ms),
      200,
    );
    try {
      await run.settled();
    } finally {
      clearInterval(timer);
      signal.removeEventListener('abort', stop);
    }
    // A best version saved before the cancel took effect is kept, and said so.
    if (signal.aborted && !run.saving.result)
      throw new DOMException('The search was cancelled.', 'AbortError');
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

/** Trials the "new data + new model" case gives its automatic search, or minutes. */
export const AUTO_SEARCH_TRIALS = 30;
export const AUTO_SEARCH_MINUTES = 2;

interface AutoSearch {
  family: string;
  name: string;
  budget: { trials: number } | { ms: number };
}
