/**
 * Lessons as links. A teacher composes one (title, task, screens, data) and gets a link; a
 * student opens it: the data is saved as a dataset in their browser, the navigation shows only
 * the lesson's screens, and "Hand in" downloads a one-model backup named after the student,
 * which the teacher restores and compares. The lesson in progress is this device's state, kept
 * in localStorage (the student's work is in the store like any other).
 */
import { buildContent } from '../core/data/content';
import { contentCsv } from '../core/data/write';
import { suggestSchema } from '../core/data/infer';
import { parseTable } from '../core/data/parse';
import { finish } from '../core/data/pipeline';
import { SAMPLES } from '../core/data/samples';
import {
  lessonLink,
  lessonParams,
  readLesson,
  LESSON_FORMAT,
  LESSON_FORMAT_VERSION,
  MAX_LESSON_CSV,
  type Lesson,
  type LessonScreen,
} from '../core/export/lesson';
import { ShareError } from '../core/export/share';
import type { Params } from '../core/records';
import { loadContent, saveImport } from '../store/datasets';
import type { Store } from '../store/db';
import { downloadTarget, type BackupFlow } from './backup.svelte';
import type { DataLibrary } from './dataLibrary.svelte';
import { Job } from './job.svelte';
import type { ModelLibrary } from './modelLibrary.svelte';
import { isoNow } from './time';

const KEY = 'orpheus.lesson';

export interface ActiveLesson {
  title: string;
  task: string;
  screens: LessonScreen[];
  datasetId: string;
  /** The settings students train with (made whole for the data's task), when the lesson sets them. */
  model?: LessonModel;
}

/** A lesson's model settings: a family and all of its settings, fixed or suggested. */
export interface LessonModel {
  family: string;
  params: Params;
  fixed: boolean;
}

function readActive(): ActiveLesson | null {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    if (!raw) return null;
    const a = JSON.parse(raw) as ActiveLesson;
    return typeof a?.title === 'string' && Array.isArray(a.screens) ? a : null;
  } catch {
    return null;
  }
}

export class LessonMode {
  readonly #store: Store;
  readonly #author: () => string;
  readonly #library: DataLibrary;
  readonly #models: ModelLibrary;
  readonly #backup: BackupFlow;
  readonly starting = new Job<string>();
  readonly handingIn = new Job<{ blob: Blob; name: string }>();
  /** The lesson in progress in this browser. */
  active = $state<ActiveLesson | null>(readActive());
  /** The lesson of the link being opened, or why it cannot be. */
  opened = $state.raw<Lesson | null>(null);
  error = $state<string | null>(null);

  constructor(
    store: Store,
    author: () => string,
    library: DataLibrary,
    models: ModelLibrary,
    backup: BackupFlow,
  ) {
    this.#store = store;
    this.#author = author;
    this.#library = library;
    this.#models = models;
    this.#backup = backup;
  }

  /** Whether a screen is shown in the navigation (all of them outside a lesson). */
  shows(screen: string): boolean {
    return !this.active || (this.active.screens as string[]).includes(screen);
  }

  /** Reads a link's lesson; a damaged or altered one gets a message and changes nothing. */
  async read(payload: string): Promise<void> {
    this.opened = null;
    this.error = null;
    try {
      this.opened = await readLesson(payload);
    } catch (e) {
      this.error =
        e instanceof ShareError ? e.message : `This lesson link cannot be read (${String(e)}).`;
    }
  }

  /** Saves the lesson's data as a dataset and starts the lesson: returns the dataset's id. */
  start(): Promise<string | null> {
    const lesson = this.opened;
    return this.starting.run(async () => {
      if (!lesson) throw new Error('Open a lesson link first.');
      let text: string;
      let name: string;
      let target: string;
      if (lesson.data.kind === 'sample') {
        const id = lesson.data.id;
        const sample = SAMPLES.find((s) => s.id === id)!;
        const response = await fetch(`${import.meta.env.BASE_URL}${sample.file}`).catch(() => null);
        if (!response?.ok)
          throw new Error(
            `The sample “${sample.name}” could not be loaded. Open Orpheus once while online, then open the lesson link again.`,
          );
        text = await response.text();
        name = sample.name;
        target = sample.target;
      } else {
        text = lesson.data.csv;
        name = lesson.data.name;
        target = lesson.data.target;
      }
      const raw = await parseTable(text, { fileName: `${name}.csv` });
      const schema = suggestSchema(raw, target);
      const content = buildContent(raw.columns, schema.columns, schema.task, raw.rowCount);
      // Settings that do not fit the data stop the lesson before anything is saved.
      const model = lesson.model
        ? { ...lesson.model, params: lessonParams(lesson.model, content.task) }
        : undefined;
      const built = await finish(content, {
        kind: 'import',
        rowsAdded: content.rowCount,
        rowsRemoved: 0,
        columnsChanged: [],
        summary: `from the lesson “${lesson.title}”`,
      });
      const saved = await saveImport(
        this.#store,
        this.#author(),
        {
          name,
          description: `Data of the lesson “${lesson.title}”.`,
          source: `lesson: ${lesson.title}`,
        },
        built,
      );
      const datasetId = saved.saved ? saved.version.datasetId : saved.existing.datasetId;
      await this.#library.refresh();
      this.active = {
        title: lesson.title,
        task: lesson.task,
        screens: lesson.screens,
        datasetId,
        ...(model ? { model } : {}),
      };
      try {
        globalThis.localStorage?.setItem(KEY, JSON.stringify(this.active));
      } catch {
        // Not remembered past this tab; the lesson still runs.
      }
      return datasetId;
    });
  }

  leave(): void {
    this.active = null;
    try {
      globalThis.localStorage?.removeItem(KEY);
    } catch {
      // Nothing kept.
    }
  }

  /**
   * Hand in: a backup of the student's newest model (with its data and history), named after
   * the lesson and the student, for the page to offer as a download.
   */
  handIn(): Promise<{ blob: Blob; name: string } | null> {
    const lesson = this.active;
    return this.handingIn.run(async () => {
      await this.#models.refresh();
      const newest = [...this.#models.items]
        .filter((m) => m.versions.length > 0)
        .sort((a, b) =>
          b.versions.at(-1)!.createdAt.localeCompare(a.versions.at(-1)!.createdAt),
        )[0];
      if (!newest) throw new Error('Train a model first: “Hand in” sends your newest model.');
      const safe = (s: string) => s.replace(/[^\p{L}\p{N}_-]+/gu, '_');
      const name = `${safe(lesson?.title ?? 'lesson')}-${safe(this.#author())}.orpheus`;
      const result = await this.#backup.export(downloadTarget(), isoNow(), {
        id: newest.model.id,
        name: newest.model.name,
      });
      if (!result?.blob) throw new Error('The hand-in file could not be written.');
      return { blob: result.blob, name };
    });
  }
}

/** A stored data version as a lesson's embedded table, or an Error saying why it cannot be. */
export async function lessonTable(
  store: Store,
  library: DataLibrary,
  dataVersionId: string,
): Promise<Lesson['data']> {
  const dv = await store.get('datasetVersions', dataVersionId);
  if (!dv) throw new Error('Choose the data of the lesson.');
  const content = await loadContent(store, dv);
  const csv = contentCsv(content);
  if (csv.length > MAX_LESSON_CSV)
    throw new Error(
      `This data version is too large to carry in a link (${csv.length.toLocaleString('en')} characters of CSV; at most ${MAX_LESSON_CSV.toLocaleString('en')}). Use a bundled sample or a smaller version.`,
    );
  const target = content.schema.find((s) => s.role === 'target')?.name ?? '';
  const item = library.items.find((i) => i.versions.some((v) => v.id === dv.id));
  return { kind: 'table', name: item?.dataset.name ?? 'Lesson data', target, csv };
}

/** The link of a lesson, for the composer. */
export async function composeLink(
  base: string,
  lesson: Omit<Lesson, 'format' | 'formatVersion'>,
): Promise<string> {
  // A lesson without settings stays format 1, which every Orpheus with lessons opens.
  const formatVersion = lesson.model ? LESSON_FORMAT_VERSION : 1;
  const payload = await lessonLink({ format: LESSON_FORMAT, formatVersion, ...lesson });
  return `${base}#/lesson/${payload}`;
}
