/** A model's page: its history, one version in full, and what can be done with it. */
import { proxy } from 'comlink';
import type { EventRecord, ModelRecord, ModelVersionRecord, Params } from '../core/records';
import { type CurvePoint } from '../core/train/evaluate';
import type { PermutationResult } from '../core/train/permutation';
import type { ClassifierOutputs } from '../core/train/curves';
import { sweepValues, type ValidationPoint } from '../core/train/validation';
import type { RowsExplained } from '../core/explain/global';
import { cellText } from '../core/data/content';
import { matrixFor } from '../core/data/matrix';
import type { Criterion } from '../core/learners/tree/cart';
import { learnerFor } from '../core/learners/registry';
import { predictorOf } from '../core/predict/predict';
import { rowsWithTarget } from '../core/predict/score';
import { labelDataVersions, loadContent, type DataLabel } from '../store/datasets';
import type { Store } from '../store/db';
import { StoreError } from '../store/errors';
import {
  annotateVersion,
  setIntendedUse,
  modelEvents,
  moveAlias,
  type AliasMove,
  listModelVersions,
  saveNextVersion,
  type VersionDraft,
} from '../store/models';
import type { ModelCard } from '../core/export/card';
import { shareLink } from '../core/export/share';
import { hrefFor } from './routes';
import { BoundaryView } from './boundaryView.svelte';
import { Job, type Progress } from './job.svelte';
import { environment, environmentDifferences, type VersionDifference } from './training';
import { allOnPool, trainOnPool, type ComputePool } from './workers';

export interface ReproduceReport {
  identical: boolean;
  predictionsAgree: number;
  total: number;
}

/** The hold-out rows of one confusion-matrix cell: true class `truth`, predicted `predicted`. */
export interface CellRows {
  truth: number;
  predicted: number;
  /** The feature names, in the order of each row's cells. */
  columns: string[];
  rows: {
    /** The row's number in the data version (1 is the first). */
    row: number;
    cells: (string | null)[];
    /** The row encoded as the model reads it. */
    x: number[];
    /** Its probabilities (or decision values) once the hold-out outputs are computed. */
    scores: number[] | null;
  }[];
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
  readonly permutation = new Job<PermutationResult>();
  /** A classifier's outputs on its hold-out rows, and cross-validated on its training rows. */
  readonly holdoutOutputs = new Job<ClassifierOutputs>();
  readonly foldOutputs = new Job<ClassifierOutputs & { foldSizes: number[] }>();
  /** "Save with this threshold": the new version. */
  readonly thresholdSave = new Job<ModelVersionRecord>();
  /** A validation curve: the setting swept and its points. */
  readonly validation = new Job<{ name: string; points: ValidationPoint[] }>();
  /** Each feature's contributions over the hold-out rows; null for a family without a method. */
  readonly explanation = new Job<RowsExplained | null>();
  /** The rows behind a confusion-matrix cell of the hold-out. */
  readonly cell = new Job<CellRows>();
  readonly reproduce = new Job<ReproduceReport>();
  readonly verify = new Job<VerifyReport>();
  /** The decision boundary over two features of the open version. */
  readonly boundary: BoundaryView;
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
    this.boundary = new BoundaryView(pool, (v) => this.#content(v));
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
      this.permutation.reset();
      this.holdoutOutputs.reset();
      this.foldOutputs.reset();
      this.validation.reset();
      this.explanation.reset();
      this.cell.reset();
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
    return this.version
      ? environmentDifferences(this.version.libraryVersions, this.version.family)
      : [];
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
        (api) =>
          api.learningCurve(content, v.family, v.hyperparameters, plan, v.metric, proxy(progress)),
        { signal },
      );
    });
  }

  /** What the version says (probabilities or decision values) for each of its hold-out rows. */
  computeHoldoutOutputs(): Promise<ClassifierOutputs | null> {
    const v = this.version;
    if (!v) return Promise.resolve(null);
    return this.holdoutOutputs.run(async (signal) => {
      const content = await this.#content(v);
      return this.#pool.run(
        (api) => api.classifierOutputs(content, predictorOf(v), v.holdout.rows),
        {
          signal,
        },
      );
    });
  }

  /**
   * Cross-validated outputs: the version's settings refitted on its own folds, each training
   * row predicted by the fit that did not see it.
   */
  computeFoldOutputs(): Promise<(ClassifierOutputs & { foldSizes: number[] }) | null> {
    const v = this.version;
    if (!v) return Promise.resolve(null);
    return this.foldOutputs.run((signal, progress) => this.#outOfFold(v, signal, progress));
  }

  /** The version's settings refitted on its own folds, in a worker: each training row's outputs. */
  async #outOfFold(
    v: ModelVersionRecord,
    signal: AbortSignal,
    progress: Progress,
  ): Promise<ClassifierOutputs & { foldSizes: number[] }> {
    const content = await this.#content(v);
    const plan = { ...v.evaluation, seed: v.seed };
    return this.#pool.run(
      (api) => api.outOfFold(content, v.family, v.hyperparameters, plan, proxy(progress)),
      { signal },
    );
  }

  /**
   * Saves the open version again with a decision threshold as its only change: the next version
   * of the model, recording the threshold, the version it is made from, the rows it was chosen
   * on and the costs. Its hold-out scores are those of the thresholded decisions; its
   * cross-validated scores too, from the version's settings refitted on its own folds.
   */
  saveWithThreshold(
    threshold: number,
    chosenOn: 'hold-out' | 'cross-validated',
    costs: { fp: number; fn: number },
  ): Promise<ModelVersionRecord | null> {
    const { version: v, model } = this;
    if (!v || !model) return Promise.resolve(null);
    return this.thresholdSave.run(async (signal, progress) => {
      const holdout = this.holdoutOutputs.result;
      if (v.encoding.classes?.length !== 2 || !holdout?.probabilities)
        throw new StoreError(
          'Only a version of two classes with probabilities can decide by a threshold.',
        );
      const folds = this.foldOutputs.result ?? (await this.#outOfFold(v, signal, progress));
      const { thresholdedFolds, thresholdedScores } = await import('../core/train/threshold');
      const decided = thresholdedScores(holdout, threshold);
      // Everything of the version but what the store gives each version of its own.
      const rest: Partial<ModelVersionRecord> = { ...v };
      for (const k of ['id', 'modelId', 'number', 'parentId', 'author', 'createdAt'] as const)
        delete rest[k];
      const saved = await saveNextVersion(this.#store, this.#author(), model, {
        ...(rest as VersionDraft),
        scores: { cv: thresholdedFolds(folds, threshold), holdout: decided.scores },
        holdout: { rows: v.holdout.rows, predictions: decided.predictions },
        // The scores are the refit's on the version's folds, not a search's selection.
        search: null,
        environment: environment(),
        decision: { threshold, from: v.id, chosenOn, costs },
      });
      return saved;
    });
  }

  /**
   * Sweeps one setting over its search range (10 values), the others as the version has them:
   * the training and cross-validated score at each value, one worker job per value.
   */
  computeValidation(name: string): Promise<{ name: string; points: ValidationPoint[] } | null> {
    const v = this.version;
    const d = v
      ? learnerFor(v.family).defaultSpace(v.encoding.classes ? 'classification' : 'regression')[
          name
        ]
      : undefined;
    if (!v || !d) return Promise.resolve(null);
    return this.validation.run(async (signal, progress) => {
      const content = await this.#content(v);
      const learner = learnerFor(v.family);
      const plan = { ...v.evaluation, seed: v.seed };
      const values = sweepValues(d);
      const points = await allOnPool(
        this.#pool,
        signal,
        values.map((value) => {
          const params = learner.withParams({ [name]: value }, v.hyperparameters as never);
          return (api) =>
            api.validationPoint(content, v.family, params as Params, plan, v.metric, value);
        }),
        progress,
      );
      return { name, points };
    });
  }

  /** The hold-out rows whose true class is `truth` and whose prediction is `predicted`, with their inputs. */
  showCell(truth: number, predicted: number): Promise<CellRows | null> {
    const v = this.version;
    if (!v) return Promise.resolve(null);
    return this.cell.run(async () => {
      const content = await this.#content(v);
      const m = matrixFor(content, v.encoding);
      const kept = rowsWithTarget(content, v.encoding.target);
      const names = v.encoding.features.map((f) => f.name);
      const at = names.map((n) => content.schema.findIndex((c) => c.name === n));
      const outputs = this.holdoutOutputs.result;
      const width = outputs ? (outputs.probabilities ? outputs.classes : outputs.width) : 0;
      const source = outputs?.probabilities ?? outputs?.decision ?? null;
      const rows: CellRows['rows'] = [];
      v.holdout.rows.forEach((r, k) => {
        if (m.y[r] !== truth || v.holdout.predictions[k] !== predicted) return;
        rows.push({
          row: kept[r]! + 1,
          cells: at.map((ci) => (ci < 0 ? null : cellText(content.columns[ci]!, kept[r]!))),
          x: Array.from(m.x.subarray(r * m.features, (r + 1) * m.features)),
          scores: source ? source.slice(k * width, (k + 1) * width) : null,
        });
      });
      return { truth, predicted, columns: names, rows };
    });
  }

  /** Each feature's contribution to the version's output for class `c` on its hold-out rows. */
  computeExplanation(c: number): Promise<RowsExplained | null> {
    const v = this.version;
    if (!v) return Promise.resolve(null);
    return this.explanation.run(async (signal, progress) => {
      const content = await this.#content(v);
      return this.#pool.run(
        (api) => api.explainRows(content, predictorOf(v), v.holdout.rows, c, proxy(progress)),
        { signal },
      );
    });
  }

  /** Shuffles each feature among the version's hold-out rows and measures the drop in its score. */
  computePermutation(): Promise<PermutationResult | null> {
    const v = this.version;
    if (!v) return Promise.resolve(null);
    return this.permutation.run(async (signal, progress) => {
      const content = await this.#content(v);
      return this.#pool.run(
        (api) =>
          api.permutationImportance(
            content,
            predictorOf(v),
            v.holdout.rows,
            v.metric,
            v.seed,
            proxy(progress),
          ),
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
      if (v.grown) {
        // A tree grown by hand is rebuilt from its splits, on the same training rows.
        const splits = v.grown.splits;
        const r = await this.#pool.run(
          (api) =>
            api.growReport(content, {
              plan: { ...v.evaluation, seed: v.seed },
              criterion: v.hyperparameters['criterion'] as Criterion,
              splits,
              focus: '',
            }),
          { signal },
        );
        return {
          identical: learnerFor(v.family).same(r.tree, v.fitted),
          predictionsAgree: r.holdoutPredictions.filter((p, i) => p === v.holdout.predictions[i])
            .length,
          total: v.holdout.predictions.length,
        };
      }
      const spec = {
        family: v.family,
        params: v.hyperparameters,
        plan: { ...v.evaluation, seed: v.seed },
        metric: v.metric,
      };
      const r = await trainOnPool(this.#pool, content, spec, signal, progress);
      // A version with a decision threshold decides by it: the retrained model does too.
      const decided = v.decision
        ? await this.#pool.run(
            (api) =>
              api.predictRows(
                content,
                predictorOf({
                  family: v.family,
                  fitted: r.fitted,
                  encoding: v.encoding,
                  decision: v.decision,
                }),
                v.holdout.rows,
              ),
            { signal },
          )
        : r.holdoutPredictions;
      const agree = decided.filter((p, i) => p === v.holdout.predictions[i]).length;
      return {
        identical: learnerFor(v.family).same(r.fitted, v.fitted),
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
        (api) => api.predictRows(content, predictorOf(v), v.holdout.rows),
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
