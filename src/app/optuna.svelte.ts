/**
 * A study handed over to Optuna and taken back: "Continue elsewhere" builds the zip of a study
 * (data with folds, study.json, search.py, README); "Import an Optuna study" reads a journal
 * file, lets the person choose the study in it and its data version, and stores it as a new
 * Orpheus study linked to the one it continues. The file is read and checked in full before
 * anything is written; a bad file changes nothing.
 */
import script from './optuna/search.py?raw';
import { handoffFiles } from '../core/export/optunaHandoff';
import { handedOver, importedStudy } from '../core/export/optunaImport';
import { JournalError, readJournal, type Journal } from '../core/export/optunaJournal';
import { zipFiles } from '../core/export/mlflow';
import { checkRecord, RecordError } from '../core/check';
import type { StudyRecord } from '../core/records';
import { labelDataVersions, loadContent } from '../store/datasets';
import type { Store } from '../store/db';
import { importStudy, listTrials } from '../store/studies';
import { Job } from './job.svelte';
import type { StudyLibrary } from './studyLibrary.svelte';
import { isoNow } from './time';

/** The zip of "Continue elsewhere" for a study, with its name. */
export async function studyHandoff(
  store: Store,
  study: StudyRecord,
  signal?: AbortSignal,
): Promise<{ blob: Blob; name: string }> {
  const labels = await labelDataVersions(store, [study.datasetVersionId]);
  const data = labels.get(study.datasetVersionId);
  if (!data)
    throw new Error(
      'The data version of this study is no longer stored, so there is nothing to search elsewhere.',
    );
  const [content, trials] = await Promise.all([
    loadContent(store, data.version),
    listTrials(store, study.id),
  ]);
  signal?.throwIfAborted();
  const files = handoffFiles({
    study,
    trials,
    content,
    data: data.version,
    dataLabel: data.label,
    script,
    app: `Orpheus ${__APP_VERSION__}`,
  });
  signal?.throwIfAborted();
  const blob = await zipFiles(files);
  signal?.throwIfAborted();
  return {
    blob,
    name: `${study.name.replace(/[^\w-]+/g, '_')}-optuna.zip`,
  };
}

/** The Import an Optuna study panel: the file read, the study chosen, its data version. */
export class OptunaImport {
  readonly #store: Store;
  readonly #author: () => string;
  readonly #studies: StudyLibrary;
  readonly importing = new Job<StudyRecord>();
  journal = $state.raw<Journal | null>(null);
  fileName = $state('');
  /** Which study of the file (its index). */
  chosen = $state(0);
  dataVersionId = $state('');
  error = $state<string | null>(null);
  notes = $state.raw<string[]>([]);

  constructor(store: Store, author: () => string, studies: StudyLibrary) {
    this.#store = store;
    this.#author = author;
    this.#studies = studies;
  }

  /** Reads a journal file; nothing is stored yet. */
  async read(file: File): Promise<void> {
    this.journal = null;
    this.error = null;
    this.notes = [];
    this.fileName = file.name;
    this.importing.reset();
    try {
      const journal = readJournal(await file.text());
      this.journal = journal;
      this.notes = journal.notes;
      this.choose(0);
    } catch (e) {
      this.error =
        e instanceof JournalError
          ? `${file.name} cannot be imported: ${e.message} Nothing was changed.`
          : `${file.name} could not be read (${e instanceof Error ? e.message : String(e)}). Nothing was changed.`;
    }
  }

  /** Chooses a study of the file, and the data version it names when this browser has it. */
  choose(index: number): void {
    this.chosen = index;
    const s = this.journal?.studies[index];
    const from = s ? handedOver(s) : null;
    if (from) this.dataVersionId = from.datasetVersionId;
  }

  /** Stores the chosen study with its trials, all or nothing. */
  import(): Promise<StudyRecord | null> {
    const journal = this.journal;
    const s = journal?.studies[this.chosen];
    const fileName = this.fileName;
    const dvId = this.dataVersionId;
    return this.importing.run(async () => {
      if (!s) throw new Error('Choose a journal file first.');
      const data = await this.#store.get('datasetVersions', dvId);
      if (!data)
        throw new Error(
          'Choose the data version the study searched: Orpheus trains its best settings on it.',
        );
      const author = this.#author();
      const made = importedStudy(s, { data, fileName, now: isoNow(), author });
      // The records are checked as a backup's are (checkRecord), before anything is written.
      const id = crypto.randomUUID();
      const checked = (what: string, check: () => void): void => {
        try {
          check();
        } catch (e) {
          if (e instanceof RecordError)
            throw new Error(`${what} cannot be stored: ${e.message}.`, { cause: e });
          throw e;
        }
      };
      const draft = { ...made.study, id };
      checked('The study', () => checkRecord('studies', draft));
      const trials = made.trials.map((t) => ({ ...t, id: `${id}/${t.number}`, studyId: id }));
      for (const t of trials) checked(`Trial ${t.number}`, () => checkRecord('trials', t));
      const study = await importStudy(this.#store, author, draft, trials);
      this.notes = [...(journal?.notes ?? []), ...made.notes];
      await this.#studies.refresh();
      return study;
    });
  }
}
