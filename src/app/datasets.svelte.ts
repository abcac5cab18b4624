import { proxy } from 'comlink';
import type { DatasetContent } from '../core/data/content';
import type { RowFilter } from '../core/data/derive';
import { markTarget, type ColumnSuggestion } from '../core/data/infer';
import { DEFAULT_MISSING_TOKENS } from '../core/data/cells';
import type { BuiltVersion, Derivation, Inspection } from '../core/data/pipeline';
import type { Sample } from '../core/data/samples';
import type { ColumnSchema, DatasetRecord, DatasetVersionRecord, Task } from '../core/records';
import {
  listVersions,
  loadContent,
  saveDerived,
  saveImport,
  type SaveResult,
} from '../store/datasets';
import type { Store } from '../store/db';
import { modelsTrainedOn } from '../store/models';
import { Job } from './job.svelte';
import type { ComputePool } from './workers';

export type { SaveResult };

/** What the person is told after a save: stored, or already there. */
export function describeSave(r: SaveResult, datasetName: string): string {
  if (r.saved) return `Saved as ${datasetName} v${r.version.number}.`;
  const where = r.dataset ? `${r.dataset.name} v${r.existing.number}` : 'an earlier version';
  return `This exact data is already stored as ${where}, so nothing new was saved.`;
}

export interface DatasetSummary {
  dataset: DatasetRecord;
  versions: DatasetVersionRecord[];
}

/** Every dataset with its versions, newest dataset first. */
export class DataLibrary {
  readonly #store: Store;
  items = $state.raw<DatasetSummary[]>([]);

  constructor(store: Store) {
    this.#store = store;
  }

  /** A data version by id, with its dataset's name and the label "iris v2"; null if not stored. */
  find(
    versionId: string | null,
  ): { version: DatasetVersionRecord; name: string; label: string } | null {
    for (const item of this.items) {
      const version = item.versions.find((v) => v.id === versionId);
      if (version)
        return {
          version,
          name: item.dataset.name,
          label: `${item.dataset.name} v${version.number}`,
        };
    }
    return null;
  }

  async refresh(): Promise<void> {
    const datasets = await this.#store.getAll('datasets');
    const items = await Promise.all(
      datasets.map(async (dataset) => ({
        dataset,
        versions: await listVersions(this.#store, dataset.id),
      })),
    );
    this.items = items.sort((a, b) => b.dataset.createdAt.localeCompare(a.dataset.createdAt));
  }
}

function tokens(text: string): string[] {
  return text.split(',').map((t) => t.trim());
}

/** The import of one file or sample: inspect, let the person adjust the schema, save. */
export class ImportFlow {
  readonly #pool: ComputePool;
  readonly #store: Store;
  readonly #author: () => string;
  readonly job = new Job<Inspection | SaveResult>();
  input = $state.raw<{ blob: Blob; fileName: string; sample: Sample | null } | null>(null);
  missingText = $state(DEFAULT_MISSING_TOKENS.map((t) => (t === '' ? '(empty)' : t)).join(', '));
  inspection = $state.raw<Inspection | null>(null);
  columns = $state<ColumnSuggestion[]>([]);
  task = $state<Task>('classification');
  strayAsMissing = $state<string[]>([]);
  name = $state('');
  description = $state('');
  result = $state.raw<SaveResult | null>(null);
  message = $state<string | null>(null);

  constructor(pool: ComputePool, store: Store, author: () => string) {
    this.#pool = pool;
    this.#store = store;
    this.#author = author;
  }

  get missingTokens(): string[] {
    return tokens(this.missingText).map((t) => (t === '(empty)' ? '' : t));
  }

  async chooseFile(file: File): Promise<void> {
    this.#reset();
    this.input = { blob: file, fileName: file.name, sample: null };
    this.name = file.name.replace(/\.[^.]+$/, '');
    await this.inspect();
  }

  async chooseSample(sample: Sample): Promise<void> {
    this.#reset();
    const response = await fetch(`${import.meta.env.BASE_URL}${sample.file}`).catch(() => null);
    if (!response?.ok) {
      this.message = `The sample "${sample.name}" could not be loaded${response ? ` (${response.status})` : ''}. Reload the page while online once, so Orpheus can keep its samples for offline use, then try again.`;
      return;
    }
    this.input = { blob: await response.blob(), fileName: sample.file.split('/').pop()!, sample };
    this.name = sample.name;
    this.description = sample.description;
    await this.inspect();
  }

  #reset(): void {
    this.job.cancel();
    this.inspection = null;
    this.columns = [];
    this.strayAsMissing = [];
    this.result = null;
    this.message = null;
    this.description = '';
  }

  /** Parses the chosen input in a worker and suggests a schema. */
  async inspect(): Promise<void> {
    const input = this.input;
    if (!input) return;
    const options = {
      fileName: input.fileName,
      missingTokens: this.missingTokens,
      ...(input.sample ? { preferredTarget: input.sample.target } : {}),
    };
    const r = (await this.job.run((signal, progress) =>
      this.#pool.run((api) => api.inspect(input.blob, options, proxy(progress)), { signal }),
    )) as Inspection | null;
    if (!r) return;
    this.inspection = r;
    this.columns = r.suggestion.columns.map((c) => ({ ...c }));
    this.task = input.sample?.task ?? r.suggestion.task;
  }

  setTarget(name: string): void {
    markTarget(this.columns, name);
  }

  get canSave(): boolean {
    return this.inspection !== null && !this.job.running && this.name.trim().length > 0;
  }

  /** Builds the version in a worker (encode, hash, profile) and stores it. */
  async save(): Promise<SaveResult | null> {
    const input = this.input;
    if (!input || !this.inspection) return null;
    const schema: ColumnSchema[] = this.columns.map(({ name, type, role }) => ({
      name,
      type,
      role,
    }));
    const choice = { schema, task: this.task, strayAsMissing: [...this.strayAsMissing] };
    const options = { fileName: input.fileName, missingTokens: this.missingTokens };
    const name = this.name.trim();
    const source = input.sample
      ? `sample: ${input.sample.name} (${input.sample.source} Licence: ${input.sample.licence})`
      : `file: ${input.fileName}`;
    const r = (await this.job.run(async (signal, progress) => {
      const built = await this.#pool.run(
        (api) => api.build(input.blob, options, choice, proxy(progress)),
        {
          signal,
        },
      );
      return saveImport(
        this.#store,
        this.#author(),
        { name, description: this.description, source },
        built,
      );
    })) as SaveResult | null;
    if (r) {
      this.result = r;
      this.message = describeSave(r, name);
    }
    return r;
  }
}

/** One dataset's page: its versions, the chosen version's profile and rows, new versions. */
export class DatasetView {
  readonly #pool: ComputePool;
  readonly #store: Store;
  readonly #author: () => string;
  readonly job = new Job<SaveResult>();
  readonly loading = new Job<DatasetContent>();
  dataset = $state.raw<DatasetRecord | null>(null);
  versions = $state.raw<DatasetVersionRecord[]>([]);
  version = $state.raw<DatasetVersionRecord | null>(null);
  children = $state.raw<DatasetVersionRecord[]>([]);
  /** The model versions trained on the open version, with their model's name. */
  models = $state.raw<{ modelId: string; name: string; number: number }[]>([]);
  content = $state.raw<DatasetContent | null>(null);
  message = $state<string | null>(null);
  notFound = $state(false);

  constructor(pool: ComputePool, store: Store, author: () => string) {
    this.#pool = pool;
    this.#store = store;
    this.#author = author;
  }

  /** Opens a dataset at a version (its latest when none is named). */
  async open(datasetId: string, versionId: string | null): Promise<void> {
    const dataset = await this.#store.get('datasets', datasetId);
    this.notFound = !dataset;
    if (!dataset) return;
    const versions = await listVersions(this.#store, datasetId);
    const found = versions.find((v) => v.id === versionId) ?? versions.at(-1) ?? null;
    // Versions never change: the same id keeps the same object, so views need not reset.
    const version = found && this.version?.id === found.id ? this.version : found;
    if (this.version?.id !== version?.id) this.content = null;
    this.dataset = dataset;
    this.versions = versions;
    this.version = version;
    this.children = version ? versions.filter((v) => v.parentId === version.id) : [];
    this.models = version ? await modelsTrainedOn(this.#store, version.id) : [];
  }

  versionById(id: string | null): DatasetVersionRecord | undefined {
    return this.versions.find((v) => v.id === id);
  }

  /** Loads the rows of the current version (for the viewer and for new versions). */
  async rows(): Promise<DatasetContent | null> {
    const v = this.version;
    if (!v) return null;
    if (this.content) return this.content;
    const content = await this.loading.run(() => loadContent(this.#store, v));
    if (content && this.version?.id === v.id) this.content = content;
    return content;
  }

  async #derive(how: Derivation, source: string): Promise<SaveResult | null> {
    const parent = this.version;
    const dataset = this.dataset;
    if (!parent || !dataset) return null;
    this.message = null;
    const r = await this.job.run(async (signal, progress) => {
      const content = this.content ?? (await loadContent(this.#store, parent));
      const built: BuiltVersion = await this.#pool.run(
        (api) => api.derive(content, how, proxy(progress)),
        {
          signal,
        },
      );
      return saveDerived(this.#store, this.#author(), parent, built, source);
    });
    if (r) {
      await this.open(dataset.id, r.saved ? r.version.id : r.existing.id);
      this.message = describeSave(r, dataset.name);
    }
    return r;
  }

  appendFile(file: File, missingTokens: string[]): Promise<SaveResult | null> {
    return this.#derive(
      { kind: 'append', input: file, parse: { fileName: file.name, missingTokens } },
      `rows appended from file: ${file.name}`,
    );
  }

  changeSchema(
    schema: ColumnSchema[],
    task: Task,
    strayAsMissing: string[],
  ): Promise<SaveResult | null> {
    // Plain copies: reactive proxies from a form cannot cross to a worker.
    const plain = schema.map(({ name, type, role }) => ({ name, type, role }));
    return this.#derive(
      { kind: 'schema', schema: plain, task, strayAsMissing: [...strayAsMissing] },
      'schema edited',
    );
  }

  filter(filter: RowFilter): Promise<SaveResult | null> {
    return this.#derive({ kind: 'filter', filter }, 'rows filtered');
  }
}
