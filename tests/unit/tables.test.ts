import { describe, expect, it } from 'vitest';
import {
  dataDifferences,
  madeWithLines,
  scoreLines,
  settingLines,
  verdicts,
} from '../../src/app/compareTable';
import type { Compared } from '../../src/app/compare.svelte';
import { groupRows, type OverviewRow } from '../../src/core/compare/overview';
import type { DatasetVersionRecord, ModelVersionRecord } from '../../src/core/records';
import { versionFixture } from './fixtures';

const formats = { number: (n: number) => n.toFixed(2), ms: String, time: String };

function compared(n: number, hyper: Partial<ModelVersionRecord['hyperparameters']> = {}): Compared {
  const draft = versionFixture(`d${n}`);
  const version = {
    ...draft,
    hyperparameters: { ...draft.hyperparameters, ...hyper },
    id: `v${n}`,
    modelId: 'm',
    number: n,
    parentId: null,
    author: 'amy',
    createdAt: '2026-11-22T00:00:00.000Z',
  } as ModelVersionRecord;
  const data = {
    id: `d${n}`,
    datasetId: 'ds',
    rowCount: 60 + n * 10,
    schema: [{ name: 'x', type: 'numeric', role: 'feature' }],
  } as DatasetVersionRecord;
  return {
    version,
    model: { id: 'm', name: 'tree' } as Compared['model'],
    data: { label: `tiny v${n}`, version: data } as Compared['data'],
  };
}

describe('the Compare table', () => {
  it('judges each column against the base by the metric’s direction', () => {
    expect(verdicts('accuracy', [0.8, 0.9, 0.7, NaN, 0.8])).toEqual([0, 1, -1, 0, 0]);
    expect(verdicts('log_loss', [0.5, 0.4, 0.6])).toEqual([0, 1, -1]);
    expect(verdicts('accuracy', [NaN, 0.9])).toEqual([0, 0]);
  });

  it('lists each setting with its label and readable value, and marks what differs', () => {
    const lines = settingLines([compared(1), compared(2, { maxDepth: 3 })], formats);
    const depth = lines.find((l) => l.key === 'maxDepth')!;
    expect(depth.label).toBe('Max depth');
    expect(depth.values).toEqual(['unlimited', '3.00']);
    expect(depth.differs).toBe(true);
    expect(lines.find((l) => l.key === 'criterion')!.differs).toBe(false);
  });

  it('says how the data differs and what each version is', () => {
    const items = [compared(1), compared(2)];
    expect(dataDifferences(items)).toEqual(['tiny v2 against tiny v1: +10 rows, same columns']);
    const made = madeWithLines(items, formats);
    expect(made.find((l) => l.key === 'family')!.values).toEqual([
      'Decision tree',
      'Decision tree',
    ]);
    expect(made.find((l) => l.key === 'shape')!.values[0]).toMatch(/^depth \d+, \d+ nodes/);
    const scores = scoreLines(items, formats);
    expect(scores.map((l) => l.key)).toContain('ho-accuracy');
    expect(scores.every((l) => l.verdicts[0] === 0)).toBe(true);
    // Trained on other data versions: measured on other rows, so no verdict.
    expect(scores.every((l) => l.comparable[0] === true && l.comparable[1] === false)).toBe(true);
    expect(scores.every((l) => l.verdicts[1] === 0)).toBe(true);
    // On the same data version, the verdicts follow the metric.
    const same = [
      compared(1),
      { ...compared(2), version: { ...compared(2).version, datasetVersionId: 'd1' } },
    ];
    const sameScores = scoreLines(same, formats);
    expect(sameScores.every((l) => l.comparable.every(Boolean))).toBe(true);
    // A tree grown by hand has no cross-validated score: it says so, not "NaN".
    const grownVersion = {
      ...compared(2).version,
      scores: { ...compared(2).version.scores, cv: {} },
      grown: { splits: [] },
    };
    const withGrown = scoreLines([compared(1), { ...compared(2), version: grownVersion }], formats);
    const cv = withGrown.find((l) => l.key === 'cv-accuracy')!;
    expect(cv.values[1]).toBe('none (grown by hand)');
    expect(cv.verdicts[1]).toBe(0);
    expect(withGrown.find((l) => l.key === 'ho-accuracy')!.values[1]).toMatch(/^\d\.\d\d$/);
  });
});

describe('the Overview rows', () => {
  const row = (model: string, id: string): OverviewRow => ({ model, id }) as OverviewRow;
  it('puts a heading with the count before each model’s rows when grouped', () => {
    const rows = [row('a', '1'), row('a', '2'), row('b', '3')];
    expect(groupRows(rows, false).map((i) => i.kind)).toEqual(['row', 'row', 'row']);
    expect(groupRows(rows, true)).toEqual([
      { kind: 'group', name: 'a', count: 2 },
      { kind: 'row', row: rows[0] },
      { kind: 'row', row: rows[1] },
      { kind: 'group', name: 'b', count: 1 },
      { kind: 'row', row: rows[2] },
    ]);
  });
});

describe('CSV that Orpheus writes', () => {
  it('neutralises cells a spreadsheet would run as formulas, and keeps numbers as numbers', async () => {
    const { toCsv } = await import('../../src/app/csv');
    const csv = toCsv([
      ['=HYPERLINK("http://x","click")', '+1+2', '@SUM(A1)', '-2+3', '\tcmd'],
      ['-3.5', '+7', '1e-3', 'plain', null],
    ]);
    const [first, second] = csv.split('\n');
    expect(first).toBe(`"'=HYPERLINK(""http://x"",""click"")",'+1+2,'@SUM(A1),'-2+3,'\tcmd`);
    expect(second).toBe('-3.5,+7,1e-3,plain,');
  });
});

describe('scores in lists say what they measured', () => {
  it('each overview row has the hold-out beside the CV score, and marks a search’s selection score', async () => {
    const { overviewRows } = await import('../../src/core/compare/overview');
    const a = compared(1).version;
    const b = {
      ...compared(2).version,
      search: { kind: 'study' as const, studyId: 's', trial: 3 },
    };
    const model = { id: 'm', name: 'tree', metric: 'accuracy', aliases: {}, notes: {} } as never;
    const rows = overviewRows([model], [a, b], () => 'data');
    expect(rows.map((r) => r.selected)).toEqual([false, true]);
    expect(rows[0]!.holdout).toBe(a.scores.holdout['accuracy' as never]);
    expect(rows[0]!.fields['holdout']).toBe(rows[0]!.holdout);
    expect(rows[0]!.fields['score']).toBe(rows[0]!.score);
  });
});
