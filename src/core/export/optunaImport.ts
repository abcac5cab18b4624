/**
 * An Optuna study (read from a journal) as an Orpheus study: its finished trials with their
 * settings under Orpheus's names, values, states, intermediate values, durations and workers.
 * A study that Orpheus handed over ("Continue elsewhere") says so in its user attributes and
 * keeps its family, metric, rungs and folds; one written in Python gets its space from its
 * trials, and its values are called what they are: Optuna's objective values.
 */
import * as v from 'valibot';
import { isFamily } from '../learners/registry';
import {
  HalvingSchema,
  PlanSchema,
  type DatasetVersionRecord,
  type StudyRecord,
  type TrialRecord,
} from '../records';
import { DirectionSchema, MetricNameSchema, SamplerKindSchema } from '../vocabulary';
import { ANY_FAMILY, FAMILY_PARAM } from '../search/space';
import type { MetricName } from '../train/metrics';
import { inferSpace, paramsOf, spaceProblems, type JournalStudy } from './optunaJournal';

/** The family of a study whose settings belong to no Orpheus family (one written in Python). */
export const FOREIGN_FAMILY = 'optuna';
/** What the worker of a trial Orpheus ran before the hand-off is called. */
export const BROWSER_WORKER = 'Orpheus, before the hand-off';

/** What search.py writes into the Optuna study: the Orpheus study it continues. */
const HandedOverSchema = v.looseObject({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  name: v.pipe(v.string(), v.maxLength(1000)),
  family: v.pipe(v.string(), v.maxLength(1000)),
  metric: MetricNameSchema,
  direction: DirectionSchema,
  sampler: SamplerKindSchema,
  seed: v.pipe(v.number(), v.integer()),
  gridPoints: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000)),
  halving: HalvingSchema,
  evaluation: PlanSchema,
  datasetVersionId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
});
export type HandedOver = v.InferOutput<typeof HandedOverSchema>;

/** The Orpheus study a journal's study continues, when search.py wrote it. */
export function handedOver(s: JournalStudy): HandedOver | null {
  const r = v.safeParse(HandedOverSchema, s.userAttrs.get('orpheus.study'));
  return r.success && (r.output.family === ANY_FAMILY || isFamily(r.output.family))
    ? r.output
    : null;
}

export interface ImportContext {
  data: DatasetVersionRecord;
  fileName: string;
  now: string;
  author: string;
}

function ms(s: string | null): number {
  // Optuna writes local times without a zone; both ends of a trial are in the same one.
  return s === null ? NaN : Date.parse(s);
}

function defaultMetric(data: DatasetVersionRecord, maximize: boolean): MetricName {
  if (data.task === 'classification') return maximize ? 'accuracy' : 'log_loss';
  return maximize ? 'r2' : 'rmse';
}

function folds(x: unknown, k: number): number[] | undefined {
  return Array.isArray(x) && x.length <= k && x.every((f) => typeof f === 'number')
    ? (x as number[])
    : undefined;
}

export interface ImportedStudy {
  study: Omit<StudyRecord, 'id'>;
  trials: Omit<TrialRecord, 'id' | 'studyId'>[];
  /** What was left out or assumed, in words. */
  notes: string[];
}

/** An Optuna study as an Orpheus study and trials, or an Error saying why it cannot be one. */
export function importedStudy(s: JournalStudy, ctx: ImportContext): ImportedStudy {
  if (s.objectives !== 1)
    throw new Error(
      `“${s.name}” has ${s.objectives} objectives; an Orpheus study has one, so it cannot be imported.`,
    );
  const from = handedOver(s);
  const notes: string[] = [];
  const done = s.trials.filter(
    (t) => t.state === 'complete' || t.state === 'pruned' || t.state === 'failed',
  );
  const unfinished = s.trials.length - done.length;
  if (unfinished > 0)
    notes.push(
      `${unfinished} trial${unfinished === 1 ? ' was' : 's were'} still running or waiting and ${unfinished === 1 ? 'is' : 'are'} not imported.`,
    );
  if (done.length === 0) throw new Error(`“${s.name}” has no finished trial to import.`);
  const space = inferSpace(done);
  const problems = spaceProblems(space);
  if (problems.length > 0)
    throw new Error(
      `The settings of “${s.name}” do not form a space Orpheus can show: ${problems[0]}`,
    );
  const direction = from?.direction ?? s.direction ?? 'minimize';
  let family: string = from?.family ?? FOREIGN_FAMILY;
  if (!from) {
    const f = space[FAMILY_PARAM];
    if (f?.kind === 'categorical' && f.choices.every((c) => typeof c === 'string' && isFamily(c)))
      family = ANY_FAMILY;
  }
  if (from && from.datasetVersionId !== ctx.data.id)
    notes.push(
      'It was exported from another data version than the one chosen: scores trained here are on the chosen one.',
    );
  const k = from?.evaluation.folds ?? 5;
  const workers = new Set<string>();
  const trials = done.map((t): ImportedStudy['trials'][number] => {
    const browser = t.userAttrs.has('orpheus.trial');
    const worker = browser ? BROWSER_WORKER : t.worker;
    workers.add(worker);
    const duration = ms(t.complete) - ms(t.start);
    const steps = [...t.intermediate.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
    const f = folds(t.userAttrs.get('orpheus.folds'), k);
    const reason = t.systemAttrs.get('fail_reason');
    return {
      number: t.number,
      params: paramsOf(t),
      value:
        t.state === 'complete' && t.value !== null && Number.isFinite(t.value) ? t.value : null,
      state: t.state === 'complete' ? 'complete' : t.state === 'pruned' ? 'pruned' : 'failed',
      durationMs: Number.isFinite(duration) && duration >= 0 ? duration : 0,
      intermediate: steps,
      ...(f ? { folds: f } : {}),
      ...(typeof reason === 'string' ? { error: reason.slice(0, 10_000) } : {}),
      worker: worker.slice(0, 1000),
      author: ctx.author,
      createdAt: ctx.now,
    };
  });
  return {
    study: {
      name: from ? `${from.name} (continued with Optuna)` : s.name,
      datasetVersionId: ctx.data.id,
      family,
      space,
      sampler: from?.sampler ?? 'tpe',
      gridPoints: from?.gridPoints ?? 5,
      seed: from?.seed ?? 0,
      metric: from?.metric ?? defaultMetric(ctx.data, direction === 'maximize'),
      direction,
      budget: trials.length,
      halving: from?.halving ?? { eta: 3, rungs: [1] },
      evaluation: from?.evaluation ?? { folds: 5, testFraction: 0.2 },
      state: 'complete',
      modelId: null,
      bestVersionId: null,
      origin: {
        kind: 'optuna-journal',
        file: ctx.fileName.slice(0, 1000),
        studyName: s.name,
        continues: from?.id ?? null,
        valueName: from ? null : 'Objective value (as Optuna recorded it)',
        workers: workers.size,
        unfinished,
        importedAt: ctx.now,
      },
      author: ctx.author,
      createdAt: ctx.now,
    },
    trials,
    notes,
  };
}
