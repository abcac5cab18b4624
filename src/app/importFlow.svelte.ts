/** Importing a file or a sample: inspect in a worker, the person adjusts the schema, build, save. */
import { proxy } from 'comlink';
import { markTarget, type ColumnSuggestion } from '../core/data/infer';
import { DEFAULT_MISSING_TOKENS } from '../core/data/cells';
import { plainColumn } from '../core/data/content';
import type { Inspection } from '../core/data/pipeline';
import type { Sample } from '../core/data/samples';
import type { ColumnSchema, Task } from '../core/records';
import { saveImport, type SaveResult } from '../store/datasets';
import type { Store } from '../store/db';
import { Job } from './job.svelte';
import type { ComputePool } from './workers';
import { describeSave, type DatasetSummary } from './dataLibrary.svelte';

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

  /** Datasets whose latest version has exactly the inspected file's columns (in any order). */
  sameColumns(items: readonly DatasetSummary[]): DatasetSummary[] {
    const names = this.inspection?.names;
    if (!names) return [];
    const want = [...names].sort().join('\u0000');
    return items.filter((item) => {
      const latest = item.versions.at(-1);
      return (
        latest &&
        latest.schema
          .map((c) => c.name)
          .sort()
          .join('\u0000') === want
      );
    });
  }

  /** The chosen input as a file, to be read again as rows of an existing dataset. */
  get asFile(): File | null {
    const input = this.input;
    if (!input) return null;
    return input.blob instanceof File ? input.blob : new File([input.blob], input.fileName);
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
    const schema: ColumnSchema[] = this.columns.map(plainColumn);
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
