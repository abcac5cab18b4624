import { describe, expect, it } from 'vitest';
import { buildContent, type DatasetContent } from '../../src/core/data/content';
import { DataError } from '../../src/core/data/cells';
import { suggestSchema } from '../../src/core/data/infer';
import { parseTable } from '../../src/core/data/parse';
import { derive } from '../../src/core/data/pipeline';
import { identifierColumn, previewRows } from '../../src/core/data/rows';
import { DatasetVersionSchema } from '../../src/core/records';
import * as v from 'valibot';

/** A survey like the one people bring: an ID, a name, yes/no answers, a 0/1 target. */
function survey(rows: number, changed: readonly number[] = [], withId = true): string {
  const lines = [withId ? 'ID,Name,job,outcome' : 'Name,job,outcome'];
  for (let i = 1; i <= rows; i++) {
    const job = changed.includes(i) ? 'maybe' : i % 3 ? 'yes' : 'no';
    const cells = [`person ${i}`, job, String(i % 2)];
    lines.push((withId ? [String(i), ...cells] : cells).join(','));
  }
  return lines.join('\n');
}

async function version(text: string): Promise<DatasetContent> {
  const raw = await parseTable(text, { fileName: 'survey.csv' });
  const s = suggestSchema(raw);
  return buildContent(raw.columns, s.columns, s.task, raw.rowCount);
}

async function preview(parent: DatasetContent, text: string) {
  return previewRows(parent, await parseTable(text, { fileName: 'next.csv' }));
}

describe('a changed file set against a version', () => {
  it('matches rows by the identifier column: added, removed, changed, unchanged', async () => {
    const v1 = await version(survey(100));
    expect(identifierColumn(v1)).toBe(0);
    const p = await preview(v1, survey(120, [5, 6, 7]));
    expect(p.fileRows).toBe(120);
    expect(p.replace).toMatchObject({
      identifier: 'ID',
      added: 20,
      removed: 0,
      changed: 3,
      unchanged: 97,
    });
    // Appending the same file would repeat 97 rows exactly and reuse 3 IDs.
    expect(p.append).toMatchObject({
      rows: 120,
      duplicateRows: 97,
      repeatedIds: 3,
      identifier: 'ID',
    });
    expect(p.append.examples[0]).toEqual({ row: 1, why: 'the same as a row already there' });
    expect(p.append.examples.some((x) => x.why === 'its ID "5" is already used')).toBe(true);
  });

  it('counts removed rows by identifier, and falls back to content without one', async () => {
    const v1 = await version(survey(100));
    const fewer = (await preview(v1, survey(90))).replace;
    expect(fewer).toMatchObject({ added: 0, removed: 10, changed: 0, unchanged: 90 });

    const plain = await version(survey(100, [], false));
    expect(identifierColumn(plain)).toBeNull();
    const d = (await preview(plain, survey(120, [5, 6, 7], false))).replace;
    // Without an identifier a changed row is one removed and one added.
    expect(d).toMatchObject({ identifier: null, added: 23, removed: 3, changed: 0, unchanged: 97 });
  });

  it('says when the file changes nothing, or has other columns', async () => {
    const v1 = await version(survey(50));
    expect((await preview(v1, survey(50))).replace).toEqual({
      problem: 'The file holds exactly the rows the version has: nothing would change.',
    });
    const other = 'ID,Name,outcome\n1,a,0\n2,b,1\n';
    const e = await preview(v1, other).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect((e as Error).message).toMatch(/this file is missing "job"/);
  });

  it('saves the replacement with the change recorded, and appends without repeats when asked', async () => {
    const v1 = await version(survey(100));
    const next = survey(120, [5, 6, 7]);
    const parse = { fileName: 'survey-120.csv' };
    const replaced = await derive(v1, { kind: 'replace', input: next, parse });
    expect(replaced.content.rowCount).toBe(120);
    expect(replaced.change).toEqual({
      kind: 'replace',
      rowsAdded: 20,
      rowsRemoved: 0,
      rowsChanged: 3,
      columnsChanged: [],
      summary:
        'content replaced from survey-120.csv: 20 rows added, 0 removed, 3 changed (matched by ID)',
    });
    // The change is a valid part of a stored version.
    const record = {
      id: replaced.id,
      datasetId: 'd',
      number: 2,
      parentId: 'p',
      source: 'file: survey-120.csv',
      task: replaced.content.task,
      schema: replaced.content.schema,
      rowCount: 120,
      profile: replaced.profile,
      change: replaced.change,
      author: 'a',
      createdAt: new Date(0).toISOString(),
    };
    const checked = v.safeParse(DatasetVersionSchema, record);
    expect(checked.issues?.map((i) => i.message) ?? []).toEqual([]);

    const all = await derive(v1, { kind: 'append', input: next, parse });
    expect(all.content.rowCount).toBe(220);
    const fresh = await derive(v1, { kind: 'append', input: next, parse, skipRepeats: true });
    expect(fresh.content.rowCount).toBe(120);
    expect(fresh.change.summary).toBe('20 rows appended; 100 repeated rows left out');
    await expect(
      derive(v1, { kind: 'append', input: survey(100), parse, skipRepeats: true }),
    ).rejects.toThrow(/already there/);
  });

  it('keeps the version’s spelling of a merged category when the file spells it more often otherwise', async () => {
    const text = (rows: number) =>
      [
        'ID,smoker,outcome',
        ...Array.from({ length: rows }, (_, k) => {
          const i = k + 1;
          // Rows 1–10: "Yes" in 6, "yes" in 4; rows 11–30 all "yes".
          const smoker = i <= 10 ? (i <= 6 ? 'Yes' : 'yes') : i % 2 ? 'yes' : 'No';
          return `${i},${smoker},${i % 2}`;
        }),
      ].join('\n');
    const v1 = await version(text(10));
    expect(v1.schema[1]!.mergeVariants).toBe(true);
    const d = (await preview(v1, text(30))).replace;
    expect(d).toMatchObject({ added: 20, removed: 0, changed: 0, unchanged: 10 });
    const next = await derive(v1, {
      kind: 'replace',
      input: text(30),
      parse: { fileName: 'f.csv' },
    });
    const col = next.content.columns[1]!;
    expect(col.kind === 'categorical' && col.categories.includes('Yes')).toBe(true);
    expect(col.kind === 'categorical' && col.categories.includes('yes')).toBe(false);
  });
});
