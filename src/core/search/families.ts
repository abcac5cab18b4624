/**
 * Which model families a cross-family search enters, derived from the data as audition does:
 * a family that cannot learn the task stays out; one that imputes takes the missing values
 * into its pipeline; one whose every prediction scans all training rows stays out of large
 * data unless the person ticks it; the baseline is the bar every study already shows.
 */
import { requirementsOf } from '../compare/audition';
import { learnerFor, learnersFor } from '../learners/registry';
import type { Choice, DatasetVersionRecord, Distribution, Params, SearchSpace } from '../records';
import type { Direction, Task } from '../vocabulary';
import {
  ANY_FAMILY,
  contains,
  FAMILY_PARAM,
  familiesOf,
  familySetting,
  spaceOfFamily,
  trialModel,
} from './space';

/** Rows above which nearest neighbours stay out unless ticked (each of its predictions scans them all). */
export const SCAN_ROWS_LIMIT = 20_000;

export interface FamilyEntry {
  family: string;
  label: string;
  /** Ticked by default. */
  entered: boolean;
  /** Why, in a few words. */
  why: string;
}

export function searchFamilies(version: DatasetVersionRecord): FamilyEntry[] {
  const need = requirementsOf(version);
  return learnersFor(version.task).map((l): FamilyEntry => {
    const base = { family: l.family, label: l.label };
    if (l.family === 'baseline')
      return { ...base, entered: false, why: 'shown beside every study as the score to beat' };
    if (l.family === 'k-nearest-neighbours' && need.rows > SCAN_ROWS_LIMIT)
      return {
        ...base,
        entered: false,
        why: `each prediction scans all ${need.rows.toLocaleString('en')} rows: slow here; tick it to include it`,
      };
    const imputes = l.parameters.some((p) => p.name === 'impute');
    if (need.hasMissing && imputes)
      return { ...base, entered: true, why: 'the missing values are imputed in its pipeline' };
    if (need.hasMissing) return { ...base, entered: true, why: 'takes missing values as they are' };
    return { ...base, entered: true, why: 'can learn this task' };
  });
}

/** What one family received and reached in a cross-family study. */
export interface FamilyShare {
  family: string;
  trials: number;
  /** Time its trials took, summed over workers. */
  ms: number;
  /** Its best complete trial's value, or null. */
  best: number | null;
  /** The best value so far among its trials, after each of its complete trials (by trial number). */
  bestSoFar: { x: number; y: number }[];
}

interface TrialLike {
  number: number;
  params: Params;
  state: string;
  value: number | null;
  durationMs: number;
}

/** Each family's share of a cross-family study's trials and time, and its best so far. */
export function familyShares(trials: readonly TrialLike[], direction: Direction): FamilyShare[] {
  const by = new Map<string, FamilyShare>();
  const sorted = [...trials].sort((a, b) => a.number - b.number);
  for (const t of sorted) {
    const family = String(t.params[FAMILY_PARAM]);
    const s = by.get(family) ?? { family, trials: 0, ms: 0, best: null, bestSoFar: [] };
    by.set(family, s);
    s.trials++;
    s.ms += t.durationMs;
    if (t.state !== 'complete' || t.value === null || !Number.isFinite(t.value)) continue;
    if (s.best === null || (direction === 'maximize' ? t.value > s.best : t.value < s.best))
      s.best = t.value;
    s.bestSoFar.push({ x: t.number, y: s.best });
  }
  return [...by.values()];
}

/**
 * A cross-family study seen through one family: that family's settings under their own names
 * and its trials only; or, for all families, the family choice alone over every trial.
 */
export function familyView<T extends { params: Params }>(
  space: SearchSpace,
  trials: readonly T[],
  family: string | null,
): { space: SearchSpace; trials: T[] } {
  if (family === null)
    return {
      space: { [FAMILY_PARAM]: space[FAMILY_PARAM]! },
      trials: trials.map((t) => ({ ...t, params: { [FAMILY_PARAM]: t.params[FAMILY_PARAM]! } })),
    };
  return {
    space: spaceOfFamily(space, family),
    trials: trials
      .filter((t) => t.params[FAMILY_PARAM] === family)
      .map((t) => ({ ...t, params: trialModel(ANY_FAMILY, t.params).params })),
  };
}

/**
 * `v` if the space can draw it, else the nearest value it can (a range's end, a step); no
 * limit (null, as an unlimited depth) is nearest a range's upper end.
 */
function within(d: Distribution, v: Choice | undefined): Choice {
  if (v !== undefined && contains(d, v)) return v;
  if (d.kind === 'categorical') return d.choices[0]!;
  const top = d.kind === 'int' ? d.low + Math.floor((d.high - d.low) / d.step) * d.step : d.high;
  if (v === null) return top;
  const x =
    typeof v === 'number' && Number.isFinite(v) ? Math.min(d.high, Math.max(d.low, v)) : d.low;
  if (d.kind === 'float') return x;
  return Math.min(d.low + Math.round((x - d.low) / d.step) * d.step, top);
}

/**
 * The trials a study can start with, as auto-sklearn starts from a portfolio and FLAML from
 * each learner's defaults: each family's default settings (a cross-family study's families in
 * the order of its choice), every searched setting at its default, or the nearest value the
 * space can draw. The sampler's own trials follow them.
 */
export function defaultTrials(space: SearchSpace, studyFamily: string, task: Task): Params[] {
  const point = (family: string, own: SearchSpace): Params => {
    const defaults = learnerFor(family).defaults(task) as Params;
    return Object.fromEntries(Object.entries(own).map(([n, d]) => [n, within(d, defaults[n])]));
  };
  if (studyFamily !== ANY_FAMILY) return [point(studyFamily, space)];
  return familiesOf(space).map((family) => {
    const own = point(family, spaceOfFamily(space, family));
    return {
      [FAMILY_PARAM]: family,
      ...Object.fromEntries(Object.entries(own).map(([n, v]) => [familySetting(family, n), v])),
    };
  });
}
