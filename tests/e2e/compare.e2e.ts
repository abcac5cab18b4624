import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFromFile, openBrowser, startAs, waitText, type Session } from './browser';

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
  await startAs(s, 'Ana');
});
afterEach(async () => {
  await s.close();
});

async function importSample(page: Page, button: string): Promise<void> {
  await page.goto(`${s.baseUrl}/#/data`);
  await page.getByRole('button', { name: button }).click();
  await page.getByRole('button', { name: 'Save as a new dataset' }).click();
  await waitText(page.getByTestId('import-result'), /Saved as/);
  await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
  await page.getByTestId('lineage').waitFor();
}

/** From a data version's page: trains with the screen's defaults (a search for new data). */
async function trainFromData(page: Page, name: string, maxDepth?: string): Promise<void> {
  await page.getByRole('link', { name: 'Train a model on this version' }).click();
  await page.getByLabel('Model family').selectOption({ label: 'Decision tree' });
  await page.getByLabel('Name of the new model').fill(name);
  if (maxDepth) {
    await page.getByLabel(/Max depth/).fill(maxDepth);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
  } else await page.getByRole('button', { name: 'Search and train' }).click();
  await waitText(page.getByTestId('train-result'), new RegExp(`Saved as ${name} v1`));
}

describe('compare, overview, aliases', () => {
  it('diffs two versions with the changed tree highlighted, filters the overview, promotes and rolls back', async () => {
    const { page } = s;
    await importSample(page, 'Iris');
    await trainFromData(page, 'auto');
    // Existing data + new model with a chosen depth: a second, shallower tree.
    await page.goto(`${s.baseUrl}/#/data`);
    await page.getByRole('link', { name: /Iris/ }).first().click();
    await trainFromData(page, 'stump', '1');

    // Compare the two from the URL, as a bookmark would.
    await page.goto(`${s.baseUrl}/#/overview`);
    await waitText(page.getByTestId('overview-count'), /2 of 2 versions/);
    await page.getByLabel('Filter').fill('params.maxDepth = 1 and user = "ana"');
    await page.getByRole('button', { name: 'Apply' }).click();
    await waitText(page.getByTestId('overview-count'), /1 of 2 versions/);
    expect(page.url()).toContain('q=params.maxDepth');
    await page.getByLabel('Filter').fill('params.maxDepth = = 1');
    await page.getByRole('button', { name: 'Apply' }).click();
    await waitText(
      page.getByTestId('filter-error'),
      /Expected a field, a number or a quoted text, not "="/,
    );
    await page.getByRole('button', { name: 'Clear' }).click();
    await waitText(page.getByTestId('overview-count'), /2 of 2 versions/);

    // The lineage graph draws the data version and both model versions.
    await page.getByRole('tab', { name: 'Lineage graph' }).click();
    const graph = page.getByTestId('lineage-graph');
    await graph.waitFor();
    expect(await graph.locator('a[data-kind="model"]').count()).toBe(2);
    expect(await graph.locator('a[data-kind="data"]').count()).toBe(1);
    expect(await graph.locator('a[data-kind="study"]').count()).toBe(1);

    // Compare: add both versions.
    await page.goto(`${s.baseUrl}/#/compare`);
    await page.getByLabel('Add a version').selectOption({ label: 'auto v1' });
    await page.getByLabel('Add a version').selectOption({ label: 'stump v1' });
    const table = page.getByTestId('compare-table');
    await waitText(table, /Max depth/);
    expect(await table.locator('td.changed').count()).toBeGreaterThan(0);
    const changes = page.getByTestId('tree-changes');
    await waitText(changes, /became a leaf|moved|changed|predicts/);
    expect(await page.getByTestId('tree').nth(1).locator('.lit').count()).toBeGreaterThan(0);
    // Each tree gets the page's whole width, one above the other, unless asked side by side.
    const box = async (n: number) => (await page.getByTestId('tree').nth(n).boundingBox())!;
    expect((await box(1)).y).toBeGreaterThanOrEqual((await box(0)).y + (await box(0)).height);
    await page.getByRole('button', { name: 'Side by side' }).click();
    await expect.poll(async () => (await box(1)).y).toBeLessThan((await box(0)).y + 5);
    await page.getByRole('button', { name: 'One above the other' }).click();
    // "Show only what differs" is on: an equal row (both made by Ana) is hidden until it is turned off.
    expect(await table.getByRole('rowheader', { name: 'Made by' }).count()).toBe(0);
    await page.getByLabel('Show only what differs').uncheck();
    await table.getByRole('rowheader', { name: 'Made by' }).waitFor();
    // Predictions on the data: how many rows they disagree on.
    await page.getByLabel('On the data version').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Compare predictions' }).click();
    await waitText(
      page.getByTestId('disagreements'),
      /They disagree on [1-9]\d* of 150 rows of Iris v1/,
    );

    // Both versions' decision boundaries, side by side.
    const boundaries = page.getByTestId('compare-boundaries');
    for (const n of [0, 1])
      await waitText(boundaries.getByTestId('boundary-summary').nth(n), /Computed in a worker/);
    expect(await boundaries.getByTestId('boundary').count()).toBe(2);

    // A link that names the same version twice compares it once, without an error.
    const first = decodeURIComponent(new URL(page.url()).hash).match(/v=([^,&]+)/)![1]!;
    await page.goto(`${s.baseUrl}/#/compare?v=${first},${first}`);
    await expect.poll(() => table.locator('thead th').count()).toBe(2);
    expect(s.errors).toEqual([]);

    // Aliases: promote, then roll back, each move kept with its reason.
    await page.goto(`${s.baseUrl}/#/models`);
    await page.getByRole('link', { name: 'auto' }).click();
    const aliases = page.getByTestId('aliases');
    await aliases.getByLabel('Reason (kept with the move)').fill('first good one');
    await aliases.getByRole('button', { name: 'Promote v1 to champion' }).click();
    await waitText(aliases, /champion\s+→\s+v1/);
    await waitText(
      page.getByTestId('alias-moves'),
      /promote auto: champion → v1 \(first good one\)/,
    );

    // A v2 on more rows becomes champion, then the champion rolls back to v1; v2 stays.
    await page.goto(`${s.baseUrl}/#/data`);
    await page.getByRole('link', { name: /Iris/ }).first().click();
    await page.getByRole('tab', { name: 'New version' }).click();
    await appendFromFile(page, {
      name: 'more.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'sepal_length,sepal_width,petal_length,petal_width,species\n5.0,3.4,1.5,0.25,setosa\n6.6,3.0,5.6,2.15,virginica\n',
      ),
    });
    await waitText(page.getByTestId('version-result'), /Saved as Iris v2/);
    await page.getByRole('link', { name: 'Train a model on this version' }).click();
    await page.getByLabel('2. Model').selectOption({ label: 'auto (1 version, classification)' });
    await page.getByRole('button', { name: 'Retrain' }).click();
    await waitText(page.getByTestId('train-result'), /Saved as auto v2/);
    await page.getByTestId('train-result').getByRole('link', { name: 'Open auto v2' }).click();
    await aliases.getByRole('button', { name: 'Promote v2 to champion' }).click();
    await waitText(aliases, /champion\s+→\s+v2/);
    await page.getByTestId('history').getByRole('link', { name: 'v1', exact: true }).click();
    await aliases.getByLabel('Reason (kept with the move)').fill('v2 misbehaves');
    await aliases.getByRole('button', { name: 'Roll back champion to v1' }).click();
    await waitText(aliases, /champion\s+→\s+v1/);
    await waitText(
      page.getByTestId('alias-moves'),
      /rollback auto: champion → v1 \(v2 misbehaves\)/,
    );
    expect(await page.getByTestId('history').innerText()).toMatch(/v2\s+Iris v2/);
    expect(s.errors).toEqual([]);
  });

  it('auditions the models on the penguins data: missing values and three classes', async () => {
    const { page } = s;
    await importSample(page, 'Palmer penguins');
    await trainFromData(page, 'penguin tree');
    await importSample(page, 'Iris');
    await trainFromData(page, 'iris tree');

    await page.goto(`${s.baseUrl}/#/audition`);
    await page
      .getByLabel('Data version')
      .selectOption({ label: 'Palmer penguins v1 — 344 rows, classification' });
    const req = page.getByTestId('requirements');
    await waitText(req, /multiclass: 3 classes/);
    expect(await req.getByLabel('has missing values').isChecked()).toBe(true);
    const table = page.getByTestId('audition');
    await waitText(table, /penguin tree v1/);
    const rows = table.locator('tbody tr');
    expect(await rows.nth(0).innerText()).toMatch(
      /penguin tree v1[\s\S]*each split learned where missing values go/,
    );
    expect(await rows.nth(1).innerText()).toMatch(
      /iris tree v1[\s\S]*predicts "species"|iris tree v1[\s\S]*which the data lacks/,
    );
    // Scoring starts by itself: scored only on the rows it never trained on (its hold-out),
    // saying how many were left out.
    await waitText(
      rows.nth(0).getByTestId('audition-score'),
      /^(0\.\d+|1)\s*on \d+ rows it never trained on; \d+ it trained on left out$/,
    );
    expect(await rows.nth(1).innerText()).toMatch(/cannot run/);
    // Asking for a binary-only model: the three-class penguin tree is not what was asked.
    const asks = page.getByTestId('asks');
    await asks.getByLabel('trained on more than two classes').selectOption('no');
    await waitText(rows.nth(0), /not what was asked: it was trained on more than two classes/);
    await asks.getByLabel('trained on more than two classes').selectOption('any');
    await page.getByRole('button', { name: 'Score the version that can run' }).click();
    await waitText(rows.nth(0).getByTestId('audition-score'), /^(0\.\d+|1)\s*on \d+ rows/);
    await rows.nth(0).getByRole('button', { name: 'Promote to champion' }).click();
    await waitText(rows.nth(0), /champion/);
    expect(s.errors).toEqual([]);
  });
});
