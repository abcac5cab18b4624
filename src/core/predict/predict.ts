/**
 * Predicting from raw rows with a saved version: each row is checked against the version's
 * recorded encoding (a missing column, an unknown category or a word in a numeric field is a
 * problem reported for that row, never coerced), encoded, and given to the version's family,
 * keeping the path its decision took (a tree's nodes) so a person can follow it.
 */
import { isNumeric } from '../data/cells';
import { labelCode } from '../data/matrix';
import { learnerFor } from '../learners/registry';
import type { Encoding } from '../records';

/** What predicting needs of a version: its family, its fitted model and its encoding. */
export interface Predictor {
  family: string;
  fitted: unknown;
  encoding: Encoding;
  /** A decision threshold on the second class's probability (two classes), if the version has one. */
  decision?: { threshold: number };
}

/** The class a decision threshold decides: the second (1) when its probability is at least the threshold. */
export function thresholdClass(secondProbability: number, threshold: number): 0 | 1 {
  return secondProbability >= threshold ? 1 : 0;
}

/**
 * The classes a version decides, after its decision threshold when it has one: the second class
 * where its probability is at least the threshold. `predictions` is changed in place.
 */
export function applyThreshold(
  predictions: Float64Array,
  probabilities: ArrayLike<number> | null,
  threshold: number | undefined,
): Float64Array {
  if (threshold === undefined || !probabilities) return predictions;
  for (let r = 0; r < predictions.length; r++)
    predictions[r] = thresholdClass(probabilities[r * 2 + 1]!, threshold);
  return predictions;
}

/** A raw row: column name → cell text (null or empty for missing). */
export type RawRow = Readonly<Record<string, string | null | undefined>>;

export interface RowPrediction {
  /** The class label or the value, as text. */
  output: string;
  /** Class probabilities in class order (classification). */
  probabilities: number[] | null;
  /** The decision's path in the family's terms (a tree: node paths "", "L", "LR" … to the leaf). */
  path: string[];
}

export type RowResult =
  | {
      ok: true;
      prediction: RowPrediction;
      x: number[];
      /** What the model did with values it had not seen (an unseen category), in words. */
      notes?: string[];
    }
  | { ok: false; problems: string[] };

/** Encodes one raw row with the version's encoding, or says what is wrong with it. */
export function encodeRow(
  encoding: Encoding,
  row: RawRow,
  handlesMissing: boolean,
  /** What the model does with a category it never saw, when it takes one (else refused). */
  unseen?: string,
): { x: number[]; notes?: string[] } | { problems: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  const x = encoding.features.map((f) => {
    if (!Object.hasOwn(row, f.name)) {
      problems.push(`The column "${f.name}" is missing.`);
      return NaN;
    }
    const raw = row[f.name];
    const text = raw === null || raw === undefined ? '' : String(raw).trim();
    if (text === '') {
      if (!handlesMissing)
        problems.push(`"${f.name}" is empty, and this model cannot take missing values.`);
      return NaN;
    }
    if (f.kind === 'numeric') {
      if (!isNumeric(text)) {
        problems.push(`"${f.name}" should be a number, not "${text}".`);
        return NaN;
      }
      return Number(text);
    }
    const i = labelCode(f.categories, text, f.mergeVariants);
    if (i < 0 && unseen) {
      notes.push(`"${f.name}" has the category "${text}", which training never saw: ${unseen}.`);
      return NaN;
    }
    if (i < 0) {
      const known = f.categories.slice(0, 8).join(', ');
      problems.push(
        `"${f.name}" has the unknown category "${text}" (known: ${known}${f.categories.length > 8 ? ', …' : ''}).`,
      );
      return NaN;
    }
    return i;
  });
  if (problems.length) return { problems };
  return notes.length ? { x, notes } : { x };
}

/** Gives an encoded row to the version's family. */
export function predictEncoded(version: Predictor, x: readonly number[]): RowPrediction {
  const { encoding } = version;
  const learner = learnerFor(version.family);
  const r = learner.predictRow(version.fitted, x, encoding.classes?.length ?? 0);
  if (encoding.classes) {
    const threshold = version.decision?.threshold;
    const value =
      threshold !== undefined && r.probabilities
        ? thresholdClass(r.probabilities[1]!, threshold)
        : r.value;
    return { output: encoding.classes[value]!, probabilities: r.probabilities, path: r.path };
  }
  return { output: String(r.value), probabilities: null, path: r.path };
}

export function predictRaw(version: Predictor, row: RawRow, handlesMissing: boolean): RowResult {
  const enc = encodeRow(
    version.encoding,
    row,
    handlesMissing,
    learnerFor(version.family).unseenCategory?.(version.fitted),
  );
  if ('problems' in enc) return { ok: false, problems: enc.problems };
  const prediction = predictEncoded(version, enc.x);
  return enc.notes
    ? { ok: true, prediction, x: enc.x, notes: enc.notes }
    : { ok: true, prediction, x: enc.x };
}

/** Whether a re-run gives the logged output and probabilities exactly. */
export function samePrediction(
  a: RowPrediction,
  b: { output: string; probabilities: number[] | null },
): boolean {
  if (a.output !== b.output) return false;
  if ((a.probabilities === null) !== (b.probabilities === null)) return false;
  return (a.probabilities ?? []).every((p, i) => p === b.probabilities![i]);
}

/** The part of a version predicting needs (what goes to a worker instead of the whole record). */
export function predictorOf(v: Predictor): Predictor {
  return {
    family: v.family,
    fitted: v.fitted,
    encoding: v.encoding,
    ...(v.decision ? { decision: { threshold: v.decision.threshold } } : {}),
  };
}
