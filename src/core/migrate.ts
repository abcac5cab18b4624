/**
 * Every older shape of a record, brought to the current one. One `migrate` per record kind,
 * used wherever old data is read: the backup reader, the share-link reader and the IndexedDB
 * upgrade. A step is never edited once released; a change of shape adds a step here and a
 * fixture under tests/fixtures, so every file Orpheus ever wrote still reads.
 *
 * Shapes so far:
 * - model versions before model families (backup formats 1 and 2, share format 1, IndexedDB
 *   schema 1 to 3) had `tree` instead of `family` + `fitted`, and the tree's depth, nodes
 *   and leaves at the top of `modelParameters` instead of in `size`; studies of that time
 *   had no `family`: they searched a decision tree's settings.
 * - model versions' importances and predictions' inputs were objects keyed by column name
 *   (so a column called `constructor` made a backup unreadable); they are [name, value] pairs.
 */
import type { RecordStoreName } from './records';

type Raw = Record<string, unknown>;

const isObject = (x: unknown): x is Raw => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A model version from before families: its tree becomes a decision-tree family's fitted model. */
function modelVersionBeforeFamilies(r: Raw): Raw {
  if ('family' in r || !('tree' in r)) return r;
  const { tree, modelParameters, ...rest } = r;
  const mp = isObject(modelParameters) ? modelParameters : {};
  const { depth, nodes, leaves, ...kept } = mp;
  const size: Raw = {};
  for (const [k, x] of Object.entries({ depth, nodes, leaves })) if (x !== undefined) size[k] = x;
  return { ...rest, family: 'decision-tree', fitted: tree, modelParameters: { ...kept, size } };
}

/** An object keyed by column names, as [name, value] pairs (pairs stay as they are). */
function asPairs(x: unknown): unknown {
  return isObject(x) ? Object.entries(x) : x;
}

function importancesAsPairs(r: Raw): Raw {
  const mp = r['modelParameters'];
  if (!isObject(mp) || !isObject(mp['importances'])) return r;
  return { ...r, modelParameters: { ...mp, importances: asPairs(mp['importances']) } };
}

function inputsAsPairs(r: Raw): Raw {
  return isObject(r['inputs']) ? { ...r, inputs: asPairs(r['inputs']) } : r;
}

/** A study from before families searched a decision tree. */
function studyBeforeFamilies(r: Raw): Raw {
  return 'family' in r ? r : { ...r, family: 'decision-tree' };
}

const STEPS: Partial<Record<RecordStoreName, ((r: Raw) => Raw)[]>> = {
  modelVersions: [modelVersionBeforeFamilies, importancesAsPairs],
  studies: [studyBeforeFamilies],
  predictions: [inputsAsPairs],
};

/** The record in its current shape (the same object when it already is; never mutated). */
export function migrate(store: RecordStoreName, record: unknown): unknown {
  if (!isObject(record)) return record;
  let r = record;
  for (const step of STEPS[store] ?? []) r = step(r);
  return r;
}
