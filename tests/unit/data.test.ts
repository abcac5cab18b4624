import { describe, expect, it } from 'vitest';
import {
  buildContent,
  cellText,
  contentHash,
  type DatasetContent,
} from '../../src/core/data/content';
import { appendRows, changeSchema, filterRows } from '../../src/core/data/derive';
import { suggestSchema } from '../../src/core/data/infer';
import { encodeValue, toMatrix } from '../../src/core/data/matrix';
import { checkSize, DataError, MAX_IMPORT_BYTES, parseTable } from '../../src/core/data/parse';
import { buildFromRaw } from '../../src/core/data/pipeline';
import { histogram, profileContent } from '../../src/core/data/profile';
import { sortOrder } from '../../src/core/data/sort';

async function table(text: string, fileName = 'data.csv') {
  return parseTable(text, { fileName });
}

/** Parses, accepts the suggested schema, and builds the content. */
async function content(text: string, fileName = 'data.csv'): Promise<DatasetContent> {
  const raw = await table(text, fileName);
  const s = suggestSchema(raw);
  return buildContent(raw.columns, s.columns, s.task, raw.rowCount);
}

async function parseError(text: string, fileName = 'data.csv'): Promise<string> {
  const e = await table(text, fileName).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(DataError);
  return (e as Error).message;
}

const FLOWERS = 'width,height,colour\n1.5,2,red\n2.5,3,blue\n3,NA,red\n,4,blue\n';

describe('parseTable', () => {
  it('reads a header, cells and the missing-value tokens', async () => {
    const raw = await table(FLOWERS);
    expect(raw.names).toEqual(['width', 'height', 'colour']);
    expect(raw.rowCount).toBe(4);
    expect(raw.hasHeader).toBe(true);
    expect(raw.delimiter).toBe(',');
    expect(raw.columns[0]).toEqual(['1.5', '2.5', '3', null]);
    expect(raw.columns[1]).toEqual(['2', '3', null, '4']);
  });

  it('detects ; and tab delimiters, strips a BOM, keeps quoted separators and line breaks', async () => {
    const semi = await table('\uFEFFa;b\n"x;y";1\n"two\nlines";2\n');
    expect(semi.names).toEqual(['a', 'b']);
    expect(semi.delimiter).toBe(';');
    expect(semi.columns[0]).toEqual(['x;y', 'two\nlines']);
    const tsv = await table('a\tb\n1\t2\n3\t4\n', 'data.tsv');
    expect(tsv.delimiter).toBe('\t');
    expect(tsv.columns[1]).toEqual(['2', '4']);
  });

  it('numbers the columns when the first row is data, not a header', async () => {
    const raw = await table('1,2,a\n3,4,b\n5,6,a\n');
    expect(raw.hasHeader).toBe(false);
    expect(raw.names).toEqual(['column_1', 'column_2', 'column_3']);
    expect(raw.rowCount).toBe(3);
  });

  it('uses an edited list of missing-value tokens', async () => {
    const raw = await parseTable('a,b\n-,1\nx,2\n', { missingTokens: ['-'] });
    expect(raw.columns[0]).toEqual([null, 'x']);
  });

  it('reads a JSON array of objects, with the union of keys as columns', async () => {
    const raw = await table('[{"a":1,"b":"x"},{"a":2,"c":true},{"a":null,"b":"y"}]', 'rows.json');
    expect(raw.names).toEqual(['a', 'b', 'c']);
    expect(raw.columns).toEqual([
      ['1', '2', null],
      ['x', null, 'y'],
      [null, 'true', null],
    ]);
  });

  it('explains what is wrong with bad files', async () => {
    expect(await parseError('')).toMatch(/empty/);
    expect(await parseError('a,b,c\n')).toMatch(/header but no rows/);
    expect(await parseError('a,b\n1,2\n3,4,5\n6,7\n')).toMatch(
      /Line 3 has 3 values, but the header has 2/,
    );
    expect(await parseError('a,a\n1,2\n')).toMatch(/Two columns are named "a" \(columns 1 and 2\)/);
    expect(await parseError('a,,c\nx,1,2\n')).toMatch(/Column 2 has no name/);
    expect(await parseError('[{"a":{"b":1}}]', 'x.json')).toMatch(/nested object/);
    expect(await parseError('{"a":1}', 'x.json')).toMatch(/array of objects/);
    expect(await parseError('[1,2', 'x.json')).toMatch(/not valid JSON/);
  });

  it('refuses binary files and files too large for a tab', async () => {
    const png = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13])]);
    await expect(parseTable(png, { fileName: 'x.csv' })).rejects.toThrow(/not text/);
    const latin1 = new Blob([new Uint8Array([0x61, 0x0a, 0xe9, 0x0a])]);
    await expect(parseTable(latin1, { fileName: 'x.csv' })).rejects.toThrow(/not UTF-8/);
    expect(() => checkSize(200 * 1024 * 1024)).toThrow(
      /200 MB; Orpheus imports files up to 150 MB/,
    );
    expect(() => checkSize(MAX_IMPORT_BYTES)).not.toThrow();
  });

  it('keeps markup in names and cells as plain text', async () => {
    const raw = await table('"<img src=x onerror=alert(1)>",y\n<b>bold</b>,1\nz,2\n');
    expect(raw.names[0]).toBe('<img src=x onerror=alert(1)>');
    expect(raw.columns[0]![0]).toBe('<b>bold</b>');
  });
});

describe('suggestSchema', () => {
  it('infers types, the target, the task, and ignores identifiers', async () => {
    const rows = Array.from(
      { length: 30 },
      (_, i) =>
        `${i + 1},user${i},${i % 2 ? 'yes' : 'no'},${(i * 0.37).toFixed(2)},${['a', 'b', 'c'][i % 3]}`,
    );
    const raw = await table(['id,name,member,score,label', ...rows].join('\n'));
    const s = suggestSchema(raw);
    expect(s.columns.map((c) => [c.name, c.type, c.role])).toEqual([
      ['id', 'numeric', 'ignored'],
      ['name', 'text-id', 'ignored'],
      ['member', 'boolean', 'feature'],
      ['score', 'numeric', 'feature'],
      ['label', 'categorical', 'target'],
    ]);
    expect(s.task).toBe('classification');
  });

  it('calls a target of many real numbers regression, and a few whole numbers classification', async () => {
    const reg = await table(
      'x,y\n' + Array.from({ length: 40 }, (_, i) => `${i},${i * 1.5}`).join('\n'),
    );
    expect(suggestSchema(reg).task).toBe('regression');
    const cls = await table(
      'x,y\n' + Array.from({ length: 40 }, (_, i) => `${i},${i % 3}`).join('\n'),
    );
    expect(suggestSchema(cls).task).toBe('classification');
  });

  it('reports the stray words of an otherwise numeric column', async () => {
    const cells = ['v,t', ...Array.from({ length: 19 }, (_, i) => `${i},${i % 2}`), 'oops,1'];
    const raw = await table(cells.join('\n'));
    const s = suggestSchema(raw);
    expect(s.columns[0]!.type).toBe('categorical');
    expect(s.facts[0]!.stray).toEqual({ count: 1, examples: [{ row: 20, value: 'oops' }] });
    expect(s.columns[0]!.reason).toMatch(/1 value is not numbers/);
  });
});

describe('content and its hash', () => {
  it('gives the same id to the same content, a different id to one changed cell', async () => {
    const a = await contentHash(await content(FLOWERS));
    const b = await contentHash(await content(FLOWERS.replace(/\n/g, '\r\n')));
    const c = await contentHash(await content(FLOWERS.replace('2.5', '2.6')));
    const d = await contentHash(await content(FLOWERS.replace('blue\n3', 'blue\n3 ')));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a); // line endings are not content
    expect(d).toBe(a); // nor spaces around a cell
    expect(c).not.toBe(a);
  });

  it('keeps the ids versions were stored under: the same bytes for −0, NaN payloads, quotes and line breaks', async () => {
    // A NaN with another payload than the one JavaScript makes.
    const payloadNaN = new Float64Array(new Uint32Array([1, 0x7ff80000]).buffer)[0]!;
    const pinned = {
      task: 'classification',
      rowCount: 4,
      schema: [
        { name: 'x', type: 'numeric', role: 'feature' },
        { name: 'colour', type: 'categorical', role: 'feature' },
        { name: 'note', type: 'text', role: 'ignored' },
        { name: 'y', type: 'categorical', role: 'target' },
      ],
      columns: [
        { kind: 'numeric', values: Float64Array.from([-0, NaN, payloadNaN, 1.5e300]) },
        {
          kind: 'categorical',
          categories: ['red "dark"', 'blé\n', '\u2028'],
          codes: Int32Array.from([0, -1, 2, 1]),
        },
        { kind: 'text', values: ['a', null, '"q"', 'ü'] },
        { kind: 'categorical', categories: ['no', 'yes'], codes: Int32Array.from([0, 1, 1, 0]) },
      ],
    } as unknown as DatasetContent;
    // Computed by the first canonical writer (a DataView per number, JSON.stringify per column).
    expect(await contentHash(pinned)).toBe(
      '3a3c0a199537ce29fb6b7b78086c3c9efc189b9c4c8eec958ebc13d8fac6b941',
    );
  });

  it('depends on row order and on the schema', async () => {
    const base = await content(FLOWERS);
    const swapped = await content(
      'width,height,colour\n2.5,3,blue\n1.5,2,red\n3,NA,red\n,4,blue\n',
    );
    expect(await contentHash(swapped)).not.toBe(await contentHash(base));
    const ignored = {
      ...base,
      schema: base.schema.map((s) => (s.name === 'width' ? { ...s, role: 'ignored' as const } : s)),
    };
    expect(await contentHash(ignored)).not.toBe(await contentHash(base));
  });

  it('refuses a numeric column with a stray word unless the person agrees', async () => {
    const raw = await table('x,t\n1,a\n2,b\noops,a\n4,b\n');
    const schema = [
      { name: 'x', type: 'numeric' as const, role: 'feature' as const },
      { name: 't', type: 'categorical' as const, role: 'target' as const },
    ];
    expect(() => buildContent(raw.columns, schema, 'classification', raw.rowCount)).toThrow(
      /1 cell is not a number \(row 3: "oops"\)/,
    );
    const ok = buildContent(raw.columns, schema, 'classification', raw.rowCount, {
      strayAsMissing: new Set(['x']),
    });
    expect(cellText(ok.columns[0]!, 2)).toBeNull();
  });

  it('refuses data no model can learn from', async () => {
    await expect(content('x,t\n1,a\n2,a\n3,a\n')).rejects.toThrow(/only one value \("a"\)/);
    const raw = await table('id,t\nu1,a\nu2,b\n');
    const schema = [
      { name: 'id', type: 'text-id' as const, role: 'feature' as const },
      { name: 't', type: 'categorical' as const, role: 'target' as const },
    ];
    expect(() => buildContent(raw.columns, schema, 'classification', 2)).toThrow(
      /No column can be used as a feature/,
    );
    const cat = [
      { name: 'id', type: 'numeric' as const, role: 'feature' as const },
      { name: 't', type: 'categorical' as const, role: 'target' as const },
    ];
    const raw2 = await table('id,t\n1,a\n2,b\n');
    expect(() => buildContent(raw2.columns, cat, 'regression', 2)).toThrow(
      /cannot be predicted by regression/,
    );
  });
});

describe('profile', () => {
  it('matches hand-computed counts, ranges, mean, standard deviation and balance', async () => {
    const p = profileContent(await content(FLOWERS));
    expect(p.rowCount).toBe(4);
    expect(p.rowsWithMissing).toBe(2);
    const [width, height, colour] = p.columns;
    expect(width).toMatchObject({ missing: 1, distinct: 3 });
    expect(width!.numeric!.min).toBe(1.5);
    expect(width!.numeric!.max).toBe(3);
    // mean of 1.5, 2.5, 3 = 7/3; sample variance = ((1.5-7/3)² + (2.5-7/3)² + (3-7/3)²) / 2 = 7/12
    expect(width!.numeric!.mean).toBeCloseTo(7 / 3, 12);
    expect(width!.numeric!.std).toBeCloseTo(Math.sqrt(7 / 12), 12);
    expect(height).toMatchObject({ missing: 1, distinct: 3 });
    expect(colour!.top).toEqual([
      { value: 'blue', count: 2 },
      { value: 'red', count: 2 },
    ]);
    expect(p.classBalance).toEqual(colour!.top);
  });

  it('gives the mean of numbers whose sum no double holds', () => {
    const p = profileContent({
      task: 'regression',
      rowCount: 3,
      schema: [{ name: 'x', type: 'numeric', role: 'target' }],
      columns: [{ kind: 'numeric', values: Float64Array.from([1e308, NaN, 1e308]) }],
    } as unknown as DatasetContent);
    expect(p.columns[0]!.numeric!.mean).toBe(1e308);
    expect(p.columns[0]!.numeric!.std).toBe(0);
  });

  it('bins a histogram over [min, max], the maximum in the last bin', () => {
    const h = histogram(new Float64Array([0, 1, 2, 3, 4, NaN]), 0, 4, 4);
    expect(h.edges).toEqual([0, 1, 2, 3, 4]);
    expect(h.counts).toEqual([1, 1, 1, 2]);
    expect(histogram(new Float64Array([5, 5]), 5, 5).counts).toEqual([2]);
  });
});

describe('toMatrix', () => {
  it('encodes features and classes, drops rows without a target, and the encoding round-trips', async () => {
    const c = await content('size,colour,kind\n1,red,b\n2,,a\nNA,blue,b\n4,red,\n5,blue,a\n');
    const m = toMatrix(c);
    expect(m.rows).toBe(4);
    expect(m.droppedRows).toBe(1);
    expect(m.encoding.classes).toEqual(['a', 'b']);
    expect(Array.from(m.y)).toEqual([1, 0, 1, 0]);
    expect(Array.from(m.x)).toEqual([1, 0, 2, NaN, NaN, 1, 5, 1]);
    const colour = m.encoding.features[1]!;
    expect(colour).toEqual({ name: 'colour', kind: 'categorical', categories: ['red', 'blue'] });
    // A raw value of a later prediction maps through the recorded encoding to the same code.
    expect(encodeValue(colour, 'blue')).toBe(1);
    expect(encodeValue(colour, 'green')).toBeNaN();
    expect(encodeValue(m.encoding.features[0]!, '2.5')).toBe(2.5);
    expect(encodeValue(m.encoding.features[0]!, null)).toBeNaN();
  });
});

describe('new versions', () => {
  it('appends rows from a file with the same columns in another order', async () => {
    const parent = await content(FLOWERS);
    const extra = await table('colour,width,height\ngreen,9,9\n');
    const { content: child, change } = appendRows(parent, extra);
    expect(child.rowCount).toBe(5);
    expect(cellText(child.columns[2]!, 4)).toBe('green');
    expect(change).toMatchObject({ kind: 'append', rowsAdded: 1, summary: '1 row appended' });
    await expect(table('colour,width\nred,1\n').then((t) => appendRows(parent, t))).rejects.toThrow(
      /missing "height"/,
    );
  });

  it('filters rows and changes the schema, describing the change', async () => {
    const parent = await content(FLOWERS);
    const f = filterRows(parent, { column: 'width', op: 'is not missing', value: '' });
    expect(f.content.rowCount).toBe(3);
    expect(f.change.summary).toBe('kept rows where width is not missing; 1 removed');
    expect(() => filterRows(parent, { column: 'width', op: '>', value: 'big' })).toThrow(
      /compare it with a number/,
    );
    const schema = parent.schema.map((s) =>
      s.name === 'height' ? { ...s, type: 'categorical' as const } : s,
    );
    const s = changeSchema(parent, schema, 'classification');
    expect(s.change.columnsChanged).toEqual(['height: numeric → categorical']);
    expect(s.content.columns[1]!.kind).toBe('categorical');
    expect(() => changeSchema(parent, parent.schema, parent.task)).toThrow(/Nothing changed/);
  });

  it('builds an import with its id, profile and change', async () => {
    const raw = await table(FLOWERS);
    const s = suggestSchema(raw);
    const built = await buildFromRaw(raw, { schema: s.columns, task: s.task, strayAsMissing: [] });
    expect(built.id).toBe(await contentHash(built.content));
    expect(built.profile.rowCount).toBe(4);
    expect(built.change.summary).toBe('imported 4 rows × 3 columns');
  });
});

describe('sortOrder', () => {
  it('sorts numbers and text, missing last, stable', async () => {
    const c = await content(FLOWERS);
    expect(Array.from(sortOrder(c.columns[0]!, 4))).toEqual([0, 1, 2, 3]);
    expect(Array.from(sortOrder(c.columns[0]!, 4, true))).toEqual([2, 1, 0, 3]);
    expect(Array.from(sortOrder(c.columns[2]!, 4))).toEqual([1, 3, 0, 2]);
  });
});

describe('line ends and encodings people’s files come in', () => {
  it('reads a file whose lines end in LF, CRLF and CR all at once as one table', async () => {
    const { parseTable } = await import('../../src/core/data/parse');
    const t = await parseTable('a,b\r\n1,2\r\n\r\n3,4\n5,6\r7,8\n', { fileName: 'mixed.csv' });
    expect(t.names).toEqual(['a', 'b']);
    expect(t.columns).toEqual([
      ['1', '3', '5', '7'],
      ['2', '4', '6', '8'],
    ]);
  });

  it('reads UTF-16 text (with its byte-order mark) instead of calling it binary', async () => {
    const { parseTable } = await import('../../src/core/data/parse');
    const text = 'name,größe\r\nÅsa,1.5\r\nZoë,2\r\n';
    const le = new Uint8Array(2 + text.length * 2);
    le.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      le[2 + 2 * i] = text.charCodeAt(i) & 0xff;
      le[3 + 2 * i] = text.charCodeAt(i) >> 8;
    }
    const be = le.slice();
    be.set([0xfe, 0xff]);
    for (let i = 2; i < be.length; i += 2) [be[i], be[i + 1]] = [le[i + 1]!, le[i]!];
    for (const bytes of [le, be]) {
      const t = await parseTable(new Blob([bytes]), { fileName: 'unicode.csv' });
      expect(t.names).toEqual(['name', 'größe']);
      expect(t.columns[0]).toEqual(['Åsa', 'Zoë']);
    }
  });
});

describe('free text', () => {
  it('a column whose text values are nearly all different is suggested as ignored, with the reason', async () => {
    const { suggestSchema } = await import('../../src/core/data/infer');
    const names = Array.from({ length: 100 }, (_, i) => (i < 91 ? `Person ${i}` : 'Person 0'));
    const raw = {
      names: ['Name', 'colour', 'label'],
      columns: [
        names,
        names.map((_, i) => ['red', 'green', 'blue'][i % 3]!),
        names.map((_, i) => (i % 2 ? 'yes' : 'no')),
      ],
      rowCount: 100,
      hasHeader: true,
      delimiter: ',',
    };
    const s = suggestSchema(raw);
    const name = s.columns[0]!;
    expect(name.role).toBe('ignored');
    expect(name.type).toBe('text-id');
    expect(name.reason).toMatch(/91 different values in 100 rows/);
    expect(s.columns[1]!.role).toBe('feature');
  });
});
