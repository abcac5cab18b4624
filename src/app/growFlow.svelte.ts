/**
 * The Grow screen's state: a decision tree grown by hand on a data version, one split at a time
 * ("Next split", a split of one's own, back, autoplay), each step computed in a worker; saved
 * as v1 of a new tree model marked as grown by hand.
 */
import type { DatasetContent } from '../core/data/content';
import { decisionTree } from '../core/learners/tree';
import type { Criterion } from '../core/learners/tree/cart';
import {
  GROW_VERSION,
  growCriteria,
  type Candidate,
  type HandSplit,
} from '../core/learners/tree/grow';
import { newSeed } from '../core/random';
import type { DatasetVersionRecord, ModelRecord, ModelVersionRecord } from '../core/records';
import { DEFAULT_PLAN, type EvaluationPlan } from '../core/train/evaluate';
import type { GrowReport } from '../core/train/handGrown';
import { defaultMetric } from '../core/train/model';
import { loadContent } from '../store/datasets';
import type { Store } from '../store/db';
import type { VersionDraft } from '../store/models';
import { BoundaryView } from './boundaryView.svelte';
import { Job } from './job.svelte';
import { isoNow } from './time';
import { saveVersion } from './saveVersion';
import { environment, runningVersions } from './training';
import type { ComputePool } from './workers';
import type { ModelLibrary } from './modelLibrary.svelte';

/** How long autoplay waits between two splits, so each can be seen. */
export const AUTOPLAY_MS = 900;

export class GrowFlow {
  readonly #pool: ComputePool;
  readonly #store: Store;
  readonly #author: () => string;
  readonly #library: ModelLibrary;
  data = $state.raw<DatasetVersionRecord | null>(null);
  #content: DatasetContent | null = null;
  criterion = $state<Criterion>('gini');
  testFraction = $state(DEFAULT_PLAN.testFraction);
  seed = $state(newSeed());
  /** The tree: its splits in the order they were made. */
  splits = $state.raw<HandSplit[]>([]);
  /** Earlier trees, for Back. */
  #history: HandSplit[][] = [];
  canGoBack = $state(false);
  /** The node whose candidates are shown (a path: "" the root, "L", "LR" …). */
  focus = $state('');
  /** The feature whose every threshold is listed, while a person chooses a split of their own. */
  feature = $state<number | null>(null);
  /** "Next split" and autoplay stop above this depth (null: no limit). */
  maxDepth = $state<number | null>(null);
  report = $state.raw<GrowReport | null>(null);
  /** The splits the report is of (the tree may have changed since it was asked for). */
  #reportSplits: HandSplit[] = [];
  error = $state<string | null>(null);
  computing = $state(false);
  playing = $state(false);
  #playTimer: ReturnType<typeof setTimeout> | null = null;
  #asked = 0;
  newName = $state('');
  readonly save = new Job<{ model: ModelRecord; version: ModelVersionRecord }>();
  /** The tree so far as an unsaved version, for the decision boundary (a new one each step). */
  shown = $state.raw<ModelVersionRecord | null>(null);
  #step = 0;
  readonly boundary: BoundaryView;

  constructor(pool: ComputePool, store: Store, author: () => string, library: ModelLibrary) {
    this.#pool = pool;
    this.#store = store;
    this.#author = author;
    this.#library = library;
    this.boundary = new BoundaryView(pool, async () => {
      if (!this.#content) throw new Error('Choose a data version first.');
      return this.#content;
    });
  }

  get plan(): EvaluationPlan {
    return { folds: DEFAULT_PLAN.folds, testFraction: this.testFraction, seed: this.seed };
  }

  get regression(): boolean {
    return this.data?.task === 'regression';
  }

  /** Starts over on a data version (null: none chosen). */
  async choose(version: DatasetVersionRecord | null, datasetName: string): Promise<void> {
    this.stop();
    this.data = version;
    this.#content = null;
    this.report = null;
    this.error = null;
    this.save.reset();
    this.#reset();
    if (!version) return;
    this.criterion = growCriteria(version.task === 'regression')[0]!;
    this.newName = `${datasetName} tree grown by hand`;
    try {
      this.#content = await loadContent(this.#store, version);
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return;
    }
    if (this.data === version) await this.refresh();
  }

  #reset(): void {
    this.splits = [];
    this.#history = [];
    this.canGoBack = false;
    this.focus = '';
    this.feature = null;
  }

  /** Back to the root alone, with the current criterion and split of the rows. */
  startOver(): void {
    this.stop();
    // The root first: the request that follows asks for a node the new tree has.
    this.focus = '';
    this.feature = null;
    this.#change([]);
  }

  /** Another criterion or hold-out share: the tree starts over (its splits were judged by the old). */
  setup(change: { criterion?: Criterion; testFraction?: number; seed?: number }): void {
    if (change.criterion) this.criterion = change.criterion;
    if (change.testFraction !== undefined) this.testFraction = change.testFraction;
    if (change.seed !== undefined) this.seed = change.seed;
    this.stop();
    this.#reset();
    void this.refresh();
  }

  #change(splits: HandSplit[]): void {
    this.#history.push(this.splits);
    this.canGoBack = true;
    this.splits = splits;
    this.save.reset();
    void this.refresh();
  }

  /** Makes the best split of the next node (breadth first); false when nothing is left to split. */
  next(): boolean {
    const n = this.report?.next;
    if (!n || this.computing) return false;
    this.focus = n.node;
    this.feature = null;
    this.#change([...this.splits, n]);
    return true;
  }

  /** Undoes the last change. */
  back(): void {
    this.stop();
    const previous = this.#history.pop();
    this.canGoBack = this.#history.length > 0;
    if (!previous) return;
    this.splits = previous;
    if (!this.#isNode(previous, this.focus)) this.focus = '';
    this.save.reset();
    void this.refresh();
  }

  #isNode(splits: readonly HandSplit[], id: string): boolean {
    return id === '' || splits.some((s) => s.node === id.slice(0, -1));
  }

  /** Shows a node's candidates. */
  select(node: string): void {
    this.focus = node;
    this.feature = null;
    void this.refresh();
  }

  /** Lists every threshold of a feature at the focused node (null: the ranked candidates only). */
  pick(feature: number | null): void {
    this.feature = feature;
    void this.refresh();
  }

  /**
   * Splits the focused node with a candidate, replacing its split and what grew under it. A
   * split other than the node's best is marked as a person's own.
   */
  splitWith(c: Candidate): void {
    const node = this.focus;
    const best = this.report?.candidates[0];
    const own = !best || best.feature !== c.feature || best.threshold !== c.threshold;
    const kept = this.splits.filter((s) => !s.node.startsWith(node));
    this.#change([
      ...kept,
      { node, feature: c.feature, threshold: c.threshold, missingLeft: c.missingLeft, own },
    ]);
  }

  /** Makes the focused node a leaf again (its split and everything under it removed). */
  prune(): void {
    const node = this.focus;
    if (!this.splits.some((s) => s.node === node)) return;
    this.#change(this.splits.filter((s) => !s.node.startsWith(node)));
  }

  /** Computes the tree, its scores and the focused node's candidates (the newest request wins). */
  async refresh(): Promise<void> {
    const content = this.#content;
    if (!content) return;
    const asked = ++this.#asked;
    this.computing = true;
    const request = {
      plan: this.plan,
      criterion: this.criterion,
      splits: $state.snapshot(this.splits) as HandSplit[],
      focus: this.focus,
      feature: this.feature,
      maxDepth: this.maxDepth,
    };
    try {
      const report = await this.#pool.run((api) => api.growReport(content, request));
      if (asked !== this.#asked) return;
      this.report = report;
      this.#reportSplits = request.splits;
      this.error = null;
      const draft = this.draft();
      this.shown = draft
        ? {
            ...draft,
            id: `grow-${++this.#step}`,
            modelId: 'grow',
            number: 1,
            parentId: null,
            author: this.#author(),
            createdAt: isoNow(),
          }
        : null;
    } catch (e) {
      if (asked !== this.#asked) return;
      this.error = e instanceof Error ? e.message : String(e);
      this.stop();
    } finally {
      if (asked === this.#asked) this.computing = false;
    }
  }

  /** Autoplay: "Next split" every moment until nothing is left to split, or Stop. */
  play(): void {
    if (this.playing) return;
    this.playing = true;
    const step = async (): Promise<void> => {
      if (!this.playing) return;
      if (this.computing) await this.refresh();
      if (!this.playing) return;
      if (!this.next()) {
        this.stop();
        return;
      }
      this.#playTimer = setTimeout(() => void step(), AUTOPLAY_MS);
    };
    void step();
  }

  stop(): void {
    this.playing = false;
    if (this.#playTimer) clearTimeout(this.#playTimer);
    this.#playTimer = null;
  }

  /** The tree as a version records it (before the store numbers it). */
  draft(): VersionDraft | null {
    const r = this.report;
    const data = this.data;
    if (!r || !data) return null;
    const names = r.encoding.features.map((f) => f.name);
    const metric = defaultMetric(data.task, data.profile);
    const params = {
      ...decisionTree.defaults(data.task),
      criterion: this.criterion,
      maxDepth: Math.max(1, r.size.depth),
    };
    return {
      datasetVersionId: data.id,
      scenario: 'train-new',
      family: decisionTree.family,
      algorithm: 'orpheus-grown-by-hand',
      libraryVersions: { ...runningVersions(decisionTree.family), grow: GROW_VERSION },
      hyperparameters: params,
      evaluation: { folds: DEFAULT_PLAN.folds, testFraction: this.testFraction },
      metric,
      fitted: r.tree,
      encoding: r.encoding,
      preprocessing: decisionTree.preprocessing(r.encoding),
      modelParameters: {
        featuresUsed: r.featuresUsed.map((i) => names[i]!),
        importances: r.importances.map((v, i): [string, number] => [names[i]!, v]),
        size: { ...r.size },
      },
      // No cross-validation: the splits were chosen by a person looking at all training rows,
      // so there is no procedure to repeat on folds. The hold-out rows were never split on.
      scores: { cv: {}, holdout: r.holdout },
      holdout: { rows: r.holdoutRows, predictions: r.holdoutPredictions },
      trainRows: r.trainRows,
      droppedRows: r.droppedRows,
      trainingMs: 0,
      seed: this.seed,
      tags: decisionTree.capabilities(data.task, r.encoding.classes?.length ?? 0, params),
      environment: environment(),
      search: null,
      grown: { splits: this.#reportSplits },
    };
  }

  /** Saves the tree as v1 of a new model. */
  saveAsModel(): Promise<{ model: ModelRecord; version: ModelVersionRecord } | null> {
    const draft = this.draft();
    const data = this.data;
    if (!draft || !data) return Promise.resolve(null);
    return this.save.run(async () => {
      const saved = await saveVersion(
        this.#store,
        this.#author(),
        { newModel: { name: this.newName, task: data.task, metric: draft.metric } },
        draft,
      );
      await this.#library.refresh();
      return saved;
    });
  }
}
