import { afterEach, describe, expect, it } from 'vitest';
import { compareScores, environmentDifferences, runningVersions } from '../../src/app/training';

const RUNNING_VERSIONS = runningVersions('decision-tree');
const TREE = 'decision-tree';
import { matrixFor, toMatrix } from '../../src/core/data/matrix';
import type { ModelVersionRecord } from '../../src/core/records';
import { defaultParams, trainModel } from '../../src/core/train/model';
import { predictTree, type TreeModel } from '../../src/core/learners/tree/tree';
import { Store } from '../../src/store/db';
import {
  annotateVersion,
  listModels,
  listModelVersions,
  modelsTrainedOn,
  saveNewModel,
  saveNextVersion,
  versionsTrainedOn,
} from '../../src/store/models';
import { tinyContent, versionFixture } from './fixtures';

const opened: Store[] = [];
async function fresh(): Promise<Store> {
  const s = await Store.open(`models-${Math.random().toString(36).slice(2)}`);
  opened.push(s);
  return s;
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

describe('the model store', () => {
  it('saves a model with v1, then v2 with its parent, each with an event', async () => {
    const store = await fresh();
    const { model, version } = await saveNewModel(
      store,
      'amy',
      { name: 'tiny tree', task: 'classification', metric: 'accuracy' },
      versionFixture('data-1'),
    );
    expect(version.number).toBe(1);
    expect(version.parentId).toBeNull();
    const v2 = await saveNextVersion(store, 'bo', model, versionFixture('data-2', tinyContent(2)));
    expect(v2.number).toBe(2);
    expect(v2.parentId).toBe(version.id);
    expect(v2.author).toBe('bo');
    expect((await listModelVersions(store, model.id)).map((v) => v.number)).toEqual([1, 2]);
    expect((await versionsTrainedOn(store, 'data-2')).map((v) => v.id)).toEqual([v2.id]);
    expect(await modelsTrainedOn(store, 'data-1')).toEqual([
      { modelId: model.id, name: 'tiny tree', number: 1 },
    ]);
    const events = await store.recentEvents(10);
    expect(events.map((e) => `${e.kind} ${e.action}`)).toEqual([
      'modelVersion create',
      'modelVersion create',
      'model create',
    ]);
    // Versions are immutable: the same record cannot be written twice.
    await expect(
      store.commit('amy', [{ store: 'modelVersions', value: v2, action: 'create', summary: '' }]),
    ).rejects.toThrow();
  });

  it('refuses a second model with the same name, and keeps notes and tags per version', async () => {
    const store = await fresh();
    const draft = { name: 'tree', task: 'classification' as const, metric: 'accuracy' as const };
    const { model, version } = await saveNewModel(store, 'amy', draft, versionFixture('d'));
    await expect(saveNewModel(store, 'amy', draft, versionFixture('d'))).rejects.toThrow(
      /exists already/,
    );
    expect(await listModels(store)).toHaveLength(1);
    const noted = await annotateVersion(store, 'amy', model, version, {
      note: ' good on small data ',
      tags: ['demo', ' demo', ''],
    });
    expect(noted.notes[version.id]).toEqual({ note: 'good on small data', tags: ['demo'] });
    const cleared = await annotateVersion(store, 'amy', noted, version, { note: '', tags: [] });
    expect(cleared.notes).toEqual({});
    expect((await store.get('models', model.id))?.notes).toEqual({});
  });
});

describe('what a version records', () => {
  it('names features, importances, libraries and the preprocessing', () => {
    const v = versionFixture('d');
    expect(v.libraryVersions).toEqual(RUNNING_VERSIONS);
    expect(v.modelParameters.importances.map(([n]) => n)).toEqual(['x', 'z']);
    expect(v.modelParameters.featuresUsed).toContain('x');
    expect(v.hyperparameters).toEqual(defaultParams('classification'));
    expect(v.preprocessing.join(' ')).toMatch(/Classes are coded in the order high, low/);
    expect(v.holdout.rows.length).toBe(v.holdout.predictions.length);
    expect(v.tags).toContain('handles-missing-values');
  });

  it('predicts from raw rows with its own encoding: re-verification agrees', () => {
    const content = tinyContent();
    const v = versionFixture('d', content);
    const m = matrixFor(content, v.encoding);
    expect(Array.from(m.x)).toEqual(Array.from(toMatrix(content).x));
    const p = m.features;
    const x = Float64Array.from(
      v.holdout.rows.flatMap((r) => Array.from(m.x.subarray(r * p, (r + 1) * p))),
    );
    const again = predictTree(v.fitted as TreeModel, x, v.holdout.rows.length, p, 2).predictions;
    expect(Array.from(again)).toEqual(v.holdout.predictions);
  });

  it('reads an unseen category or a missing column as missing', () => {
    const content = tinyContent();
    const encoding = {
      ...toMatrix(content).encoding,
      features: [
        { name: 'x', kind: 'numeric' as const },
        { name: 'colour', kind: 'categorical' as const, categories: ['red'] },
      ],
    };
    const m = matrixFor(content, encoding);
    expect(m.features).toBe(2);
    expect(Number.isNaN(m.x[1]!)).toBe(true);
  });
});

describe('the environment check and score comparison', () => {
  it('warns only when the trainer or the tree library differs', () => {
    expect(environmentDifferences({ ...RUNNING_VERSIONS }, TREE)).toEqual([]);
    expect(environmentDifferences({ ...RUNNING_VERSIONS, orpheus: '0.0.1' }, TREE)).toEqual([]);
    expect(environmentDifferences({ ...RUNNING_VERSIONS, trainer: '0' }, TREE)).toEqual([
      { name: 'trainer', recorded: '0', running: RUNNING_VERSIONS['trainer'] },
    ]);
    expect(environmentDifferences({}, TREE).map((d) => d.recorded)).toEqual(['unknown', 'unknown']);
  });

  it('judges a change by the metric’s direction, not by its sign', () => {
    const content = tinyContent();
    const a = { ...versionFixture('d', content) } as unknown as ModelVersionRecord;
    const worse = structuredClone(a);
    const s = worse.scores.holdout as { accuracy: number; log_loss: number };
    s.accuracy -= 0.1;
    s.log_loss += 1;
    const rows = compareScores(a, worse);
    expect(rows.find((r) => r.metric === 'accuracy')?.verdict).toBe(-1);
    expect(rows.find((r) => r.metric === 'log_loss')?.verdict).toBe(-1);
    const better = compareScores(worse, a);
    expect(better.find((r) => r.metric === 'log_loss')?.verdict).toBe(1);
  });

  it('trains the same version again from the same data, settings and seed', () => {
    const content = tinyContent();
    const spec = {
      params: defaultParams('classification'),
      plan: { folds: 3, testFraction: 0.2, seed: 5 },
      metric: 'accuracy' as const,
    };
    const a = trainModel(content, spec);
    const b = trainModel(content, spec);
    expect(JSON.stringify(b.fitted)).toBe(JSON.stringify(a.fitted));
    const c = trainModel(content, { ...spec, plan: { ...spec.plan, seed: 6 } });
    expect(c.holdoutRows).not.toEqual(a.holdoutRows);
  });
});

describe('two tabs at once', () => {
  it('give unique, gapless version numbers and lose no version', async () => {
    const name = `tabs-${Math.random().toString(36).slice(2)}`;
    const tab1 = await Store.open(name);
    const tab2 = await Store.open(name);
    opened.push(tab1, tab2);
    const { model } = await saveNewModel(
      tab1,
      'amy',
      { name: 'shared', task: 'classification', metric: 'accuracy' },
      versionFixture('d'),
    );
    const draft = versionFixture('d');
    await Promise.all([
      ...Array.from({ length: 4 }, () => saveNextVersion(tab1, 'amy', model, draft)),
      ...Array.from({ length: 4 }, () => saveNextVersion(tab2, 'bo', model, draft)),
    ]);
    const numbers = (await listModelVersions(tab2, model.id)).map((v) => v.number);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
