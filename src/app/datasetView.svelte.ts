/** One dataset at a version: its profile, rows, lineage, and new versions made from it. */
import { proxy } from 'comlink';
import { plainColumn, type DatasetContent } from '../core/data/content';
import type { RowFilter } from '../core/data/derive';
import type { RowsPreview } from '../core/data/rows';
import type { BuiltVersion, Derivation } from '../core/data/pipeline';
import type { ColumnSchema, DatasetRecord, DatasetVersionRecord, Task } from '../core/records';
import { listVersions, loadContent, saveDerived, type SaveResult } from '../store/datasets';
import type { Store } from '../store/db';
import { modelsTrainedOn } from '../store/models';
import { Job } from './job.svelte';
import type { ComputePool } from './workers';
import { describeSave } from './dataLibrary.svelte';

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
  readonly previewing = new Job<RowsPreview>();
  /** A file of rows chosen for the open version, and what it would do. */
  rowsFile = $state.raw<{ file: File; missingTokens: string[]; versionId: string } | null>(null);
  rowsPreview = $state.raw<RowsPreview | null>(null);
  /** A file brought from the import screen, to become a version of this dataset. */
  pending = $state.raw<{ datasetId: string; file: File; missingTokens: string[] } | null>(null);

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
    if (this.rowsFile && this.rowsFile.versionId !== version?.id) this.dropRows();
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

  /** Reads a file of rows and shows what appending it or taking it as the content would do. */
  async chooseRows(file: File, missingTokens: string[]): Promise<void> {
    const parent = this.version;
    if (!parent) return;
    this.message = null;
    this.rowsFile = null;
    this.rowsPreview = null;
    const r = await this.previewing.run(async (signal, progress) => {
      const content = this.content ?? (await loadContent(this.#store, parent));
      return this.#pool.run(
        (api) =>
          api.previewRows(content, file, { fileName: file.name, missingTokens }, proxy(progress)),
        { signal },
      );
    });
    if (r && this.version?.id === parent.id) {
      this.rowsFile = { file, missingTokens, versionId: parent.id };
      this.rowsPreview = r;
    }
  }

  /** Drops the chosen file of rows without saving anything. */
  dropRows(): void {
    this.previewing.cancel();
    this.rowsFile = null;
    this.rowsPreview = null;
  }

  /** Appends the chosen file's rows, leaving out repeated ones when asked. */
  appendRows(skipRepeats: boolean): Promise<SaveResult | null> {
    const chosen = this.rowsFile;
    if (!chosen) return Promise.resolve(null);
    const { file, missingTokens } = chosen;
    return this.#derive(
      { kind: 'append', input: file, parse: { fileName: file.name, missingTokens }, skipRepeats },
      `rows appended from file: ${file.name}`,
    ).then((r) => this.#afterRows(r));
  }

  /** Takes the chosen file as the whole content of the next version. */
  replaceRows(): Promise<SaveResult | null> {
    const chosen = this.rowsFile;
    if (!chosen) return Promise.resolve(null);
    const { file, missingTokens } = chosen;
    return this.#derive(
      { kind: 'replace', input: file, parse: { fileName: file.name, missingTokens } },
      `file: ${file.name}`,
    ).then((r) => this.#afterRows(r));
  }

  #afterRows(r: SaveResult | null): SaveResult | null {
    if (r) {
      this.rowsFile = null;
      this.rowsPreview = null;
    }
    return r;
  }

  changeSchema(
    schema: ColumnSchema[],
    task: Task,
    strayAsMissing: string[],
  ): Promise<SaveResult | null> {
    const plain = schema.map(plainColumn);
    return this.#derive(
      { kind: 'schema', schema: plain, task, strayAsMissing: [...strayAsMissing] },
      'schema edited',
    );
  }

  filter(filter: RowFilter): Promise<SaveResult | null> {
    return this.#derive({ kind: 'filter', filter }, 'rows filtered');
  }
}
