/**
 * A study handed over to Optuna: the files of "Continue elsewhere". `data.csv` is the data
 * version as raw text (missing values as empty cells) with one more column, each row's place in
 * the study's evaluation (its cross-validation fold 0 … k − 1, `test` for a hold-out row, empty
 * for a row without a target); `study.json` is the study (space, sampler, metric, rungs, each
 * family's settings that the space leaves fixed, the encoding, the trials so far); `search.py`
 * runs it with Optuna and scikit-learn; `README.md` says how.
 */
import { cellText, type DatasetContent } from '../data/content';
import { contentCsv } from '../data/write';
import { learnerFor } from '../learners/registry';
import type { DatasetVersionRecord, Encoding, StudyRecord, TrialRecord } from '../records';
import { gridValues } from '../search/samplers';
import { ANY_FAMILY, drawOrder, familiesOf, type SearchSpace } from '../search/space';
import { METRICS } from '../train/metrics';
import { prepare } from '../train/evaluate';
import { trainingSet } from '../train/model';
import type { Files } from './mlflow';

/** What `study.json` says, for `search.py`. Its format number changes with its shape. */
export const HANDOFF_FORMAT = 'orpheus-optuna-handoff';
export const HANDOFF_VERSION = 1;

export interface HandoffInput {
  study: StudyRecord;
  trials: readonly TrialRecord[];
  content: DatasetContent;
  data: DatasetVersionRecord;
  /** The data version as people name it ("Iris v2"). */
  dataLabel: string;
  /** The text of search.py. */
  script: string;
  app: string;
}

/** The Optuna study name of an Orpheus study: the same on every export. */
export function optunaStudyName(study: StudyRecord): string {
  return `orpheus-${study.id}`;
}

/** A column name the data does not have, for the folds. */
function foldColumnName(content: DatasetContent): string {
  const taken = new Set(content.schema.map((s) => s.name));
  let name = 'orpheus_fold';
  while (taken.has(name)) name = `_${name}`;
  return name;
}

/**
 * Each row's place in the study's evaluation, by row of the data version: its fold, `test`, or
 * null for a row without a target (left out of training, as in Orpheus).
 */
export function rowFolds(content: DatasetContent, study: StudyRecord): (string | null)[] {
  const { set, encoding } = trainingSet(content);
  const prep = prepare(set, { ...study.evaluation, seed: study.seed });
  const place: string[] = new Array<string>(set.rows).fill('test');
  prep.folds.forEach((fold, k) => {
    for (const r of fold) place[r] = String(k);
  });
  const ti = content.schema.findIndex((s) => s.name === encoding.target);
  const target = content.columns[ti]!;
  const out: (string | null)[] = [];
  let i = 0;
  for (let r = 0; r < content.rowCount; r++)
    out.push(cellText(target, r) === null ? null : place[i++]!);
  return out;
}

function familiesIn(study: StudyRecord): string[] {
  return study.family === ANY_FAMILY ? familiesOf(study.space) : [study.family];
}

/** The space in draw order (the family first), as search.py suggests it. */
function ordered(space: SearchSpace): SearchSpace {
  return Object.fromEntries(drawOrder(space).map((n) => [n, space[n]!]));
}

export function handoffSpec(input: HandoffInput, encoding: Encoding, foldColumn: string) {
  const { study, trials, data, dataLabel, app } = input;
  const {
    id,
    name,
    family,
    metric,
    direction,
    sampler,
    seed,
    gridPoints,
    halving,
    evaluation,
    foldStopping,
  } = study;
  // The default settings the study starts with that have not run yet: Optuna runs them first.
  const ran = new Set(trials.map((t) => t.number));
  const waiting = (study.startWith ?? []).filter((_, i) => !ran.has(i));
  return {
    format: HANDOFF_FORMAT,
    version: HANDOFF_VERSION,
    app,
    optunaStudyName: optunaStudyName(study),
    study: {
      id,
      name,
      family,
      metric,
      direction,
      sampler,
      seed,
      gridPoints,
      halving,
      evaluation,
      ...(foldStopping ? { foldStopping } : {}),
      datasetVersionId: data.id,
      dataset: dataLabel,
    },
    task: data.task,
    space: ordered(study.space),
    ...(sampler === 'grid'
      ? {
          grid: Object.fromEntries(
            Object.entries(study.space).map(([n, d]) => [n, gridValues(d, gridPoints)]),
          ),
        }
      : {}),
    defaults: Object.fromEntries(
      [...new Set([...familiesIn(study), 'baseline'])].map((f) => [
        f,
        learnerFor(f).defaults(data.task),
      ]),
    ),
    data: {
      file: 'data.csv',
      foldColumn,
      target: encoding.target,
      features: encoding.features,
      classes: encoding.classes,
      ...(encoding.mergeClassVariants ? { mergeClassVariants: true } : {}),
    },
    ...(waiting.length > 0 ? { startWith: waiting } : {}),
    trials: trials.map((t) => ({
      number: t.number,
      params: t.params,
      state: t.state,
      value: t.value,
      intermediate: t.intermediate,
      durationMs: t.durationMs,
      ...(t.folds ? { folds: t.folds } : {}),
    })),
  };
}

function readme(input: HandoffInput, spec: ReturnType<typeof handoffSpec>): string {
  const { study } = input;
  const metric = METRICS[study.metric];
  return `# ${study.name}: continue this Orpheus study with Optuna

Exported by ${input.app} on the data version ${input.dataLabel}: ${input.trials.length} trials so far,
${metric.higherIsBetter ? 'maximising' : 'minimising'} ${metric.label} (\`${study.metric}\`) in
${study.evaluation.folds}-fold cross-validation.

| file | what |
| --- | --- |
| \`search.py\` | the search: Optuna ≥ 3.1 and scikit-learn ≥ 1.2 (and NumPy) |
| \`study.json\` | the study: space, sampler, metric, rungs, fixed settings, the trials so far |
| \`data.csv\` | the data version, missing values as empty cells; column \`${spec.data.foldColumn}\` is each row's fold (\`test\`: a hold-out row, empty: no target) |

Each trial trains the scikit-learn estimator that matches its Orpheus family, with the same
settings and preprocessing, on the same folds as in Orpheus, and returns the same metric.
\`search.py\` lists how each Orpheus setting maps to scikit-learn (\`SKLEARN_NAMES\`); a family
scikit-learn cannot reproduce is left out, and the script says why.

## Install

    pip install "optuna>=3.1" "scikit-learn>=1.2"        (or, on Debian: apt install python3-optuna python3-sklearn)

## One worker

    python search.py --storage journal.log --trials 200

\`--trials N\`: the study stops once Optuna has run N trials beyond the browser's, over every
worker (run again with a larger N to go on). The first worker adds the
browser's ${input.trials.length} trials to the Optuna study (\`add_trial\`), so the sampler goes on
from what the browser learned; they are not run again.

## Many workers

On one machine, start several processes against the same journal file:

    python search.py --storage journal.log --trials 200 &
    python search.py --storage journal.log --trials 200 &

On many machines, put \`journal.log\` on a disk they all mount (NFS), or use a database that
Optuna's RDB storage supports:

    python search.py --storage postgresql://user:password@host/dbname --trials 2000
    python search.py --storage mysql+pymysql://user:password@host/dbname --trials 2000

## Look at it

    pip install optuna-dashboard
    optuna-dashboard journal.log            (or the database URL)

## Check the mapping

    python search.py --check                                       every family's defaults, scored on the folds
    python search.py --score '{"family": "decision-tree", "maxDepth": 3}'

## Bring it back

In Orpheus: Search → "Import an Optuna study", and choose \`journal.log\`. Its trials become a
study linked to this one, with all its plots; "Train the best here" trains the best settings
with Orpheus on the same data version and folds, and shows Orpheus's score beside Optuna's.
From a database, copy the study into a journal file first:

    python -c 'import optuna; optuna.copy_study(from_study_name="${spec.optunaStudyName}", from_storage="postgresql://…", to_storage=optuna.storages.JournalStorage(optuna.storages.JournalFileStorage("journal.log")))'
`;
}

/** The files of "Continue elsewhere", by path inside the zip. */
export function handoffFiles(input: HandoffInput): Files {
  const { encoding } = trainingSet(input.content);
  const column = foldColumnName(input.content);
  const spec = handoffSpec(input, encoding, column);
  const files: Files = new Map();
  const folder = 'orpheus-study';
  files.set(`${folder}/README.md`, readme(input, spec));
  files.set(`${folder}/search.py`, input.script);
  files.set(`${folder}/study.json`, JSON.stringify(spec, null, 1) + '\n');
  files.set(
    `${folder}/data.csv`,
    contentCsv(input.content, { name: column, cells: rowFolds(input.content, input.study) }),
  );
  return files;
}
