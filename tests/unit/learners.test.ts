import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { buildContent, type DatasetContent } from '../../src/core/data/content';
import { suggestSchema } from '../../src/core/data/infer';
import { parseTable } from '../../src/core/data/parse';
import { checkRecord, RecordError } from '../../src/core/check';
import { LEARNERS, learnerFor } from '../../src/core/learners/registry';
import { MAX_TREE_DEPTH } from '../../src/core/learners/tree/schema';
import type { ModelVersionRecord } from '../../src/core/records';
import { trainModel, trainingSet } from '../../src/core/train/model';
import { versionFixture } from './fixtures';

async function sample(file: string): Promise<DatasetContent> {
  const raw = await parseTable(readFileSync(`public/samples/${file}`, 'utf8'), { fileName: file });
  const s = suggestSchema(raw);
  return buildContent(raw.columns, s.columns, s.task, raw.rowCount);
}

/** What every family must do; a new family added to the registry is held to it here. */
describe.each(LEARNERS.map((l) => [l.family, l] as const))('the %s family', (_f, learner) => {
  for (const file of ['iris.csv', 'diabetes.csv', 'penguins.csv'])
    it(`fits ${file} to plain data that its own checks accept and that predicts the same after a round trip`, async () => {
      const content = await sample(file);
      const { set, encoding } = trainingSet(content);
      if (!learner.tasks.includes(encoding.task)) return;
      const params = learner.defaults(encoding.task);
      learner.checkParams(params, encoding.task);
      const fit = learner.fit(set, params, { seed: 3 });
      // Plain data: JSON keeps every part of it.
      const copy: unknown = JSON.parse(JSON.stringify(fit.fitted));
      // The shape a backup or a link is checked against accepts it.
      expect(v.safeParse(learner.fittedSchema, copy).issues).toBeUndefined();
      expect(learner.checkFitted(copy, encoding)).toBeNull();
      expect(learner.same(copy, fit.fitted)).toBe(true);
      const a = learner.predict(fit.fitted, set.x, set.rows, set.features, set.classes);
      const b = learner.predict(copy, set.x, set.rows, set.features, set.classes);
      expect(Array.from(b.predictions)).toEqual(Array.from(a.predictions));
      expect(fit.importances).toHaveLength(set.features);
      // One row through predictRow gives what predict gives for it.
      const row = Array.from(set.x.subarray(0, set.features));
      expect(learner.predictRow(fit.fitted, row, set.classes).value).toBe(a.predictions[0]);
      // Seeded: the same seed, the same model.
      expect(learner.same(learner.fit(set, params, { seed: 3 }).fitted, fit.fitted)).toBe(true);
      // Its space's defaults are settings it accepts.
      expect(Object.keys(learner.defaultSpace(encoding.task)).length).toBeGreaterThan(0);
      expect(learner.describeSize(fit.size)).not.toBe('');
      const part = await learner.onnx(fit.fitted, encoding);
      expect(part.nodes.length).toBeGreaterThan(0);
    });

  it('is reached by its family name, and an unknown family gets a message', () => {
    expect(learnerFor(learner.family)).toBe(learner);
    expect(() => learnerFor('no-such-family')).toThrow(/does not know/);
  });
});

describe('a decision tree from outside', () => {
  const version = (): ModelVersionRecord => {
    const draft = versionFixture('d');
    return JSON.parse(
      JSON.stringify({
        ...draft,
        id: 'v',
        modelId: 'm',
        number: 1,
        parentId: null,
        author: 'amy',
        createdAt: '2026-11-22T00:00:00.000Z',
      }),
    ) as ModelVersionRecord;
  };
  const problem = (v: unknown): string => {
    try {
      checkRecord('modelVersions', v);
      return '';
    } catch (e) {
      expect(e).toBeInstanceOf(RecordError);
      return (e as Error).message;
    }
  };
  type Node = Record<string, unknown>;
  const root = (v: ModelVersionRecord): Node => (v.fitted as { root: Node }).root;

  it('is accepted as Orpheus wrote it', () => {
    expect(problem(version())).toBe('');
  });

  it('is refused when a split names a feature that does not exist', () => {
    for (const bad of [2, 99, -1, 0.5, '0', null, '__proto__']) {
      const v = version();
      root(v)['splitColumn'] = bad;
      expect(problem(v), String(bad)).toMatch(/feature/);
    }
  });

  it('is refused without a finite threshold, a branch, or class probabilities', () => {
    const v1 = version();
    root(v1)['splitValue'] = null;
    expect(problem(v1)).toMatch(/threshold/);
    const v2 = version();
    delete root(v2)['right'];
    expect(problem(v2)).toMatch(/branches/);
    const v3 = version();
    let leaf = root(v3);
    while (leaf['left']) leaf = leaf['left'] as Node;
    leaf['distribution'] = [[0.2, 0.3, 0.5]];
    expect(problem(v3)).toMatch(/3 class probabilities for 2 classes/);
  });

  it('is refused when nested deeper than any tree Orpheus keeps, without overflowing the stack', () => {
    const v = version();
    let node: Node = { distribution: [[1, 0]] };
    for (let d = 0; d < MAX_TREE_DEPTH + 5000; d++)
      node = { splitColumn: 0, splitValue: 1, left: node, right: { distribution: [[0, 1]] } };
    (v.fitted as { root: Node }).root = node;
    expect(problem(v)).toMatch(/deeper than/);
  });

  it('is refused when its family or settings are not a family’s', () => {
    const v = version();
    expect(problem({ ...v, family: 'forest-of-unknowns' })).toMatch(/does not know/);
    expect(problem({ ...v, hyperparameters: { ...v.hyperparameters, gamma: 1 } })).toMatch(
      /"gamma"/,
    );
  });

  it('comes from a training run with every part a version needs', async () => {
    const content = await sample('iris.csv');
    const r = trainModel(content, {
      params: learnerFor('decision-tree').defaults('classification'),
      plan: { folds: 3, testFraction: 0.2, seed: 1 },
      metric: 'accuracy',
    });
    expect(r.family).toBe('decision-tree');
    expect(r.size['leaves']).toBeGreaterThan(1);
  });
});
