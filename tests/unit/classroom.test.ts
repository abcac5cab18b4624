import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { irisContent } from './fixtures';
import { cellText } from '../../src/core/data/content';
import {
  brush,
  erase,
  paintedContent,
  paintingProblems,
  shape,
  SHAPES,
} from '../../src/core/data/paint';
import { LESSON_FORMAT, lessonLink, lessonParams, readLesson } from '../../src/core/export/lesson';
import { TrainingError } from '../../src/core/learners/training';
import { MAX_LINK_CHARS, packFragment } from '../../src/core/export/share';
import {
  axisValues,
  boundary,
  boundaryPoints,
  refitBoundary,
} from '../../src/core/explain/boundary';
import { learnerFor } from '../../src/core/learners/registry';
import { predictEncoded, type Predictor } from '../../src/core/predict/predict';
import { seededRandom } from '../../src/core/random';
import { trainingSet } from '../../src/core/train/model';

const iris = irisContent;

async function fitted(family: string, params: Record<string, unknown> = {}): Promise<Predictor> {
  const content = await iris();
  const { set, encoding } = trainingSet(content);
  const learner = learnerFor(family);
  const p = learner.withParams(params as never, learner.defaults('classification'));
  const subset = Int32Array.from({ length: set.rows }, (_, i) => i);
  return {
    family,
    fitted: learner.fit(set, p, { seed: 1, subset, shared: new Map() }).fitted,
    encoding,
  };
}

/** Iris's petal length across and width up, the sepals at 5.8 and 3: `size` cells a side. */
function petalPlane(size: number) {
  return {
    x: 2,
    y: 3,
    xRange: [1, 7] as [number, number],
    yRange: [0, 2.5] as [number, number],
    size,
    base: [5.8, 3, 0, 0],
  };
}

describe('the decision boundary', () => {
  it('predicts each cell as the version predicts that row', async () => {
    for (const family of ['decision-tree', 'logistic-regression', 'k-nearest-neighbours']) {
      const v = await fitted(family);
      const plane = petalPlane(20);
      const b = boundary(v, plane);
      const xs = axisValues(plane.xRange, 20);
      const ys = axisValues(plane.yRange, 20);
      for (const r of [0, 7, 55, 210, 399]) {
        const row = [5.8, 3, xs[r % 20]!, ys[Math.floor(r / 20)]!];
        const one = predictEncoded(v, row);
        expect(v.encoding.classes![b.classes![r]!], `${family} cell ${r}`).toBe(one.output);
        expect(b.strength[r]).toBeCloseTo(Math.max(...one.probabilities!), 5);
      }
    }
  });

  it('refuses one feature on both axes', async () => {
    const v = await fitted('logistic-regression');
    const plane = petalPlane(10);
    expect(() => boundary(v, { ...plane, y: 2 })).toThrow(/two different features/);
  });

  it('marks the hold-out rows and gives each row its own prediction', async () => {
    const content = await iris();
    const v = await fitted('decision-tree', { maxDepth: 1 });
    const p = boundaryPoints(v, content, [0, 5, 149]);
    expect(p.rows).toBe(150);
    expect([...p.holdout].filter((h) => h === 1)).toEqual([1, 1, 1]);
    expect(p.holdout[5]).toBe(1);
    // A stump gets at least a third of iris wrong.
    const wrong = [...p.predicted].filter((c, r) => c !== p.truth[r]).length;
    expect(wrong).toBeGreaterThanOrEqual(50);
  });
});

describe('what if a setting were different', () => {
  it('refits on the training rows: a stump has two classes and a wider gap from the full tree', async () => {
    const content = await iris();
    const tree = learnerFor('decision-tree');
    const plan = { folds: 5, testFraction: 0.2, seed: 3 };
    const plane = petalPlane(30);
    const at = (maxDepth: number | null) =>
      refitBoundary(
        content,
        'decision-tree',
        tree.withParams({ maxDepth }, tree.defaults('classification')),
        plan,
        'accuracy',
        plane,
      );
    const stump = at(1);
    const full = at(null);
    expect(new Set(stump.grid.classes).size).toBe(2);
    expect(new Set(full.grid.classes).size).toBe(3);
    expect(stump.train).toBeLessThan(0.7);
    expect(full.train).toBeGreaterThan(0.98);
    expect(full.train).toBeGreaterThanOrEqual(full.holdout);
    expect(stump.predicted).toHaveLength(150);
  });
});

describe('painted data', () => {
  it('draws every starting shape the same from the same seed', () => {
    for (const { shape: kind, task } of SHAPES) {
      const a = shape(kind, 4);
      expect(a.task).toBe(task);
      expect(a.points).toHaveLength(200);
      expect(shape(kind, 4)).toEqual(a);
      expect(shape(kind, 5).points).not.toEqual(a.points);
      for (const q of a.points) {
        expect(q.x).toBeGreaterThanOrEqual(0);
        expect(q.x).toBeLessThanOrEqual(10);
      }
    }
  });

  it('brushes points around the cursor and erases them within a radius', () => {
    const random = seededRandom(3);
    const dab = brush({ x: 5, y: 5 }, 1, 50, 0.5, random);
    expect(dab).toHaveLength(50);
    const mean = dab.reduce((a, q) => a + q.x, 0) / 50;
    expect(mean).toBeGreaterThan(4.6);
    expect(mean).toBeLessThan(5.4);
    expect(brush({ x: 2, y: 3 }, 0, 10, 0, random)).toEqual([{ x: 2, y: 3, c: 0 }]);
    const left = erase(dab, { x: 5, y: 5 }, 0.5);
    expect(left.length).toBeLessThan(50);
    expect(left.every((q) => Math.hypot(q.x - 5, q.y - 5) > 0.5)).toBe(true);
  });

  it('becomes a version with the axes as columns (regression: the vertical axis is the target)', () => {
    const c = paintedContent(shape('xor', 1));
    expect(c.task).toBe('classification');
    expect(c.schema.map((s) => [s.name, s.role])).toEqual([
      ['x', 'feature'],
      ['y', 'feature'],
      ['class', 'target'],
    ]);
    expect(
      new Set(Array.from({ length: c.rowCount }, (_, r) => cellText(c.columns[2]!, r))),
    ).toEqual(new Set(['a', 'b']));
    const line = shape('line', 1);
    const r = paintedContent({
      ...line,
      x: { ...line.x, name: 'hours' },
      y: { ...line.y, name: 'score' },
    });
    expect(r.schema.map((s) => [s.name, s.role])).toEqual([
      ['hours', 'feature'],
      ['score', 'target'],
    ]);
  });

  it('says what is missing before a painting can be saved', () => {
    const p = shape('blobs', 1);
    expect(paintingProblems(p)).toEqual([]);
    expect(paintingProblems({ ...p, points: p.points.filter((q) => q.c === 0) })).toContain(
      'Paint at least two classes.',
    );
    expect(paintingProblems({ ...p, points: p.points.slice(0, 3) })).toContain(
      'Paint at least 10 points.',
    );
    expect(paintingProblems({ ...p, y: { ...p.y, name: 'x' } })).toContain(
      'The axes need different names.',
    );
    expect(paintingProblems({ ...p, classes: ['a', 'a'] })).toContain(
      'Two classes have the same name.',
    );
    expect(() => paintedContent({ ...p, points: [] })).toThrow(/Paint at least 10 points/);
  });
});

describe('lessons as links', () => {
  const lesson = {
    format: LESSON_FORMAT as typeof LESSON_FORMAT,
    formatVersion: 1 as const,
    title: 'Trees',
    task: 'Find the depth where the hold-out score stops improving.',
    screens: ['data' as const, 'train' as const, 'models' as const],
    data: { kind: 'sample' as const, id: 'iris' },
  };

  it('reads back what it wrote, a sample by name or a table inside the link', async () => {
    expect(await readLesson(await lessonLink(lesson))).toEqual(lesson);
    const csv = readFileSync('public/samples/iris.csv', 'utf8');
    const table = {
      ...lesson,
      data: { kind: 'table' as const, name: 'Iris', target: 'species', csv },
    };
    const link = await lessonLink(table);
    expect(link.length).toBeLessThan(MAX_LINK_CHARS);
    expect(await readLesson(link)).toEqual(table);
  });

  it('refuses a damaged, altered, foreign or too long link, saying so', async () => {
    const link = await lessonLink(lesson);
    await expect(readLesson(link.slice(0, link.length - 9))).rejects.toThrow(/damaged/);
    await expect(readLesson(`${link}!`)).rejects.toThrow(/characters such links never contain/);
    await expect(readLesson('a'.repeat(MAX_LINK_CHARS + 1))).rejects.toThrow(/too long/);
    const altered = await packFragment({ ...lesson, screens: ['data', 'hacker'] });
    await expect(readLesson(altered)).rejects.toThrow(/was changed/);
    const polluted = await packFragment(
      JSON.parse(`{"__proto__": {"x": 1}, "format": "${LESSON_FORMAT}"}`),
    );
    await expect(readLesson(polluted)).rejects.toThrow(/changed/);
    await expect(readLesson(await packFragment({ format: 'orpheus-share' }))).rejects.toThrow(
      /not a lesson link/,
    );
    const noise = Array.from({ length: 14_000 }, (_, i) => `${i},${(i * 7919) % 9973}`).join('\n');
    const big = {
      ...lesson,
      data: { kind: 'table' as const, name: 'x', target: 'y', csv: `x,y\n${noise}` },
    };
    await expect(lessonLink(big)).rejects.toThrow(/too large for a link/);
  });

  it('carries a family’s settings, fixed or suggested, checked against the data’s task', async () => {
    const withModel = {
      ...lesson,
      formatVersion: 2 as const,
      model: { family: 'decision-tree', params: { maxDepth: 2 }, fixed: true },
    };
    expect(await readLesson(await lessonLink(withModel))).toEqual(withModel);
    // Made whole with the family's defaults for the task.
    const params = lessonParams(withModel.model, 'classification');
    expect(params['maxDepth']).toBe(2);
    expect(params['criterion']).toBe('gini');
    // A family this Orpheus does not have, a setting the family lacks, a value out of range, a
    // family that cannot learn the data's task: each says so.
    const foreign = await packFragment({
      ...withModel,
      model: { ...withModel.model, family: 'svm-rbf' },
    });
    await expect(readLesson(foreign)).rejects.toThrow(/kind of model this Orpheus does not have/);
    expect(() =>
      lessonParams({ ...withModel.model, params: { depth: 2 } }, 'classification'),
    ).toThrow(/sets “depth”/);
    expect(() =>
      lessonParams({ ...withModel.model, params: { maxDepth: -3 } }, 'classification'),
    ).toThrow(TrainingError);
    expect(() =>
      lessonParams({ family: 'logistic-regression', params: {}, fixed: false }, 'regression'),
    ).toThrow(/cannot learn regression/);
  });
});
