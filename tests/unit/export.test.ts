import { strFromU8, unzipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mlflowZip, versionCard } from '../../src/app/exports';
import { cardHtml, cardMarkdown } from '../../src/core/export/card';
import { finish } from '../../src/core/data/pipeline';
import { saveImport } from '../../src/store/datasets';
import { Store } from '../../src/store/db';
import { annotateVersion, moveAlias, saveNewModel, setIntendedUse } from '../../src/store/models';
import { createStudy, saveTrial } from '../../src/store/studies';
import { tinyContent, versionFixture } from './fixtures';

const opened: Store[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

/** A store with a dataset, a model of two versions (one noted), and a study of three trials. */
async function history() {
  const store = await Store.open(`export-${Math.random().toString(36).slice(2)}`);
  opened.push(store);
  const content = tinyContent(3);
  const built = await finish(content, {
    kind: 'import',
    rowsAdded: 60,
    rowsRemoved: 0,
    columnsChanged: [],
    summary: 'imported',
  });
  const saved = await saveImport(
    store,
    'amy',
    { name: 'tiny', description: '', source: 'tiny.csv' },
    built,
  );
  if (!saved.saved) throw new Error('not saved');
  const saved2 = await saveNewModel(
    store,
    'amy',
    { name: 'tiny tree', task: 'classification', metric: 'accuracy' },
    versionFixture(saved.version.id, content),
  );
  const version = saved2.version;
  let model = await annotateVersion(store, 'amy', saved2.model, version, {
    note: 'first',
    tags: ['demo'],
  });
  model = await setIntendedUse(store, 'amy', model, 'Teaching <b>splits</b> in class.');
  model = await moveAlias(store, 'amy', model, 'champion', version, 'promote', 'the first');
  const study = await createStudy(store, 'amy', {
    name: 'depth search',
    datasetVersionId: saved.version.id,
    family: 'decision-tree',
    space: { maxDepth: { kind: 'int', low: 1, high: 5, step: 1, log: false } },
    sampler: 'tpe',
    gridPoints: 5,
    seed: 1,
    metric: 'accuracy',
    direction: 'maximize',
    budget: 3,
    halving: { eta: 3, rungs: [0.33, 1] },
    evaluation: { folds: 3, testFraction: 0.2 },
    modelId: model.id,
  });
  for (const [number, value, state] of [
    [0, 0.8, 'complete'],
    [1, null, 'pruned'],
    [2, 0.9, 'complete'],
  ] as const)
    await saveTrial(store, 'amy', study, {
      number,
      params: { maxDepth: number + 1 },
      value,
      state,
      durationMs: 5,
      intermediate: [0.5],
    });
  return { store, model, version, study };
}

describe('model card', () => {
  it('has every section, with the data, settings, scores and caveats of the version', async () => {
    const { store, model, version } = await history();
    const card = await versionCard(store, model, version, null);
    expect(card.sections.map((s) => s.id)).toEqual([
      'intended-use',
      'data',
      'training',
      'model',
      'evaluation',
      'confusion',
      'limitations',
      'lineage',
      'people',
    ]);
    const facts = Object.fromEntries(card.sections.flatMap((s) => s.facts ?? []));
    expect(card.sections[0]!.text).toEqual(['Teaching <b>splits</b> in class.']);
    // The preprocessing in words, as the version records it.
    expect(card.sections.find((s) => s.id === 'model')!.text).toEqual(version.preprocessing);
    expect(facts['Data version']).toMatch(/^tiny v1/);
    expect(facts['Class balance']).toMatch(/^(high|low) \d+ \(\d+\.\d %\), (high|low) \d+/);
    expect(facts['Max depth']).toBeDefined();
    expect(facts['Seed']).toBe(String(version.seed));
    const scores = card.sections.find((s) => s.id === 'evaluation')!.table!;
    expect(scores.rows.find((r) => r[0] === 'Accuracy')![1]).toMatch(/^[\d.]+ ± [\d.]+$/);
    expect(scores.head[1]).toBe('Cross-validated (mean ± std)');
    // A searched version's CV is its search's selection score, and the card says so.
    const searched = { ...version, search: { kind: 'study' as const, studyId: 's', trial: 7 } };
    const picked = await versionCard(store, model, searched, null);
    const evaluation = picked.sections.find((s) => s.id === 'evaluation')!;
    expect(evaluation.table!.head[1]).toBe('Cross-validated, selection (mean ± std)');
    expect(evaluation.text!.join(' ')).toMatch(/selection scores of trial 7 of its search/);
    const caveats = card.sections.find((s) => s.id === 'limitations')!.text!.join(' ');
    expect(caveats).toMatch(/Missing values/);
    expect(caveats).toMatch(/trainer/);
    expect(facts['Version made by']).toMatch(/^amy, /);
    const md = cardMarkdown(card);
    expect(md).toMatch(/^# Model card: tiny tree v1\n/);
    expect(md).toMatch(/\n## Evaluation\n/);
    expect(md).toMatch(/\| Accuracy \| [\d.]+ ± [\d.]+ \|/);
    const html = cardHtml(card);
    expect(html).toContain('Teaching &#60;b&#62;splits&#60;/b&#62; in class.');
    expect(html).not.toContain('<b>splits');
  });
});

describe('MLflow export', () => {
  it('lays out one run per version and per trial as an MLflow file store', async () => {
    const { store, model, version, study } = await history();
    const steps: number[] = [];
    const zip = await mlflowZip(store, new AbortController().signal, (d) => steps.push(d));
    expect(steps).toEqual([1, 2]);
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    const text = (p: string): string => strFromU8(files[p]!);
    const yamlOf = (p: string) => parse(text(p)) as Record<string, unknown>;
    const names = Object.keys(files);
    expect(names.every((n) => n.startsWith('mlruns/'))).toBe(true);

    // Experiments: the model, then the study.
    expect(yamlOf('mlruns/1/meta.yaml')).toMatchObject({
      experiment_id: '1',
      name: 'tiny tree',
      lifecycle_stage: 'active',
      artifact_location: 'mlruns/1',
    });
    expect(yamlOf('mlruns/2/meta.yaml')).toMatchObject({ name: 'depth search (search)' });

    const runsOf = (exp: string): string[] => [
      ...new Set(
        names
          .filter((n) => n.startsWith(`mlruns/${exp}/`) && n.split('/').length > 3)
          .map((n) => n.split('/')[2]!),
      ),
    ];
    const [run] = runsOf('1');
    expect(run).toMatch(/^[0-9a-f]{32}$/);
    const dir = `mlruns/1/${run}`;
    const meta = yamlOf(`${dir}/meta.yaml`);
    expect(meta).toMatchObject({
      run_id: run,
      run_uuid: run,
      experiment_id: '1',
      run_name: 'tiny tree v1',
      user_id: 'amy',
      status: 3,
      lifecycle_stage: 'active',
      artifact_uri: `mlruns/1/${run}/artifacts`,
    });
    expect(meta['end_time']).toBe(Date.parse(version.createdAt));
    expect(text(`${dir}/params/maxDepth`)).toBe(String(version.hyperparameters.maxDepth ?? 'None'));
    expect(text(`${dir}/params/seed`)).toBe(String(version.seed));
    const metricLine = /^\d{13} -?\d+(\.\d+)?(e-?\d+)? \d+$/;
    const folds = text(`${dir}/metrics/cv_accuracy_fold`).trim().split('\n');
    expect(folds).toHaveLength(version.evaluation.folds);
    folds.forEach((l, i) => {
      expect(l).toMatch(metricLine);
      expect(l.split(' ')[2]).toBe(String(i));
    });
    expect(Number(text(`${dir}/metrics/cv_accuracy_mean`).split(' ')[1])).toBeCloseTo(
      version.scores.cv.accuracy!.mean,
    );
    expect(text(`${dir}/tags/mlflow.user`)).toBe('amy');
    expect(text(`${dir}/tags/mlflow.runName`)).toBe('tiny tree v1');
    expect(text(`${dir}/tags/mlflow.note.content`)).toBe('first');
    expect(text(`${dir}/tags/orpheus.version_id`)).toBe(version.id);
    expect(text(`${dir}/tags/orpheus.aliases`)).toBe('champion');
    const logged = JSON.parse(text(`${dir}/tags/mlflow.log-model.history`)) as {
      artifact_path: string;
      flavors: Record<string, unknown>;
    }[];
    expect(logged[0]!.artifact_path).toBe('model');
    const mlmodel = yamlOf(`${dir}/artifacts/model/MLmodel`) as {
      artifact_path: string;
      run_id: string;
      flavors: { onnx: { data: string }; python_function: { loader_module: string } };
    };
    expect(mlmodel.artifact_path).toBe('model');
    expect(mlmodel.run_id).toBe(run);
    expect(mlmodel.flavors.onnx.data).toBe('model.onnx');
    expect(mlmodel.flavors.python_function.loader_module).toBe('mlflow.onnx');
    // The artifact is a model ONNX Runtime loads, with the version's features as inputs.
    const session = await ort.InferenceSession.create(files[`${dir}/artifacts/model/model.onnx`]!);
    expect(session.inputNames).toEqual(['x', 'z']);
    expect(text(`${dir}/artifacts/model_card.md`)).toMatch(/^# Model card: tiny tree v1/);

    // The study: a parent run, and one child run per trial with its history.
    const runs = runsOf('2').map((r) => ({
      r,
      tags: (t: string) => files[`mlruns/2/${r}/tags/${t}`],
    }));
    const parent = runs.find((x) => !x.tags('mlflow.parentRunId'))!;
    const children = runs.filter((x) => x.tags('mlflow.parentRunId'));
    expect(children).toHaveLength(3);
    for (const c of children) expect(strFromU8(c.tags('mlflow.parentRunId')!)).toBe(parent.r);
    expect(text(`mlruns/2/${parent.r}/metrics/best_accuracy`).split(' ')[1]).toBe('0.9');
    expect(text(`mlruns/2/${parent.r}/params/sampler`)).toBe(study.sampler);
    const first = children.find((c) => strFromU8(c.tags('orpheus.trial')!) === '0')!;
    expect(
      text(`mlruns/2/${first.r}/metrics/accuracy`)
        .trim()
        .split('\n')
        .map((l) => l.split(' ').slice(1).join(' ')),
    ).toEqual(['0.5 0', '0.8 1']);
    const pruned = children.find((c) => strFromU8(c.tags('orpheus.trial')!) === '1')!;
    expect(yamlOf(`mlruns/2/${pruned.r}/meta.yaml`)['status']).toBe(5);
    expect(model.id).toBe(text(`${dir}/tags/orpheus.model_id`));
  });
});

describe('share by link', () => {
  it('round-trips a version, and adds it to another store once', async () => {
    const { readShareLink, shareLink } = await import('../../src/core/export/share');
    const { importShared } = await import('../../src/store/models');
    const { model, version } = await history();
    const link = await shareLink({
      model: { id: model.id, name: model.name, task: model.task, metric: model.metric },
      version,
    });
    expect(link).toMatch(/^[A-Za-z0-9_-]+$/);
    const back = await readShareLink(link);
    expect(back.version).toEqual(version);
    expect(back.model.name).toBe('tiny tree');

    const other = await Store.open(`share-${Math.random().toString(36).slice(2)}`);
    opened.push(other);
    const first = await importShared(other, 'lee', back);
    expect(first.added).toBe(true);
    expect(first.model.name).toBe('tiny tree');
    expect((await other.get('modelVersions', version.id))?.fitted).toEqual(version.fitted);
    const again = await importShared(other, 'lee', back);
    expect(again.added).toBe(false);
    expect(await other.count('modelVersions')).toBe(1);
  });

  it('never changes a model here: a link claiming its id comes in as a model of its own', async () => {
    const { importShared } = await import('../../src/store/models');
    const { canonicalDump } = await import('../../src/store/backup');
    const { store, model, version } = await history();
    const before = await canonicalDump(store);
    const claimed = { ...version, id: 'another-version', number: 1 };
    const r = await importShared(store, 'lee', {
      model: { id: model.id, name: model.name, task: model.task, metric: model.metric },
      version: claimed,
    });
    expect(r.added).toBe(true);
    expect(r.model.id).not.toBe(model.id);
    expect(r.model.name).toBe('tiny tree (shared)');
    expect(r.version.modelId).toBe(r.model.id);
    expect(await store.get('models', model.id)).toEqual(model);
    // A version whose id is taken here by other content is refused with a message.
    const clash = importShared(store, 'lee', {
      model: { id: 'x', name: 'x', task: model.task, metric: model.metric },
      version: { ...version, seed: version.seed + 1 },
    });
    await expect(clash).rejects.toThrow(/another model version under the id/);
    const after = await canonicalDump(store);
    expect(after).not.toBe(before);
    expect(JSON.parse(after).models).toHaveLength(2);
  });

  it('says what is wrong with a malformed, changed or too large link', async () => {
    const { readShareLink, shareLink, MAX_LINK_CHARS } =
      await import('../../src/core/export/share');
    const { model, version } = await history();
    const link = await shareLink({
      model: { id: model.id, name: model.name, task: model.task, metric: model.metric },
      version,
    });
    const fail = (text: string) =>
      readShareLink(text).then(
        () => '',
        (e: Error) => e.message,
      );
    expect(await fail('abc%20def')).toMatch(/not a model link from Orpheus/);
    expect(await fail(link.slice(0, Math.floor(link.length / 2)))).toMatch(/cut short|damaged/);
    expect(await fail('x'.repeat(MAX_LINK_CHARS + 1))).toMatch(/too long/);
    // A well-formed link whose version has a wrong field.
    const pack = async (o: unknown): Promise<string> => {
      const s = new Blob([JSON.stringify(o)])
        .stream()
        .pipeThrough(new CompressionStream('deflate-raw'));
      const b = new Uint8Array(await new Response(s).arrayBuffer());
      return Buffer.from(b).toString('base64url');
    };
    const good = {
      format: 'orpheus-share',
      formatVersion: 1,
      model: { id: model.id, name: model.name, task: model.task, metric: model.metric },
      version,
    };
    expect(await fail(await pack({ ...good, version: { ...version, number: 'one' } }))).toMatch(
      /version the field "number"/,
    );
    expect(await fail(await pack({ ...good, formatVersion: 7 }))).toMatch(/newer Orpheus/);
    // Missing or null parts get the link's message, never a TypeError.
    const tree = version.fitted as { root: unknown };
    const broken: [Record<string, unknown>, RegExp][] = [
      [{ hyperparameters: null }, /"hyperparameters"/],
      [{ modelParameters: null }, /"modelParameters"/],
      [{ encoding: {} }, /"encoding/],
      [
        {
          encoding: {
            ...version.encoding,
            features: [version.encoding.features[0], version.encoding.features[0]],
          },
        },
        /names a feature twice/,
      ],
      [{ fitted: { ...tree, root: null } }, /node that is not a node/],
      [{ scores: null }, /"scores"/],
      [{ fitted: undefined }, /"fitted"/],
    ];
    for (const [part, message] of broken) {
      const e = await fail(await pack({ ...good, version: { ...version, ...part } }));
      expect(e, JSON.stringify(part).slice(0, 60)).toMatch(message);
      expect(e).not.toMatch(/TypeError|Cannot read/);
    }
    expect(
      await fail(
        await pack(JSON.parse(`{"__proto__": {"polluted": 1}, "format": "orpheus-share"}`)),
      ),
    ).toMatch(/"__proto__"/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    // A version too large for a link is refused when the link is made.
    const big = {
      ...version,
      holdout: {
        rows: Array.from({ length: 60_000 }, (_, i) => i * 7919),
        predictions: Array.from({ length: 60_000 }, () => Math.random()),
      },
    };
    await expect(
      shareLink({
        model: { id: model.id, name: model.name, task: model.task, metric: model.metric },
        version: big,
      }),
    ).rejects.toThrow(/too large for a link/);
  });
});

describe('the MLflow export’s member names', () => {
  it('never steps out of its folder, whatever a setting or trial is called; every run has its folders', async () => {
    const { memberKey, zipFiles } = await import('../../src/core/export/mlflow');
    expect(memberKey('../../../etc/passwd')).toBe('__/__/__/etc/passwd');
    expect(memberKey('/abs//./x')).toBe('abs/x');
    expect(memberKey('..')).toBe('__');
    expect(memberKey('')).toBe('_');
    await expect(zipFiles(new Map([['mlruns/../x', 'y']]))).rejects.toThrow(/would not write/);

    const { store } = await history();
    // A trial whose setting is named to climb out of the export (as an altered backup could).
    const [study] = await store.getAll('studies');
    await saveTrial(store, 'amy', study!, {
      number: 9,
      params: { '../../../evil': 1 },
      value: 0.5,
      state: 'complete',
      durationMs: 1,
      intermediate: [0.5],
    });
    const zip = await mlflowZip(store, new AbortController().signal, () => {});
    const names = Object.keys(unzipSync(new Uint8Array(await zip.arrayBuffer())));
    expect(names.every((n) => !n.split('/').includes('..') && !n.startsWith('/'))).toBe(true);
    expect(names.some((n) => n.endsWith('/params/__/__/__/evil'))).toBe(true);
    const runs = names.filter((n) => /^mlruns\/\d+\/[0-9a-f]{32}\/$/.test(n));
    expect(runs.length).toBeGreaterThan(2);
    for (const run of runs)
      for (const sub of ['params/', 'metrics/', 'tags/', 'artifacts/'])
        expect(names, run + sub).toContain(run + sub);
    expect(names).toContain('mlruns/1/');
  });
});
