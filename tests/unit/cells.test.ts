import { describe, expect, it } from 'vitest';
import {
  cellNumbers,
  distinctNumbers,
  foldVariant,
  isNumeric,
  strictNumber,
} from '../../src/core/data/cells';
import { buildContent, contentHash } from '../../src/core/data/content';
import { changeSchema } from '../../src/core/data/derive';
import { columnFacts, DISTINCT_TEXT_CAP, suggestSchema } from '../../src/core/data/infer';
import { matrixFor, toMatrix } from '../../src/core/data/matrix';
import { parseTable } from '../../src/core/data/parse';
import { profileContent } from '../../src/core/data/profile';
import { encodeRow } from '../../src/core/predict/predict';
import { seededRandom } from '../../src/core/random';

/** The rule the scanner must keep: the regular expression Orpheus used before it. */
const STRICT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

describe('strictNumber', () => {
  it('accepts exactly what the strict number form accepts, and gives what Number() gives', () => {
    const fixed = [
      '0',
      '-0',
      '+1',
      '1.',
      '.5',
      '-.5',
      '1e5',
      '1E-5',
      '2.5e+3',
      '007',
      '1.000000000000001',
      '123456789012345678',
      '0.1',
      '0.3',
      '9007199254740993',
      '1e400',
      '-1e-400',
      '.',
      '-',
      '+',
      '',
      'e5',
      '1e',
      '1e+',
      '1.2.3',
      ' 1',
      '1 ',
      '0x10',
      'Infinity',
      'NaN',
      '1,5',
      '١',
      '1_000',
      '--1',
      '+-1',
      '.e1',
      '5.e2',
      '3.14159265358979323846',
      '0.000000000000000000000001',
    ];
    const r = seededRandom(3);
    const alphabet = '0123456789.eE+- x';
    const random = Array.from({ length: 20_000 }, () => {
      const n = 1 + Math.floor(r() * 12);
      let s = '';
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
      return s;
    });
    const decimals = Array.from({ length: 20_000 }, () =>
      ((r() - 0.5) * 10 ** Math.floor(r() * 12)).toFixed(Math.floor(r() * 16)),
    );
    for (const s of [...fixed, ...random, ...decimals]) {
      const want = STRICT.test(s);
      expect(isNumeric(s), s).toBe(want);
      if (want) expect(Object.is(strictNumber(s), Number(s)), s).toBe(true);
      else expect(strictNumber(s), s).toBeNaN();
    }
  });

  it('reads a column once and remembers it for the same array', () => {
    const cells = ['1', null, 'x', '2.5'];
    const a = cellNumbers(cells);
    expect([...a]).toEqual([1, NaN, NaN, 2.5]);
    expect(cellNumbers(cells)).toBe(a);
    expect(cellNumbers([...cells])).not.toBe(a);
  });

  it('has the numbers of a parsed file already, the same as reading its cells again', async () => {
    const raw = await parseTable('a,b,c\n 1.5 ,x,NA\n-2e3,+.5,3\n,7, 0.1 \n1e400,-0,abc\n', {
      fileName: 'n.csv',
    });
    for (const cells of raw.columns) {
      const remembered = cellNumbers(cells);
      // A copy of the array is not remembered: its numbers are read from the strings.
      const fresh = cellNumbers([...cells]);
      expect(remembered).not.toBe(fresh);
      expect([...remembered]).toEqual([...fresh]);
    }
    expect([...cellNumbers(raw.columns[0]!)]).toEqual([1.5, -2000, NaN, Infinity]);
    expect([...cellNumbers(raw.columns[1]!)]).toEqual([NaN, 0.5, 7, -0]);
  });
});

describe('distinctNumbers', () => {
  it('counts as a Set does, NaN left out and −0 the same as 0, and stops past a limit', () => {
    const r = seededRandom(9);
    for (let t = 0; t < 20; t++) {
      const n = Math.floor(r() * 5000);
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const k = r();
        v[i] = k < 0.05 ? NaN : k < 0.1 ? -0 : Math.floor(r() * (t * 100 + 1)) / 4;
      }
      const want = new Set([...v].filter((x) => !Number.isNaN(x)).map((x) => (x === 0 ? 0 : x)))
        .size;
      expect(distinctNumbers(v)).toBe(want);
      expect(distinctNumbers(v, 10)).toBe(Math.min(want, 11));
    }
  });
});

describe('schema facts on large columns', () => {
  it('stops counting text values at the cap and still calls free text free text', () => {
    const names = Array.from({ length: DISTINCT_TEXT_CAP * 3 }, (_, i) => `person ${i}`);
    const f = columnFacts('name', names);
    expect(f.distinctCapped).not.toBeNull();
    expect(f.distinct).toBe(DISTINCT_TEXT_CAP);
    // 2,500 values drawn at random: the first 2,000 different ones take about 4,000 draws.
    const r = seededRandom(5);
    const colours = Array.from(
      { length: DISTINCT_TEXT_CAP * 5 },
      () => `shade ${Math.floor(r() * 2500)}`,
    );
    const g = columnFacts('colour', colours);
    expect(g.distinctCapped).not.toBeNull();
    expect(g.distinct).toBeLessThan(0.9 * g.distinctCapped!.seen);
  });

  it('counts a column named like an identifier exactly, so a unique one is ignored', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},${i % 7},${i % 2 ? 'a' : 'b'}`);
    const raw = await parseTable(`id,x,label\n${rows.join('\n')}`, { fileName: 'd.csv' });
    const s = suggestSchema(raw);
    expect(s.facts[0]!.distinct).toBe(3000);
    expect(s.columns[0]!.role).toBe('ignored');
  });
});

const SURVEY = [
  'smoker,age,outcome',
  ...Array.from({ length: 40 }, (_, i) => {
    const smoker = ['yes', 'Yes', 'No', 'no', ' YES', 'no'][i % 6];
    return `${smoker},${20 + (i % 30)},${i % 3 ? '1' : '0'}`;
  }),
  'Né,30,1',
  'ne,31,0',
].join('\n');

describe('spelling variants of a category', () => {
  it('finds values that differ by case, spaces or accents, with counts, and merges them', async () => {
    expect(foldVariant(' Élan ')).toBe(foldVariant('elan'));
    const raw = await parseTable(SURVEY, { fileName: 's.csv' });
    const s = suggestSchema(raw);
    const smoker = s.columns[0]!;
    expect(smoker.mergeVariants).toBe(true);
    expect(s.facts[0]!.variants.map((g) => g.keep).sort()).toEqual(['Né', 'no', 'yes'].sort());
    const yes = s.facts[0]!.variants.find((g) => g.keep === 'yes')!;
    expect(yes.values).toEqual([
      { value: 'yes', count: 7 },
      { value: 'Yes', count: 7 },
      { value: 'YES', count: 6 },
    ]);
    expect(smoker.reason).toMatch(/"yes" \(7\), "Yes" \(7\), "YES" \(6\) → "yes"/);

    const merged = buildContent(raw.columns, s.columns, s.task, raw.rowCount);
    const apart = buildContent(
      raw.columns,
      s.columns.map(({ name, type, role }) => ({ name, type, role })),
      s.task,
      raw.rowCount,
    );
    const profile = (c: typeof merged) => profileContent(c).columns[0]!;
    expect(profile(merged).distinct).toBe(3);
    expect(profile(apart).distinct).toBe(7);
    expect(profile(merged).top!.map((t) => [t.value, t.count])).toEqual([
      ['no', 20],
      ['yes', 20],
      ['Né', 2],
    ]);
    expect(await contentHash(merged)).not.toBe(await contentHash(apart));

    // At predict time a new spelling reads as its category; without the merge it is unknown.
    const m = toMatrix(merged);
    const smokerFeature = m.encoding.features[0]!;
    expect(smokerFeature).toMatchObject({ kind: 'categorical', mergeVariants: true });
    const enc = encodeRow(m.encoding, { smoker: 'yEs', age: '33' }, true);
    expect(enc).toEqual({
      x: [smokerFeature.kind === 'categorical' ? smokerFeature.categories.indexOf('yes') : -1, 33],
    });
    const plain = encodeRow(toMatrix(apart).encoding, { smoker: 'yEs', age: '33' }, true);
    expect(plain).toHaveProperty('problems');

    // Another data version spelled differently is read through the merge too.
    const other = buildContent(
      [
        ['YES', 'nO'],
        ['40', '41'],
        ['1', '0'],
      ],
      apart.schema,
      'classification',
      2,
    );
    const x = matrixFor(other, m.encoding).x;
    expect(Number.isNaN(x[0]!) || Number.isNaN(x[2]!)).toBe(false);
  });

  it('turning the merge on is a schema change of its own, described in words', async () => {
    const raw = await parseTable(SURVEY, { fileName: 's.csv' });
    const s = suggestSchema(raw);
    const apartSchema = s.columns.map(({ name, type, role }) => ({ name, type, role }));
    const apart = buildContent(raw.columns, apartSchema, s.task, raw.rowCount);
    const on = apartSchema.map((c, i) => (i === 0 ? { ...c, mergeVariants: true as const } : c));
    const { content, change } = changeSchema(apart, on, s.task);
    expect(change.summary).toMatch(/smoker: spelling variants merged/);
    expect(profileContent(content).columns[0]!.distinct).toBe(3);
  });

  it('keeps the ids of versions that never had the flag', async () => {
    const raw = await parseTable('a,b\n1,x\n2,y\n3,x\n', { fileName: 'd.csv' });
    const s = suggestSchema(raw);
    expect(s.columns.some((c) => 'mergeVariants' in c)).toBe(false);
    const c = buildContent(raw.columns, s.columns, s.task, raw.rowCount);
    expect(c.schema.every((col) => !('mergeVariants' in col))).toBe(true);
  });
});
