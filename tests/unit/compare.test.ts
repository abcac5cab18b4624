import { describe, expect, it } from 'vitest';
import { audition, requirementsOf } from '../../src/core/compare/audition';
import { overviewFields, overviewRows, sortRows } from '../../src/core/compare/overview';
import { evaluate, parseQuery, QueryError } from '../../src/core/compare/query';
import { diffTrees } from '../../src/core/compare/treeDiff';
import type { Encoding } from '../../src/core/data/matrix';
import type { DatasetVersionRecord, ModelRecord, ModelVersionRecord } from '../../src/core/records';
import type { TreeModel, TreeNode } from '../../src/core/learners/tree/tree';
import { versionFixture } from './fixtures';

const enc: Encoding = {
  task: 'classification',
  features: [
    { name: 'petal_width', kind: 'numeric' },
    { name: 'petal_length', kind: 'numeric' },
  ],
  target: 'species',
  classes: ['a', 'b', 'c'],
};
const leaf = (c: number): TreeNode => ({ distribution: [[0, 1, 2].map((i) => (i === c ? 1 : 0))] });
const split = (col: number, t: number, left: TreeNode, right: TreeNode): TreeNode => ({
  splitColumn: col,
  splitValue: t,
  left,
  right,
});
const tree = (root: TreeNode): TreeModel => ({
  name: 'DTClassifier',
  options: {
    kind: 'classifier',
    gainFunction: 'gini',
    splitFunction: 'mean',
    minNumSamples: 1,
    maxDepth: null,
  },
  root,
});

describe('the tree diff', () => {
  const base = tree(split(1, 2.45, leaf(0), split(0, 1.75, leaf(1), leaf(2))));

  it('finds a moved threshold and says where', () => {
    const moved = tree(split(1, 2.45, leaf(0), split(0, 1.65, leaf(1), leaf(2))));
    const d = diffTrees(base, enc, moved, enc);
    expect(d.changes).toHaveLength(1);
    expect(d.changes[0]).toMatchObject({ path: 'R', depth: 1, change: 'threshold' });
    expect(d.changes[0]!.summary).toBe('split at depth 1 moved from petal_width < 1.75 to < 1.65');
    expect([...d.highlightA]).toEqual(['R']);
    expect(d.same).toBe(4);
  });

  it('finds an extra split and a different leaf', () => {
    const extra = tree(
      split(1, 2.45, split(0, 0.5, leaf(0), leaf(1)), split(0, 1.75, leaf(1), leaf(1))),
    );
    const d = diffTrees(base, enc, extra, enc);
    expect(d.changes.map((c) => c.change)).toEqual(['split-added', 'leaf']);
    expect(d.changes[0]!.summary).toBe('new split at depth 1: petal_width < 0.5');
    expect(d.changes[1]!.summary).toBe('leaf at depth 2 predicts b instead of c');
    expect([...d.highlightB].sort()).toEqual(['L', 'LL', 'LR', 'RR']);
    expect(diffTrees(base, enc, base, enc).changes).toEqual([]);
  });

  it('reports a split that became a leaf, and a change of feature', () => {
    const cut = tree(split(0, 2.45, leaf(0), leaf(2)));
    const d = diffTrees(base, enc, cut, enc);
    expect(d.changes.map((c) => c.change)).toEqual(['feature', 'split-removed']);
    expect(d.changes[0]!.summary).toBe(
      'split at the root changed from petal_length < 2.45 to petal_width < 2.45',
    );
  });
});

describe('the filter language', () => {
  const fields = [
    'user',
    'model',
    'version',
    'metrics.f1_macro',
    'metrics.accuracy',
    'params.maxDepth',
  ];
  const row = {
    user: 'Amy',
    model: 'iris tree',
    version: 3,
    'metrics.f1_macro': 0.93,
    'metrics.accuracy': 0.95,
    'params.maxDepth': 4,
  };
  const test = (q: string): boolean => evaluate(parseQuery(q, fields), row);

  it('evaluates comparisons, and, or, not, parentheses, in and field-to-field', () => {
    expect(test('metrics.f1_macro > 0.9 and params.maxDepth <= 5 and user = "amy"')).toBe(true);
    expect(test('metrics.f1_macro > 0.95 or version = 3')).toBe(true);
    expect(test('not (version = 3)')).toBe(false);
    expect(test('user in ("bo", "amy")')).toBe(true);
    expect(test('user not in ("bo", "amy")')).toBe(false);
    expect(test('metrics.accuracy > metrics.f1_macro')).toBe(true);
    expect(test("model = 'iris tree' and (version < 2 or version >= 3)")).toBe(true);
    expect(test('params.maxDepth != null')).toBe(true);
    expect(test('')).toBe(true);
    // and binds tighter than or
    expect(test('version = 1 and user = "amy" or version = 3')).toBe(true);
    expect(test('version = 1 and (user = "amy" or version = 3)')).toBe(false);
  });

  it('points at the bad token', () => {
    const err = (q: string): QueryError => {
      try {
        parseQuery(q, fields);
      } catch (e) {
        return e as QueryError;
      }
      throw new Error('no error');
    };
    expect(err('metrics.f2 > 1').message).toMatch(/Unknown field "metrics.f2" \(position 1\)/);
    expect(err('version >').message).toMatch(/Expected a field.*filter ends there/);
    const e = err('version = 3 and and');
    expect([e.start, e.end]).toEqual([16, 19]);
    expect(err('user = "amy').message).toMatch(/no closing "/);
    expect(err('version = 3 )').message).toMatch(/Expected "and", "or"/);
    expect(err('version ~ 3').start).toBe(8);
  });
});

describe('the overview and the audition', () => {
  const model: ModelRecord = {
    id: 'm',
    name: 'tiny',
    task: 'classification',
    metric: 'accuracy',
    aliases: { champion: 'v2' },
    notes: {},
    author: 'amy',
    createdAt: '2026-01-01T00:00:00Z',
  };
  const version = (id: string, n: number): ModelVersionRecord => ({
    ...versionFixture('d1'),
    id,
    modelId: 'm',
    number: n,
    parentId: null,
    author: n === 1 ? 'amy' : 'bo',
    createdAt: `2026-01-0${n}T00:00:00Z`,
  });

  it('gives every version a row with metrics, params and aliases, sortable', () => {
    const rows = overviewRows([model], [version('v1', 1), version('v2', 2)], () => 'tiny data v1');
    expect(rows.map((r) => r.fields['alias'])).toEqual([null, 'champion']);
    expect(rows[0]!.fields['metrics.accuracy']).toBeTypeOf('number');
    expect(rows[0]!.fields['params.criterion']).toBe('gini');
    expect(overviewFields(rows)).toContain('holdout.f1_macro');
    expect(sortRows(rows, 'user', true).map((r) => r.author)).toEqual(['bo', 'amy']);
    expect(rows[0]!.fields['family']).toBe('decision-tree');
    const byFamily = parseQuery('family = "decision-tree"', overviewFields(rows));
    expect(rows.filter((r) => evaluate(byFamily, r.fields))).toHaveLength(2);
    const q = parseQuery('alias = "champion"', overviewFields(rows));
    expect(rows.filter((r) => evaluate(q, r.fields)).map((r) => r.number)).toEqual([2]);
  });

  it('derives requirements from a data version and matches versions against them', () => {
    const data = {
      task: 'classification',
      rowCount: 300,
      profile: {
        rowCount: 300,
        task: 'classification',
        rowsWithMissing: 4,
        classBalance: [
          { value: 'high', count: 100 },
          { value: 'low', count: 100 },
          { value: 'mid', count: 100 },
        ],
        columns: [
          {
            name: 'x',
            type: 'numeric',
            role: 'feature',
            missing: 4,
            distinct: 90,
            numeric: null,
            top: null,
          },
          {
            name: 'z',
            type: 'numeric',
            role: 'feature',
            missing: 0,
            distinct: 10,
            numeric: null,
            top: null,
          },
          {
            name: 'label',
            type: 'categorical',
            role: 'target',
            missing: 0,
            distinct: 3,
            numeric: null,
            top: null,
          },
        ],
      },
    } as unknown as DatasetVersionRecord;
    const req = requirementsOf(data);
    expect(req).toMatchObject({
      task: 'classification',
      hasMissing: true,
      classes: ['high', 'low', 'mid'],
      hasCategorical: false,
    });
    const r = audition(req, version('v1', 1));
    expect(r.canRun).toBe(true);
    const byId = Object.fromEntries(r.checks.map((c) => [c.id, c]));
    expect(byId['missing']!.verdict).toBe('yes');
    expect(byId['classes']).toMatchObject({ verdict: 'partly', label: 'Multiclass (3)' });
    expect(byId['classes']!.reason).toMatch(/never saw "mid"/);
    const noZ = audition({ ...req, featureNames: ['x'] }, version('v1', 1));
    expect(noZ.canRun).toBe(false);
    expect(noZ.checks.find((c) => c.id === 'columns')!.reason).toMatch(/needs "z"/);
    const regression = audition({ ...req, task: 'regression' }, version('v1', 1));
    expect(regression.checks[0]).toMatchObject({ id: 'task', verdict: 'no' });
  });
});

describe('the lineage graph', () => {
  it('lays out data → model → study left to right, with every link', async () => {
    const { lineage } = await import('../../src/core/compare/lineage');
    const dv = (id: string, n: number, parentId: string | null) =>
      ({
        id,
        number: n,
        parentId,
        rowCount: 10,
        change: { kind: n === 1 ? 'import' : 'append' },
      }) as unknown as DatasetVersionRecord;
    const model: ModelRecord = {
      id: 'm',
      name: 'tree',
      task: 'classification',
      metric: 'accuracy',
      aliases: { champion: 'mv2' },
      notes: {},
      author: 'a',
      createdAt: '',
    };
    const mv = (
      id: string,
      n: number,
      data: string,
      parentId: string | null,
      search: ModelVersionRecord['search'],
    ) =>
      ({
        id,
        number: n,
        datasetVersionId: data,
        parentId,
        scenario: 'retrain',
        search,
      }) as unknown as ModelVersionRecord;
    const g = lineage({
      datasets: [
        {
          dataset: { id: 'ds', name: 'iris', description: '', author: 'a', createdAt: '' },
          versions: [dv('d1', 1, null), dv('d2', 2, 'd1')],
        },
      ],
      models: [
        {
          model,
          versions: [
            mv('mv1', 1, 'd1', null, { kind: 'study', studyId: 's1', trial: 3 }),
            mv('mv2', 2, 'd2', 'mv1', null),
          ],
        },
      ],
      studies: [
        {
          id: 's1',
          name: 'search',
          datasetVersionId: 'd1',
          bestVersionId: 'mv1',
          budget: 10,
          state: 'complete',
        } as never,
      ],
    });
    expect(g.nodes.map((n) => n.id).sort()).toEqual(['d1', 'd2', 'mv1', 'mv2', 's1']);
    expect(g.edges.map((e) => `${e.from}>${e.to}:${e.kind}`).sort()).toEqual([
      'd1>d2:derived',
      'd1>s1:searched',
      'd2>mv2:trained',
      'mv1>mv2:retrained',
      's1>mv1:best',
    ]);
    const x = (id: string) => g.nodes.find((n) => n.id === id)!.x;
    expect(x('d1')).toBeLessThan(x('s1'));
    expect(x('s1')).toBeLessThan(x('mv1'));
    expect(g.nodes.find((n) => n.id === 'mv2')!.detail).toBe('champion');
    expect(g.edges.every((e) => e.points.length >= 2)).toBe(true);
  });
});

describe('what is asked of a model', () => {
  it('yes, no or any on each point: binary only, no missing values …; a version that is not what was asked ranks after', async () => {
    const { ASKS } = await import('../../src/core/compare/audition');
    const { rankCandidates } = await import('../../src/app/audition.svelte');
    const data = {
      task: 'classification',
      rowCount: 10,
      profile: {
        columns: [
          { name: 'x', role: 'feature', type: 'numeric', missing: 0, top: null },
          { name: 'label', role: 'target', type: 'categorical', missing: 0, top: null },
        ],
        classBalance: [{ value: 'a' }, { value: 'b' }],
      },
    } as unknown as DatasetVersionRecord;
    const req = requirementsOf(data);
    expect(Object.values(req.ask).every((a) => a === 'any')).toBe(true);
    const v = (id: string, tags: string[]) =>
      ({
        ...versionFixture('d1'),
        id,
        tags,
        encoding: {
          task: 'classification',
          target: 'label',
          features: [{ name: 'x', kind: 'numeric' }],
          classes: ['a', 'b'],
        },
      }) as unknown as ModelVersionRecord;
    const binary = v('bin', ['classification', 'binary', 'trained-binary']);
    const multi = v('multi', [
      'classification',
      'binary',
      'multiclass',
      'trained-multiclass',
      'handles-missing-values',
    ]);
    // "multiclass: no" (binary only): the version trained on three classes is not what was asked.
    const binaryOnly = { ...req, ask: { ...req.ask, multiclass: 'no' as const } };
    expect(audition(binaryOnly, binary).meets).toBe(true);
    const r = audition(binaryOnly, multi);
    expect(r.meets).toBe(false);
    expect(r.checks.find((c) => c.id === 'ask-multiclass')).toMatchObject({
      verdict: 'no',
      label: `not: ${ASKS.multiclass.label}`,
    });
    // "takes missing values: yes": only the one that does.
    const missingYes = { ...req, ask: { ...req.ask, missing: 'yes' as const } };
    expect(audition(missingYes, binary).meets).toBe(false);
    expect(audition(missingYes, multi).meets).toBe(true);
    const ranked = rankCandidates(
      [
        {
          model: {} as never,
          version: multi,
          result: audition(binaryOnly, multi),
          score: 0.99,
          honest: null,
        },
        {
          model: {} as never,
          version: binary,
          result: audition(binaryOnly, binary),
          score: 0.5,
          honest: null,
        },
      ],
      'accuracy',
    );
    expect(ranked[0]!.version.id).toBe('bin');
    // "gives probabilities: yes": a linear SVM (decision values only) is not what was asked.
    const probabilities = { ...req, ask: { ...req.ask, probabilities: 'yes' as const } };
    const svm = v('svm', ['classification', 'binary', 'trained-binary', 'linear']);
    const logistic = v('lr', ['classification', 'binary', 'trained-binary', 'probabilistic']);
    expect(audition(probabilities, svm).meets).toBe(false);
    expect(audition(probabilities, logistic).meets).toBe(true);
  });

  it('says how each family takes missing values and categories', async () => {
    const data = {
      task: 'classification',
      rowCount: 10,
      profile: {
        columns: [
          { name: 'x', role: 'feature', type: 'numeric', missing: 2, top: null },
          { name: 'c', role: 'feature', type: 'categorical', missing: 0, top: [{ value: 'p' }] },
          { name: 'label', role: 'target', type: 'categorical', missing: 0, top: null },
        ],
        classBalance: [{ value: 'a' }, { value: 'b' }],
      },
    } as unknown as DatasetVersionRecord;
    const req = requirementsOf(data);
    const version = (family: string, tags: string[]) =>
      ({
        ...versionFixture('d1'),
        family,
        tags: [
          'classification',
          'binary',
          'handles-missing-values',
          'categorical-features',
          ...tags,
        ],
        encoding: {
          task: 'classification',
          target: 'label',
          features: [
            { name: 'x', kind: 'numeric' },
            { name: 'c', kind: 'categorical', categories: ['p'] },
          ],
          classes: ['a', 'b'],
        },
      }) as unknown as ModelVersionRecord;
    const reasons = (v: ModelVersionRecord) =>
      Object.fromEntries(audition(req, v).checks.map((c) => [c.id, c.reason]));
    expect(reasons(version('decision-tree', []))).toMatchObject({
      missing: 'each split learned where missing values go',
      categorical: 'splits on category codes',
    });
    expect(
      reasons(version('logistic-regression', ['imputes-missing-values', 'one-hot-categories'])),
    ).toMatchObject({
      missing: 'its preprocessing fills them in, as it learned from the training rows',
      categorical: 'one column per category (one-hot)',
    });
  });
});

describe('tree labels', () => {
  it('wrap between words instead of being cut, and mark only what cannot fit', async () => {
    const { labelLines } = await import('../../src/core/text');
    expect(labelLines('petal_length < 2.45')).toEqual(['petal_length < 2.45']);
    expect(labelLines('RM_job_opportunities is Yes or Maybe')).toEqual([
      'RM_job_opportunities is',
      'Yes or Maybe',
    ]);
    expect(labelLines('a_very_long_single_column_name_indeed < 3')).toEqual([
      'a_very_long_single_colum',
      'n_name_indeed < 3',
    ]);
    expect(labelLines('flipper_length_mm < 202.5')).toEqual(['flipper_length_mm <', '202.5']);
    const three = labelLines('colour is red or green or blue or yellow or purple or orange');
    expect(three).toHaveLength(2);
    expect(three[1]!.endsWith('…')).toBe(true);
    expect(three.every((l) => l.length <= 24)).toBe(true);
  });
});
