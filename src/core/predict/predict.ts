/**
 * Predicting from raw rows with a saved version: each row is checked against the version's
 * recorded encoding (a missing column, an unknown category or a word in a numeric field is a
 * problem reported for that row, never coerced), encoded, and run down the tree, keeping the
 * path it took so a person can follow the decision.
 */
import type { Encoding } from '../data/matrix';
import { isNumeric } from '../data/parse';
import { argmax, childFor, isLeaf, leafProbabilities, type TreeModel } from '../train/tree';

/** A raw row: column name → cell text (null or empty for missing). */
export type RawRow = Readonly<Record<string, string | null | undefined>>;

export interface RowPrediction {
  /** The class label or the value, as text. */
  output: string;
  /** Class probabilities in class order (classification). */
  probabilities: number[] | null;
  /** Node paths from the root ("", "L", "LR" …) to the leaf. */
  path: string[];
}

export type RowResult =
  { ok: true; prediction: RowPrediction; x: number[] } | { ok: false; problems: string[] };

/** Encodes one raw row with the version's encoding, or says what is wrong with it. */
export function encodeRow(
  encoding: Encoding,
  row: RawRow,
  handlesMissing: boolean,
): { x: number[] } | { problems: string[] } {
  const problems: string[] = [];
  const x = encoding.features.map((f) => {
    if (!(f.name in row)) {
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
    const i = f.categories.indexOf(text);
    if (i < 0) {
      const known = f.categories.slice(0, 8).join(', ');
      problems.push(
        `"${f.name}" has the unknown category "${text}" (known: ${known}${f.categories.length > 8 ? ', …' : ''}).`,
      );
      return NaN;
    }
    return i;
  });
  return problems.length ? { problems } : { x };
}

/** Runs an encoded row down the tree. */
export function predictEncoded(
  tree: TreeModel,
  encoding: Encoding,
  x: readonly number[],
): RowPrediction {
  const path = [''];
  let node = tree.root;
  let id = '';
  while (!isLeaf(node)) {
    const next = childFor(node, x);
    id += next === node.left ? 'L' : 'R';
    path.push(id);
    node = next;
  }
  if (encoding.classes) {
    const p = Array.from(leafProbabilities(node, encoding.classes.length));
    return { output: encoding.classes[argmax(p)]!, probabilities: p, path };
  }
  return { output: String(node.distribution as number), probabilities: null, path };
}

export function predictRaw(
  tree: TreeModel,
  encoding: Encoding,
  row: RawRow,
  handlesMissing: boolean,
): RowResult {
  const enc = encodeRow(encoding, row, handlesMissing);
  if ('problems' in enc) return { ok: false, problems: enc.problems };
  return { ok: true, prediction: predictEncoded(tree, encoding, enc.x), x: enc.x };
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
