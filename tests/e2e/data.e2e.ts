import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFromFile, openBrowser, startAs, waitText, type Session } from './browser';

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
  await startAs(s, 'Dana');
});
afterEach(async () => {
  await s.close();
});

const PLANTS = [
  'id,height,soil,leaves,kind',
  '1,12.5,clay,4,fern',
  '2,30,sand,NA,palm',
  '3,11,clay,5,fern',
  '4,28.5,,3,palm',
  '5,9.5,loam,6,fern',
  '6,31,sand,2,palm',
].join('\n');

function file(name: string, text: string) {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(text) };
}

async function importFile(page: Page, name: string, text: string): Promise<void> {
  await page
    .getByLabel('Choose a CSV, TSV or JSON file, or drop it here')
    .setInputFiles(file(name, text));
}

async function datasetCount(page: Page): Promise<number> {
  return page.getByTestId('dataset-list').getByRole('listitem').count();
}

describe('datasets', () => {
  it('imports a CSV, shows its profile and rows, appends rows as v2 with lineage, and refuses a duplicate', async () => {
    const { page } = s;
    await importFile(page, 'plants.csv', PLANTS);
    await page.getByText('Check the table before saving').waitFor();
    expect(await page.getByText('6 rows × 5 columns').count()).toBe(1);
    // The identifier column is suggested as ignored, and the last column as the target.
    expect(await page.getByLabel('Role of id').inputValue()).toBe('ignored');
    expect(await page.getByLabel('Role of kind').inputValue()).toBe('target');
    await page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await waitText(page.getByTestId('import-result'), /Saved as plants v1/);
    await expect.poll(() => datasetCount(page)).toBe(1);

    await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
    const profile = page.getByTestId('profile');
    await profile.waitFor();
    expect(await profile.innerText()).toMatch(/6\s+rows/);
    expect(await profile.getByRole('list', { name: 'Rows per class' }).innerText()).toMatch(
      /fern\s+3 \(50 %\)[\s\S]*palm\s+3 \(50 %\)/,
    );
    expect(await profile.getByRole('article', { name: 'Column leaves' }).innerText()).toMatch(
      /1 missing/,
    );

    // The rows, sorted by height, missing values visible.
    await page.getByRole('tab', { name: 'Rows' }).click();
    const rows = page.getByTestId('rows');
    await rows.getByRole('button', { name: 'height' }).click();
    const firstRow = rows.locator('tbody tr').first();
    await expect.poll(() => firstRow.innerText()).toMatch(/^5\s+5\s+9.5\s+loam\s+6\s+fern$/);
    expect(await rows.locator('td.missing').count()).toBe(2);

    // Append two rows from another file: v2, whose parent is v1.
    await page.getByRole('tab', { name: 'New version' }).click();
    await appendFromFile(
      page,
      file('more.csv', 'id,height,soil,leaves,kind\n7,10,clay,5,fern\n8,29,sand,3,palm\n'),
    );
    await waitText(page.getByTestId('version-result'), /Saved as plants v2/);
    const lineage = page.getByTestId('lineage');
    await waitText(lineage, /Parent\s+v1/);
    expect(await lineage.innerText()).toMatch(/2 rows appended/);
    expect(await page.getByTestId('versions').getByRole('listitem').count()).toBe(2);
    await page.getByTestId('versions').getByRole('link', { name: 'v1' }).click();
    await waitText(lineage, /Children\s+v2/);

    // The list names the latest version with its own author and time (not v1's).
    await page.getByRole('link', { name: '← All datasets' }).click();
    await waitText(
      page.getByTestId('dataset-list'),
      /latest v2: 8 rows × 5 columns, classification, by Dana,/,
    );
    // The same file again: told where it is, nothing stored twice.
    await importFile(page, 'plants-again.csv', PLANTS);
    await page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await waitText(
      page.getByTestId('import-result'),
      /already stored as plants v1, so nothing new was saved/,
    );
    await expect.poll(() => datasetCount(page)).toBe(1);
    expect(s.errors).toEqual([]);
  });

  it('merges spellings of a category, takes a changed file as the next version with its row changes, and appends no repeats', async () => {
    const { page } = s;
    const survey = (rows: number, changed: number[] = []) =>
      [
        'ID,Name,smoker,age,outcome',
        ...Array.from({ length: rows }, (_, k) => {
          const i = k + 1;
          const smoker = changed.includes(i) ? 'no' : ['yes', 'Yes', 'No', 'no'][i % 4];
          return `${i},person ${i},${smoker},${20 + (i % 40)},${i % 2}`;
        }),
      ].join('\n');
    await importFile(page, 'survey-100.csv', survey(100));
    await page.getByText('Check the table before saving').waitFor();
    // "yes"/"Yes" and "No"/"no" are found, with counts, and merged unless the person says not.
    const row = page.getByRole('row', { name: /^smoker/ });
    expect(await row.innerText()).toMatch(/"Yes" \(25\), "yes" \(25\) → "Yes"/);
    expect(
      await page
        .getByLabel('One category for spellings that differ only by case, spaces or accents')
        .first()
        .isChecked(),
    ).toBe(true);
    expect(await page.getByLabel('Role of Name').inputValue()).toBe('ignored');
    await page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await waitText(page.getByTestId('import-result'), /Saved as survey-100 v1/);
    await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
    const profile = page.getByTestId('profile');
    await waitText(profile.getByRole('article', { name: 'Column smoker' }), /2 distinct/);

    // The 120-row export of the same survey: offered as the next version, with what changed.
    await page.getByRole('link', { name: '← All datasets' }).click();
    await importFile(page, 'survey-120.csv', survey(120, [5, 9, 13]));
    const same = page.getByTestId('same-columns');
    await same.getByRole('button', { name: 'Import as a new version of survey-100' }).click();
    const preview = page.getByTestId('rows-preview');
    await waitText(
      preview.getByTestId('replace-diff'),
      /Matched by ID: 20 added, 0 removed, 3 changed, 97 unchanged\./,
    );
    expect(await preview.getByTestId('append-repeats').innerText()).toMatch(
      /97 of the file's rows are exact duplicates of rows already there, and 3 reuse ID values already there/,
    );
    expect(await preview.getByRole('button', { name: 'Append 20 rows' }).count()).toBe(1);
    await preview.getByRole('button', { name: /^Save as the next version/ }).click();
    await waitText(page.getByTestId('version-result'), /Saved as survey-100 v2/);
    await waitText(
      page.getByTestId('lineage'),
      /content replaced from survey-120\.csv: 20 rows added, 0 removed, 3 changed \(matched by ID\)/,
    );

    // Appending the same file to v2 would only repeat rows: nothing to append unless asked.
    await page.getByRole('tab', { name: 'New version' }).click();
    await page.getByLabel('File of rows').setInputFiles(file('again.csv', survey(120, [5, 9, 13])));
    await waitText(
      page.getByTestId('append-repeats'),
      /120 of the file's rows are exact duplicates/,
    );
    expect(
      await page
        .getByTestId('rows-preview')
        .getByRole('button', { name: 'Append 0 rows' })
        .isDisabled(),
    ).toBe(true);
    expect(s.errors).toEqual([]);
  });

  it('imports a bundled sample offline-ready, with missing values and categories (penguins)', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Palmer penguins' }).click();
    await page.getByText('344 rows × 7 columns').waitFor();
    expect(await page.getByLabel('Role of species').inputValue()).toBe('target');
    await page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await waitText(page.getByTestId('import-result'), /Saved as Palmer penguins v1/);
    await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
    const profile = page.getByTestId('profile');
    await profile.waitFor();
    expect(await profile.innerText()).toMatch(/11\s+rows have missing values/);
    expect(await page.getByTestId('lineage').innerText()).toMatch(/Licence: CC0/);
    expect(s.errors).toEqual([]);
  });

  it('makes a filtered version and a schema version', async () => {
    const { page } = s;
    await importFile(page, 'plants.csv', PLANTS);
    await page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
    await page.getByRole('tab', { name: 'New version' }).click();
    await page.getByLabel('Column', { exact: true }).selectOption('leaves');
    await page.getByLabel('Keep rows where it').selectOption('is not missing');
    await page.getByRole('button', { name: 'Make the filtered version' }).click();
    await waitText(page.getByTestId('version-result'), /Saved as plants v2/);
    expect(await page.getByTestId('lineage').innerText()).toMatch(
      /leaves is not missing; 1 removed/,
    );

    await page.getByLabel('Type of leaves').selectOption('categorical');
    await page.getByRole('button', { name: 'Save the new schema as a version' }).click();
    await waitText(page.getByTestId('version-result'), /Saved as plants v3/);
    expect(await page.getByTestId('lineage').innerText()).toMatch(/leaves: numeric → categorical/);
    expect(s.errors).toEqual([]);
  });

  it('says what is wrong with a bad file and stores nothing; markup stays text', async () => {
    const { page } = s;
    await importFile(page, 'ragged.csv', 'a,b,c\n1,2,3\n4,5\n');
    await waitText(
      page.getByTestId('import-error'),
      /Line 3 has 2 values, but the header has 3 columns/,
    );
    await importFile(page, 'one-class.csv', 'x,label\n1,a\n2,a\n3,a\n');
    await page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await waitText(page.getByTestId('import-error'), /only one value \("a"\)/);
    await importFile(page, 'empty.csv', '');
    await waitText(page.getByTestId('import-error'), /empty/);
    await importFile(page, 'binary.csv', '\u0000\u0001PNG');
    await waitText(page.getByTestId('import-error'), /not text/);
    expect(await page.getByText('No datasets yet').count()).toBe(1);

    const evil =
      '"<img src=x onerror=window.pwned=1>",label\n<script>window.pwned=2</script>,a\nz,b\nq,a\n';
    await importFile(page, 'evil.csv', evil);
    await page.getByText('Check the table before saving').waitFor();
    expect(await page.getByRole('rowheader', { name: /<img src=x/ }).count()).toBe(1);
    expect(await page.getByText('<script>window.pwned=2</script>').count()).toBe(1);
    expect(
      await page.evaluate(() => (window as unknown as { pwned?: number }).pwned),
    ).toBeUndefined();
    expect(s.errors).toEqual([]);
  });

  it('draws only the rows in view of a large version', async () => {
    const { page } = s;
    const lines = ['n,x,label'];
    for (let i = 0; i < 20000; i++)
      lines.push(`${i},${(i * 7919) % 1000},${i % 3 === 0 ? 'a' : 'b'}`);
    await importFile(page, 'big.csv', lines.join('\n'));
    await page.getByText('20,000 rows × 3 columns').waitFor();
    await page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
    await page.getByRole('tab', { name: 'Rows' }).click();
    const rows = page.getByTestId('rows');
    await rows.locator('tbody tr').first().waitFor();
    expect(await rows.locator('tbody tr').count()).toBeLessThan(80);
    await rows.evaluate((el) => (el.scrollTop = 32 * 15000));
    await waitText(rows.locator('tbody tr').first(), /^1499\d/);
    expect(s.errors).toEqual([]);
  });
});
