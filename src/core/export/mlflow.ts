/**
 * Orpheus's history laid out as an MLflow file store (`mlruns/`), so a team can point an MLflow
 * tracking server at it, or move it into a database-backed server with MLflow's own tools.
 *
 *   mlruns/<experiment>/meta.yaml                    one experiment per model, one per study
 *   mlruns/<experiment>/<run>/meta.yaml              one run per model version, per study, per trial
 *   mlruns/<experiment>/<run>/params/<name>          the value, as text
 *   mlruns/<experiment>/<run>/metrics/<name>         lines "<ms since 1970> <value> <step>"
 *   mlruns/<experiment>/<run>/tags/<name>            the value, as text
 *   mlruns/<experiment>/<run>/artifacts/model/       MLmodel (onnx flavour), model.onnx,
 *                                                    requirements.txt (model versions)
 *   mlruns/<experiment>/<run>/artifacts/model_card.md
 *
 * Run ids are the first 32 hex digits of the SHA-256 of the Orpheus id, so exporting twice
 * gives the same ids. Trials are child runs of their study's run (`mlflow.parentRunId`).
 */
import { BlobWriter, TextReader, Uint8ArrayReader, ZipWriter } from '@zip.js/zip.js';
import { stringify } from 'yaml';
import { sha256Hex } from '../bytes';
import type { ModelRecord, ModelVersionRecord, StudyRecord, TrialRecord } from '../records';
import { scalarScores } from '../train/metrics';

export interface MlflowInput {
  models: { model: ModelRecord; versions: ModelVersionRecord[] }[];
  studies: { study: StudyRecord; trials: TrialRecord[] }[];
  onnx(model: ModelRecord, version: ModelVersionRecord): Promise<Uint8Array>;
  card(model: ModelRecord, version: ModelVersionRecord): string;
  app: string;
}

/** The MLflow version whose file-store layout this follows. */
export const MLFLOW_VERSION = '2.9.2';
const FINISHED = 3;
const FAILED = 4;
const KILLED = 5;
const LOCAL = 4;

/** 32 hex digits, as MLflow's run ids: the start of the SHA-256 of an Orpheus id. */
async function runId(id: string): Promise<string> {
  return (await sha256Hex(new TextEncoder().encode(id))).slice(0, 32);
}

/** Keys MLflow accepts: letters, digits, `_ - . / ` and space. */
/**
 * A param, metric or tag name as a file name inside its run: MLflow's characters only, and
 * never a step out of the folder (no "..", ".", empty or leading "/" parts), whatever a setting,
 * score or trial is called.
 */
export function memberKey(s: string): string {
  const parts = s
    .replace(/[^\w\-. /]/g, '_')
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .map((p) => (/^\.+$/.test(p) ? p.replace(/\./g, '_') : p));
  return parts.join('/') || '_';
}
const key = memberKey;
const ms = (iso: string): number => Date.parse(iso);

export type Files = Map<string, string | Uint8Array>;

interface Run {
  experiment: string;
  id: string;
  name: string;
  user: string;
  start: number;
  end: number;
  status: number;
  params: Record<string, string>;
  /** name → [value, step][] */
  metrics: Record<string, [number, number][]>;
  tags: Record<string, string>;
}

/** A folder entry: MLflow's file store needs every run's params, metrics, tags and artifacts folders. */
const FOLDER = '';

function writeRun(files: Files, run: Run): string {
  const dir = `mlruns/${run.experiment}/${run.id}`;
  for (const sub of ['params', 'metrics', 'tags', 'artifacts']) files.set(`${dir}/${sub}/`, FOLDER);
  files.set(
    `${dir}/meta.yaml`,
    stringify({
      artifact_uri: `mlruns/${run.experiment}/${run.id}/artifacts`,
      end_time: run.end,
      entry_point_name: '',
      experiment_id: run.experiment,
      lifecycle_stage: 'active',
      run_id: run.id,
      run_name: run.name,
      run_uuid: run.id,
      source_name: '',
      source_type: LOCAL,
      source_version: '',
      start_time: run.start,
      status: run.status,
      tags: [],
      user_id: run.user,
    }),
  );
  for (const [k, x] of Object.entries(run.params)) files.set(`${dir}/params/${key(k)}`, x);
  for (const [k, points] of Object.entries(run.metrics))
    if (points.length)
      files.set(
        `${dir}/metrics/${key(k)}`,
        points.map(([value, step]) => `${run.end} ${value} ${step}\n`).join(''),
      );
  const tags = {
    'mlflow.runName': run.name,
    'mlflow.user': run.user,
    'mlflow.source.name': 'Orpheus',
    'mlflow.source.type': 'LOCAL',
    ...run.tags,
  };
  for (const [k, x] of Object.entries(tags)) files.set(`${dir}/tags/${key(k)}`, x);
  return dir;
}

function writeExperiment(files: Files, id: string, name: string, created: number, updated: number) {
  files.set(
    `mlruns/${id}/meta.yaml`,
    stringify({
      artifact_location: `mlruns/${id}`,
      creation_time: created,
      experiment_id: id,
      last_update_time: updated,
      lifecycle_stage: 'active',
      name,
    }),
  );
}

const params = (o: object): Record<string, string> =>
  Object.fromEntries(
    Object.entries(o).map(([k, x]) => [
      k,
      x === null ? 'None' : typeof x === 'string' ? x : JSON.stringify(x),
    ]),
  );

/** Every file of the export, path → content. */
export async function mlflowFiles(input: MlflowInput): Promise<Files> {
  const files: Files = new Map();
  let experiment = 0;
  for (const { model, versions } of input.models) {
    const exp = String(++experiment);
    writeExperiment(
      files,
      exp,
      model.name,
      ms(model.createdAt),
      Math.max(ms(model.createdAt), ...versions.map((v) => ms(v.createdAt))),
    );
    for (const v of versions) {
      const id = await runId(v.id);
      const start = ms(v.createdAt) - Math.round(v.trainingMs);
      const metrics: Run['metrics'] = {};
      for (const [m, spread] of Object.entries(v.scores.cv)) {
        metrics[`cv_${m}_mean`] = [[spread.mean, 0]];
        metrics[`cv_${m}_std`] = [[spread.std, 0]];
        metrics[`cv_${m}_fold`] = spread.folds.map((x, step) => [x, step]);
      }
      for (const [m, x] of Object.entries(scalarScores(v.scores.holdout)))
        if (typeof x === 'number' && Number.isFinite(x)) metrics[`holdout_${m}`] = [[x, 0]];
      metrics['training_ms'] = [[v.trainingMs, 0]];
      const aliases = Object.entries(model.aliases)
        .filter(([, vid]) => vid === v.id)
        .map(([a]) => a);
      const note = model.notes[v.id];
      const when = new Date(ms(v.createdAt)).toISOString().replace('T', ' ').replace('Z', '');
      const flavors = {
        onnx: {
          code: null,
          data: 'model.onnx',
          onnx_version: '1.12.0',
          providers: ['CPUExecutionProvider'],
        },
        python_function: {
          data: 'model.onnx',
          loader_module: 'mlflow.onnx',
          python_version: '3.11',
        },
      };
      const dir = writeRun(files, {
        experiment: exp,
        id,
        name: `${model.name} v${v.number}`,
        user: v.author,
        start,
        end: ms(v.createdAt),
        status: FINISHED,
        params: {
          ...params(v.hyperparameters),
          seed: String(v.seed),
          folds: String(v.evaluation.folds),
          test_fraction: String(v.evaluation.testFraction),
          metric: v.metric,
        },
        metrics,
        tags: {
          ...(note?.note ? { 'mlflow.note.content': note.note } : {}),
          'mlflow.log-model.history': JSON.stringify([
            { run_id: id, artifact_path: 'model', utc_time_created: when, flavors },
          ]),
          'orpheus.model_id': model.id,
          'orpheus.version': String(v.number),
          'orpheus.version_id': v.id,
          'orpheus.dataset_version': v.datasetVersionId,
          'orpheus.scenario': v.scenario,
          'orpheus.capabilities': v.tags.join(','),
          'orpheus.libraries': JSON.stringify(v.libraryVersions),
          ...(v.parentId ? { 'orpheus.parent_version_id': v.parentId } : {}),
          ...(aliases.length ? { 'orpheus.aliases': aliases.join(',') } : {}),
          ...(note?.tags.length ? { 'orpheus.tags': note.tags.join(',') } : {}),
        },
      });
      files.set(
        `${dir}/artifacts/model/MLmodel`,
        stringify({
          artifact_path: 'model',
          flavors,
          mlflow_version: MLFLOW_VERSION,
          model_uuid: await runId(`model:${v.id}`),
          run_id: id,
          utc_time_created: when,
          metadata: { producer: `Orpheus ${input.app}`, orpheus_version_id: v.id },
        }),
      );
      files.set(`${dir}/artifacts/model/model.onnx`, await input.onnx(model, v));
      files.set(`${dir}/artifacts/model/requirements.txt`, 'mlflow\nonnx\nonnxruntime\n');
      files.set(`${dir}/artifacts/model_card.md`, input.card(model, v));
    }
  }
  for (const { study, trials } of input.studies) {
    const exp = String(++experiment);
    const end = Math.max(ms(study.createdAt), ...trials.map((t) => ms(t.createdAt)));
    writeExperiment(files, exp, `${study.name} (search)`, ms(study.createdAt), end);
    const parent = await runId(study.id);
    const done = trials.filter((t) => t.value !== null).map((t) => t.value!);
    const best = done.length
      ? study.direction === 'maximize'
        ? Math.max(...done)
        : Math.min(...done)
      : null;
    writeRun(files, {
      experiment: exp,
      id: parent,
      name: study.name,
      user: study.author,
      start: ms(study.createdAt),
      end,
      status: study.state === 'complete' ? FINISHED : KILLED,
      params: {
        family: study.family,
        sampler: study.sampler,
        budget: String(study.budget),
        metric: study.metric,
        direction: study.direction,
        seed: String(study.seed),
        folds: String(study.evaluation.folds),
        space: JSON.stringify(study.space),
      },
      metrics: best === null ? {} : { [`best_${study.metric}`]: [[best, 0]] },
      tags: {
        'orpheus.study_id': study.id,
        'orpheus.dataset_version': study.datasetVersionId,
        'orpheus.state': study.state,
      },
    });
    for (const t of trials) {
      const history: [number, number][] = t.intermediate.map((x, step) => [x, step]);
      if (t.value !== null) history.push([t.value, t.intermediate.length]);
      writeRun(files, {
        experiment: exp,
        id: await runId(t.id),
        name: `${study.name} #${t.number}`,
        user: t.author,
        start: ms(t.createdAt) - Math.round(t.durationMs),
        end: ms(t.createdAt),
        status: t.state === 'failed' ? FAILED : t.state === 'pruned' ? KILLED : FINISHED,
        params: params(t.params),
        metrics: { [study.metric]: history },
        tags: {
          'mlflow.parentRunId': parent,
          'orpheus.trial': String(t.number),
          'orpheus.state': t.state,
          ...(t.error ? { 'orpheus.error': t.error } : {}),
        },
      });
    }
  }
  return files;
}

/** The files as one zip. */
export async function zipFiles(files: Files): Promise<Blob> {
  const zip = new ZipWriter(new BlobWriter('application/zip'));
  // Every folder as its own entry (MLflow lists runs by their folders), parents first.
  const folders = new Set<string>();
  for (const path of files.keys()) {
    if (path.startsWith('/') || path.split('/').some((p) => p === '..' || p === '.'))
      throw new Error(`Orpheus would not write the member "${path}" into an export.`);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(`${parts.slice(0, i).join('/')}/`);
  }
  for (const folder of [...folders].sort()) await zip.add(folder, undefined, { directory: true });
  for (const [path, content] of files) {
    if (path.endsWith('/')) continue;
    await zip.add(
      path,
      typeof content === 'string' ? new TextReader(content) : new Uint8ArrayReader(content),
    );
  }
  return zip.close();
}
