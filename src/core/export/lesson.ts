/**
 * A lesson as a link: its title, the task in words, the screens students see (the others are
 * hidden from the navigation) and its data: a bundled sample by name, or a small table embedded
 * as CSV text (a painted one, or a small import). Packed like a model link (JSON, deflate-raw,
 * base64url) in the URL's fragment, never sent anywhere; read back with the same checks.
 */
import * as v from 'valibot';
import { SAMPLES } from '../data/samples';
import { packFragment, ShareError, unpackFragment, MAX_LINK_CHARS } from './share';
import { describeIssue } from '../check';
import { SCREENS } from '../screens';

export const LESSON_FORMAT = 'orpheus-lesson';
/** The screens a lesson can show: any of the navigation's. */
export const LESSON_SCREENS = SCREENS;
export type LessonScreen = (typeof LESSON_SCREENS)[number];
/** The most CSV text a lesson embeds (a link holds 60,000 characters once compressed). */
export const MAX_LESSON_CSV = 200_000;

export const LessonSchema = v.strictObject({
  format: v.literal(LESSON_FORMAT),
  formatVersion: v.literal(1),
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
  if (p['formatVersion'] !== 1)
    throw new ShareError(
      `This lesson was made by a newer Orpheus (lesson format ${String(p['formatVersion'])}); update Orpheus to open it.`,
    );
  const r = v.safeParse(LessonSchema, parsed);
  if (!r.success)
    throw new ShareError(`This lesson link was changed: ${describeIssue(r.issues[0]!)}.`);
  return r.output;
}
