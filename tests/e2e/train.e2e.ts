import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFromFile, openBrowser, startAs, waitText, type Session } from './browser';

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
  await startAs(s, 'Ravi');
});
afterEach(async () => {
  await s.close();
});

/** Imports the Iris sample and opens its dataset page. */
async function importIris(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Iris' }).click();
  await page.getByText('150 rows × 5 columns').waitFor();
  await page.getByRole('button', { name: 'Save as a new dataset' }).click();
  await waitText(page.getByTestId('import-result'), /Saved as Iris v1/);
  await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
  await page.getByTestId('lineage').waitFor();
}

const MORE_IRIS = [
  'sepal_length,sepal_width,petal_length,petal_width,species',
  '5.0,3.4,1.5,0.25,setosa',
  '6.1,2.9,4.6,1.35,versicolor',
  '6.6,3.0,5.6,2.15,virginica',
  '5.9,2.8,4.4,1.3,versicolor',
].join('\n');

describe('training', () => {
  it('trains v1 on a sample, retrains v2 on new data with a score comparison, shows history and reproduces', async () => {
    const { page } = s;
    await importIris(page);

    // New data + new model: the automatic search, then v1.
    await page.getByRole('link', { name: 'Train a model on this version' }).click();
    await waitText(page.getByTestId('scenario'), /New data, new model/);
    await page.getByLabel('Model family').selectOption({ label: 'Decision tree' });
    expect(await page.getByLabel('Name of the new model').inputValue()).toBe('Iris tree');
    await page.getByRole('button', { name: 'Search and train' }).click();
    const result = page.getByTestId('train-result');
    await waitText(result, /Saved as Iris tree v1/);
    expect(await result.innerText()).toMatch(/Accuracy: (0\.9\d*|1) ± /);
    // A search chose it: its CV score is the selection score; the hold-out says on which rows.
    expect(await result.innerText()).toMatch(/selection score of its search/);
    expect(await result.innerText()).toMatch(/hold-out (0\.\d+|1) on 30 rows it never trained on/);
    // The result shows the tree it learned, without going to the version page.
    await waitText(result.getByTestId('result-tree'), /petal_(length|width) < /);
    await result.getByRole('link', { name: 'Open Iris tree v1' }).click();

    // The version page: metadata, settings, scores, the tree. The CV score of a searched
    // version is the selection score; the hold-out is beside it.
    await waitText(page.getByTestId('scores'), /Selection score: cross-validated/);
    const meta = page.getByTestId('metadata');
    await waitText(meta, /Iris v1, 120 rows trained on, 30 held out/);
    expect(await meta.innerText()).toMatch(/Made by\s+Ravi/);
    expect(await meta.innerText()).toMatch(/best trial \(#\d+\) of\s+its search study/);
    expect(await meta.innerText()).toMatch(/trainer 1, ml-cart 2\.1\.1/);
    expect(await page.getByTestId('hyperparameters').innerText()).toMatch(/Max depth/);
    expect(await page.getByTestId('confusion').innerText()).toMatch(/setosa/);
    const tree = page.getByTestId('tree');
    expect(await tree.getByRole('button').first().getAttribute('aria-label')).toMatch(
      /^(sepal|petal)_(length|width) < [\d.]+ 120 rows · 100 %$/,
    );
    expect(await tree.getByRole('img').count()).toBeGreaterThan(1);

    // A second data version: four rows appended.
    await page.getByRole('link', { name: 'Iris v1' }).click();
    await page.getByRole('tab', { name: 'New version' }).click();
    await appendFromFile(page, {
      name: 'more.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(MORE_IRIS),
    });
    await waitText(page.getByTestId('version-result'), /Saved as Iris v2/);

    // New data + existing model: retrain as v2, with the scores side by side.
    await page.getByRole('link', { name: 'Train a model on this version' }).click();
    await page
      .getByLabel('2. Model')
      .selectOption({ label: 'Iris tree (1 version, classification)' });
    await waitText(page.getByTestId('scenario'), /New data, existing model/);
    await page.getByRole('button', { name: 'Retrain' }).click();
    await waitText(result, /Saved as Iris tree v2/);
    const compare = page.getByTestId('score-compare');
    expect(await compare.innerText()).toMatch(/Metric\s+v1\s+v2\s+Change/);
    expect(await compare.innerText()).toMatch(/Accuracy/);

    // Existing data + existing model: nothing to train, the history instead.
    await page
      .getByLabel('1. Data version')
      .selectOption({ label: 'Iris v1 — 150 rows, classification' });
    await waitText(page.getByTestId('scenario'), /Existing data, existing model/);
    expect(await page.getByRole('button', { name: /Retrain|Train|Search/ }).count()).toBe(0);
    await waitText(
      page.getByTestId('latest-version'),
      /Latest: v2, trained on another data version/,
    );
    // A new model on the same data gets a name of its own, so it can be trained at once.
    await page.getByLabel('2. Model').selectOption({ label: 'A new model' });
    await waitText(page.getByTestId('scenario'), /Existing data, new model/);
    expect(await page.getByLabel('Name of the new model').inputValue()).toBe('Iris tree 2');
    expect(await page.getByRole('button', { name: 'Train', exact: true }).isDisabled()).toBe(false);
    await page
      .getByLabel('2. Model')
      .selectOption({ label: 'Iris tree (2 versions, classification)' });
    await waitText(page.getByTestId('scenario'), /Existing data, existing model/);
    // The history opens at the version trained on the chosen data (v1 on Iris v1), not the latest.
    await page.getByRole('link', { name: 'Show the history of Iris tree' }).click();
    const history = page.getByTestId('history');
    await waitText(history, /v2\s+Iris v2/);
    expect(await history.innerText()).toMatch(/v1\s+Iris v1/);
    await waitText(page.getByTestId('metadata'), /Iris v1, 120 rows trained on/);
    expect(page.url()).toMatch(/[?&]v=1\b/);

    // Reproduce v1: the same tree from the stored data, settings and seed.
    await history.getByRole('link', { name: 'v1', exact: true }).click();
    await waitText(page.getByTestId('metadata'), /Iris v1/);
    await page.getByRole('button', { name: 'Reproduce v1' }).click();
    await waitText(
      page.getByTestId('reproduce-result'),
      /Identical tree\.\s+30 of 30 hold-out predictions agree/,
    );

    // A note and tags on v1 show in the history.
    await page.getByLabel('Note', { exact: true }).fill('first try, default search');
    await page.getByLabel('Tags (comma-separated)').fill('demo, class 7b');
    await page.getByRole('button', { name: 'Save note' }).click();
    await waitText(history, /v1\s+demo, class 7b/);

    // The models list shows the hold-out beside the best CV score.
    await page.goto(`${s.baseUrl}/#/models`);
    const list = page.getByTestId('model-list');
    await waitText(
      list.getByTestId('best-holdout'),
      /^(0\.\d+|1)\s+v\d, on rows no choice looked at$/,
    );
    // Compare v1 (Iris v1) with v2 (Iris v2): their scores were measured on other rows.
    const ids = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((ok) => {
        const r = indexedDB.open('orpheus');
        r.onsuccess = () => ok(r.result);
      });
      const all = await new Promise<{ id: string; number: number }[]>((ok) => {
        const q = db.transaction('modelVersions').objectStore('modelVersions').getAll();
        q.onsuccess = () => ok(q.result as { id: string; number: number }[]);
      });
      db.close();
      return all.sort((a, b) => a.number - b.number).map((v) => v.id);
    });
    await page.goto(`${s.baseUrl}/#/compare?v=${ids.join(',')}`);
    await waitText(
      page.getByTestId('not-comparable'),
      /Iris tree v2 were measured on another data version/,
    );
    expect(await page.getByTestId('compare-table').innerText()).toMatch(
      /other data: not comparable/,
    );

    // The data version lists the models trained on it.
    await page.goto(`${s.baseUrl}/#/models`);
    await page.getByRole('link', { name: 'Iris tree' }).click();
    await page.getByTestId('history').getByRole('link', { name: 'v1', exact: true }).click();
    await waitText(page.getByTestId('metadata'), /Iris v1/);
    await page.getByRole('link', { name: 'Iris v1' }).click();
    await waitText(page.getByTestId('models-on-version'), /Iris tree v1/);
    expect(s.errors).toEqual([]);
  });

  it('warns when a version was made by another trainer, and re-verifies it', async () => {
    const { page } = s;
    await importIris(page);
    await page.getByRole('link', { name: 'Train a model on this version' }).click();
    await page.getByLabel('Model family').selectOption({ label: 'Decision tree' });
    await page.getByRole('button', { name: 'Search and train' }).click();
    await waitText(page.getByTestId('train-result'), /Saved as Iris tree v1/);
    expect(await page.getByTestId('env-warning').count()).toBe(0);

    // Pretend an older trainer made it, by editing the stored record behind the app's back.
    await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('orpheus');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const tx = db.transaction('modelVersions', 'readwrite');
      const store = tx.objectStore('modelVersions');
      const all = await new Promise<Array<{ libraryVersions: Record<string, string> }>>(
        (resolve) => {
          const r = store.getAll();
          r.onsuccess = () => resolve(r.result as never);
        },
      );
      for (const v of all)
        store.put({ ...v, libraryVersions: { ...v.libraryVersions, trainer: '0' } });
      await new Promise((resolve) => (tx.oncomplete = resolve));
      db.close();
    });
    await page.goto(`${s.baseUrl}/#/models`);
    await page.reload();
    await page.getByRole('link', { name: 'Iris tree' }).click();
    const warning = page.getByTestId('env-warning');
    await waitText(warning, /trainer\s+0 then, 1 now/);
    await warning.getByRole('button', { name: 'Re-verify' }).click();
    await waitText(page.getByTestId('verify-result'), /30 of 30 hold-out predictions agree/);
    expect(s.errors).toEqual([]);
  });

  it('says why it cannot train, and saves nothing when cancelled', async () => {
    const { page } = s;
    // A larger table, so that the search runs long enough to be cancelled.
    const lines = ['a,b,c,d,e,f,label'];
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 30_000; i++) {
      const row = Array.from({ length: 6 }, () => (next() * 100).toFixed(2));
      lines.push(`${row.join(',')},${next() < 0.5 ? 'yes' : 'no'}`);
    }
    await page.getByLabel('Choose a CSV, TSV or JSON file, or drop it here').setInputFiles({
      name: 'noise.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(lines.join('\n')),
    });
    await page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
    await page.getByRole('link', { name: 'Train a model on this version' }).click();
    await page.getByLabel('Model family').selectOption({ label: 'Decision tree' });

    // A name is required.
    await page.getByLabel('Name of the new model').fill('');
    await waitText(page.getByRole('alert'), /Give the new model a name/);
    expect(await page.getByRole('button', { name: 'Search and train' }).isDisabled()).toBe(true);
    await page.getByLabel('Name of the new model').fill('noise tree');
    // A budget the search cannot finish before the cancel, however fast its trials.
    await page.getByLabel('Trials', { exact: true }).fill('5000');

    await page.getByRole('button', { name: 'Search and train' }).click();
    await page.getByRole('progressbar').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText(/Cancelled; no model was saved\. The trials so far are kept/).waitFor();
    await page.goto(`${s.baseUrl}/#/models`);
    await page.getByText('No models yet.').waitFor();
    // The search's trials are kept in a paused study that can resume.
    await page.goto(`${s.baseUrl}/#/search`);
    await waitText(page.getByTestId('study-list'), /noise tree[\s\S]*paused/);
    expect(s.errors).toEqual([]);
  });
});
