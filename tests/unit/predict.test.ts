import { describe, expect, it } from 'vitest';
import { matchLabels, predictionsCsv } from '../../src/app/predictions';
import { featureDrift, psi } from '../../src/core/predict/drift';
import {
  checkGate,
  firedTriggers,
  scoreOverTime,
  DEFAULT_MONITOR,
} from '../../src/core/predict/monitor';
import { encodeRow, predictRaw, samePrediction } from '../../src/core/predict/predict';
import type { PredictionRecord } from '../../src/core/records';
import { tinyContent, versionFixture } from './fixtures';

const v = versionFixture('d', tinyContent());

describe('predicting raw rows', () => {
  it('predicts with the path to the leaf, and repeats it exactly', () => {
    const r = predictRaw(v, { x: '80', z: '3' }, true);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.prediction.output).toBe('high');
    expect(r.prediction.path[0]).toBe('');
    expect(r.prediction.path.at(-1)!.length).toBe(r.prediction.path.length - 1);
    expect(r.prediction.probabilities!.reduce((a, b) => a + b)).toBeCloseTo(1);
    expect(
      samePrediction(r.prediction, { output: 'high', probabilities: r.prediction.probabilities }),
    ).toBe(true);
    expect(
      samePrediction(r.prediction, { output: 'low', probabilities: r.prediction.probabilities }),
    ).toBe(false);
  });

  it('reports schema problems per row and never coerces', () => {
    expect(encodeRow(v.encoding, { x: '80' }, true)).toEqual({
      problems: ['The column "z" is missing.'],
    });
    expect(encodeRow(v.encoding, { x: 'eighty', z: '1' }, true)).toEqual({
      problems: ['"x" should be a number, not "eighty".'],
    });
    expect(encodeRow(v.encoding, { x: '', z: '1' }, false)).toEqual({
      problems: ['"x" is empty, and this model cannot take missing values.'],
    });
    const ok = encodeRow(v.encoding, { x: '', z: '1' }, true);
    expect('x' in ok && Number.isNaN(ok.x[0])).toBe(true);
    const cat = {
      ...v.encoding,
      features: [{ name: 'c', kind: 'categorical' as const, categories: ['a', 'b'] }],
    };
    expect(encodeRow(cat, { c: 'q' }, true)).toEqual({
      problems: ['"c" has the unknown category "q" (known: a, b).'],
    });
  });
});

const rec = (over: Partial<PredictionRecord>): PredictionRecord => ({
  id: Math.random().toString(36),
  modelId: 'm',
  modelVersionId: 'v',
  batchId: 'b1',
  row: 0,
  rowId: null,
  source: 'form',
  inputs: [['x', '1']],
  output: 'a',
  probabilities: null,
  path: [''],
  label: null,
  labelledAt: null,
  author: 'amy',
  createdAt: '2026-01-01T10:00:00Z',
  ...over,
});

describe('monitoring', () => {
  it('computes PSI as hand-computed', () => {
    // expected shares 0.5/0.5, actual 0.8/0.2: (0.8−0.5)ln(0.8/0.5) + (0.2−0.5)ln(0.2/0.5)
    expect(psi([50, 50], [80, 20])).toBeCloseTo(0.3 * Math.log(1.6) + -0.3 * Math.log(0.4), 10);
    expect(psi([10, 10], [10, 10])).toBe(0);
    const d = featureDrift(
      [
        { name: 'same', kind: 'numeric' },
        { name: 'moved', kind: 'numeric' },
      ],
      Array.from({ length: 100 }, (_, i) => [i, i]),
      Array.from({ length: 100 }, (_, i) => [i, 500 + i]),
    );
    expect(d.map((x) => x.feature)).toEqual(['moved', 'same']);
    expect(d[0]!.level).toBe('large');
    expect(d[1]!.psi).toBeCloseTo(0, 6);
  });

  it('scores labelled predictions per batch, an unseen label counting as wrong', () => {
    const ps = [
      rec({ output: 'a', label: 'a' }),
      rec({ output: 'a', label: 'b' }),
      rec({ batchId: 'b2', createdAt: '2026-01-02T00:00:00Z', output: 'b', label: 'b' }),
      rec({ batchId: 'b2', createdAt: '2026-01-02T00:00:00Z', output: 'b', label: 'zzz' }),
      rec({ batchId: 'b3', output: 'a', label: null }),
    ];
    const pts = scoreOverTime(ps, ['a', 'b'], 'accuracy', 'batch');
    expect(pts.map((p) => [p.key, p.n, p.value])).toEqual([
      ['b1', 2, 0.5],
      ['b2', 2, 0.5],
    ]);
  });

  it('fires retrain triggers and checks the promotion gate', () => {
    const ctx = {
      trainedRows: 100,
      latestRows: 125,
      championCreatedAt: '2026-01-01T00:00:00Z',
      now: Date.parse('2026-03-01T00:00:00Z'),
      latestScore: 0.7,
      metric: 'accuracy' as const,
    };
    const fired = firedTriggers({ growth: 0.2, maxAgeDays: 30, threshold: 0.8 }, ctx);
    expect(fired).toHaveLength(3);
    expect(fired[0]).toMatch(/grew by 25 %/);
    expect(
      firedTriggers(DEFAULT_MONITOR.rules, {
        ...ctx,
        latestRows: 110,
        now: Date.parse('2026-01-10T00:00:00Z'),
      }),
    ).toEqual([]);
    const gate = { minGain: 0.01, maxRecallDrop: 0.05 };
    const base = { metric: 'f1_macro' as const, classes: ['a', 'b'] };
    expect(
      checkGate(gate, {
        ...base,
        champion: { value: 0.9, recall: [0.9, 0.9] },
        challenger: { value: 0.92, recall: [0.88, 0.95] },
      }).passed,
    ).toBe(true);
    const failed = checkGate(gate, {
      ...base,
      champion: { value: 0.9, recall: [0.9, 0.9] },
      challenger: { value: 0.95, recall: [0.8, 1] },
    });
    expect(failed.passed).toBe(false);
    expect(failed.reasons.join(' ')).toMatch(/Recall of "a" drops by 0.100/);
  });

  it('matches labels by row id or prediction id, and exports the log as CSV', () => {
    const a = rec({ rowId: 'r1' });
    const b = rec({ rowId: 'r2', inputs: [['x', 'has, comma']] });
    const m = matchLabels(
      [a, b],
      [
        { row_id: 'r2', label: 'b' },
        { row_id: 'nope', label: 'a' },
      ],
      'label',
      'row_id',
      null,
    );
    expect(m).toEqual([{ prediction: b, label: 'b' }]);
    expect(
      matchLabels([a, b], [{ prediction: a.id, label: 'a' }], 'label', null, 'prediction'),
    ).toEqual([{ prediction: a, label: 'a' }]);
    const csv = predictionsCsv([b], () => 'tiny v1').split('\n');
    expect(csv[0]).toBe('time,model version,author,batch,row id,x,output,probabilities,label');
    expect(csv[1]).toContain('"has, comma"');
  });
});

describe('a large batch', () => {
  it('gives the page back between chunks, so it stays responsive and Cancel is reachable', async () => {
    const { CHUNK_ROWS, predictBatch } = await import('../../src/app/predictions');
    const rows = Array.from({ length: CHUNK_ROWS * 5 }, (_, i) => ({ x: String(i % 100) }));
    // A timer that counts how often the event loop got a turn while the batch ran.
    let turns = 0;
    let ticking = true;
    const tick = (): void => {
      turns++;
      if (ticking) setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
    const seen: number[] = [];
    const predict = (): {
      ok: true;
      prediction: { output: string; probabilities: null; path: [] };
      x: number[];
    } => ({
      ok: true,
      prediction: { output: 'a', probabilities: null, path: [] },
      x: [],
    });
    const { drafts } = await predictBatch(rows, predict, (_r, i) => ({ row: i }) as never, {
      progress: () => seen.push(turns),
    });
    ticking = false;
    expect(drafts).toHaveLength(rows.length);
    // Between two chunks the page had a turn: the counts seen at each chunk keep growing.
    expect(seen).toHaveLength(5);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
    // A cancel between chunks stops the batch.
    const controller = new AbortController();
    const cancelled = predictBatch(rows, predict, (_r, i) => ({ row: i }) as never, {
      signal: controller.signal,
    });
    controller.abort();
    await expect(cancelled).rejects.toThrow(/Cancelled/);
  });
});

describe('scores on a data version', () => {
  it('leave out the rows a version trained on, found by content, and say so; none left: no score', async () => {
    const { scoreOnUnseen, unseenRows } = await import('../../src/core/predict/score');
    const { tinyContent, versionFixture } = await import('./fixtures');
    const { buildContent, cellText } = await import('../../src/core/data/content');
    const content = tinyContent();
    const v = versionFixture('d', content);
    const version = { ...v, holdout: { rows: v.holdout.rows } };
    // On its own data: only hold-out rows remain (one equal to a training row is left out too).
    const own = unseenRows(version, content, content);
    expect(own.rows.length).toBeGreaterThan(0);
    expect(own.rows.length).toBeLessThanOrEqual(v.holdout.rows.length);
    expect(own.rows.every((r) => v.holdout.rows.includes(r))).toBe(true);
    expect(own.leftOut).toBe(content.rowCount - own.rows.length);
    const score = scoreOnUnseen(version, content, content, 'accuracy');
    expect(score.scored).toBe(own.rows.length);
    expect(score.score).toBeGreaterThan(0);
    // On the training rows alone: nothing is left to score, and the reason says why.
    const trainRows = Array.from({ length: content.rowCount }, (_, r) => r).filter(
      (r) => !v.holdout.rows.includes(r),
    );
    const cols = content.schema.map((_, c) =>
      trainRows.map((r) => cellText(content.columns[c]!, r)),
    );
    const onlyTrained = buildContent(cols, content.schema, content.task, trainRows.length);
    const none = scoreOnUnseen(version, onlyTrained, content, 'accuracy');
    expect(none.score).toBeNull();
    expect(none.reason).toMatch(/trained on every one of these \d+ rows/);
    // Without its training data, nothing can be told apart: no score.
    expect(scoreOnUnseen(version, content, null, 'accuracy').reason).toMatch(/not in this browser/);
  });
});
