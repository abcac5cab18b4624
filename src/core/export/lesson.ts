/**
 * A lesson as a link: its title, the task in words, the screens students see (the others are
 * hidden from the navigation), its data (a bundled sample by name, or a small table embedded
 * as CSV text: a painted one, or a small import) and, optionally, the settings students train
 * with: a family's settings, fixed (they cannot be changed) or suggested (filled in for them). Packed like a model link (JSON, deflate-raw,
 * base64url) in the URL's fragment, never sent anywhere; read back with the same checks.
 */
import * as v from 'valibot';
import { SAMPLES } from '../data/samples';
import { packFragment, ShareError, unpackFragment, MAX_LINK_CHARS } from './share';
import { describeIssue } from '../check';
import { learnerFor } from '../learners/registry';
import { TrainingError } from '../learners/training';
import { ParamsSchema, type Params } from '../records';
import { SCREENS } from '../screens';
import type { Task } from '../vocabulary';

export const LESSON_FORMAT = 'orpheus-lesson';
/** 2: a lesson may carry model settings. Version 1 links still open. */
export const LESSON_FORMAT_VERSION = 2;
/** The screens a lesson can show: any of the navigation's. */
export const LESSON_SCREENS = SCREENS;
export type LessonScreen = (typeof LESSON_SCREENS)[number];
/** The most CSV text a lesson embeds (a link holds 60,000 characters once compressed). */
export const MAX_LESSON_CSV = 200_000;

export const LessonSchema = v.strictObject({
  format: v.literal(LESSON_FORMAT),
  formatVersion: v.picklist([1, LESSON_FORMAT_VERSION]),
  title: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
  task: v.pipe(v.string(), v.maxLength(5000)),
  screens: v.pipe(v.array(v.picklist(LESSON_SCREENS)), v.minLength(1)),
  data: v.variant('kind', [
    v.strictObject({
      kind: v.literal('sample'),
      id: v.picklist(SAMPLES.map((s) => s.id)),
    }),
    v.strictObject({
      kind: v.literal('table'),
      name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
      /** The target column. */
      target: v.pipe(v.string(), v.minLength(1), v.maxLength(1000)),
      csv: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_LESSON_CSV)),
    }),
  ]),
  /** The settings of the models students train: fixed, or suggested (they may change them). */
  model: v.optional(
    v.strictObject({
      family: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
      params: ParamsSchema,
      fixed: v.boolean(),
    }),
  ),
});
export type Lesson = v.InferOutput<typeof LessonSchema>;

/** A lesson's link payload, or a ShareError when it is too large for a link. */
export async function lessonLink(lesson: Lesson): Promise<string> {
  const checked = v.safeParse(LessonSchema, lesson);
  if (!checked.success)
    throw new ShareError(`This lesson cannot be made: ${describeIssue(checked.issues[0]!)}.`);
  const text = await packFragment(checked.output);
  if (text.length > MAX_LINK_CHARS)
    throw new ShareError(
      `This lesson's data is too large for a link (${Math.ceil(text.length / 1000)} k characters; a link holds at most ${MAX_LINK_CHARS / 1000} k). Use a bundled sample or fewer rows.`,
    );
  return text;
}

/** Reads a lesson link's payload; a ShareError says what is wrong with it. */
export async function readLesson(text: string): Promise<Lesson> {
  const parsed = await unpackFragment(text, 'lesson');
  const p = parsed as Record<string, unknown> | null;
  if (p?.['format'] !== LESSON_FORMAT)
    throw new ShareError('This is not a lesson link from Orpheus.');
  if (p['formatVersion'] !== 1 && p['formatVersion'] !== LESSON_FORMAT_VERSION)
    throw new ShareError(
      `This lesson was made by a newer Orpheus (lesson format ${String(p['formatVersion'])}); update Orpheus to open it.`,
    );
  const r = v.safeParse(LessonSchema, parsed);
  if (!r.success)
    throw new ShareError(`This lesson link was changed: ${describeIssue(r.issues[0]!)}.`);
  if (r.output.model) {
    try {
      learnerFor(r.output.model.family);
    } catch {
      throw new ShareError(
        `This lesson trains a kind of model this Orpheus does not have (“${r.output.model.family}”): update Orpheus to open it.`,
      );
    }
  }
  return r.output;
}

/**
 * A lesson's settings made whole for its data's task (the family's defaults under them), or a
 * TrainingError naming the setting that does not fit.
 */
export function lessonParams(model: NonNullable<Lesson['model']>, task: Task): Params {
  const learner = learnerFor(model.family);
  if (!learner.tasks.includes(task))
    throw new TrainingError(
      `The lesson's ${learner.label.toLowerCase()} cannot learn ${task}, which its data needs.`,
    );
  const known = new Set(learner.parameters.map((p) => p.name));
  const unknown = Object.keys(model.params).find((k) => !known.has(k));
  if (unknown)
    throw new TrainingError(`The lesson sets “${unknown}”, which a ${learner.noun} does not have.`);
  const params = learner.withParams(model.params, learner.defaults(task));
  learner.checkParams(params, task);
  return params;
}
