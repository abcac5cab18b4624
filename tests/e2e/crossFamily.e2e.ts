import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, startAs, trainScreenFor, waitText, type Session } from './browser';

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
  await startAs(s, 'Ada');
});
afterEach(async () => {
  await s.close();
});

const NOUNS =
  /Saved as Iris (tree|forest|extra trees|boosted trees|logistic regression|linear SVM|neighbours|naive Bayes) v1/;

describe('model selection across families', () => {
  it('new data + new model searches every family the data allows, names the model after the winner and shows the baseline', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Iris' }).click();
    await page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
    await page.getByRole('link', { name: 'Train a model on this version' }).click();
    await waitText(page.getByTestId('scenario'), /New data, new model/);
    // The default: the search chooses the family, among the ones this data allows.
    expect(await page.getByRole('combobox', { name: /^Model family/ }).inputValue()).toBe('any');
    const families = /allows \(([^)]*)\)/.exec(
      await page.getByTestId('auto-families').innerText(),
    )![1]!;
    expect(families).toMatch(/decision tree, random forest, extra trees, .*logistic regression/);
    expect(families).not.toMatch(/baseline|linear regression/);
    await waitText(page.getByTestId('auto-name'), /named after its data and the family/);
    await page.getByLabel('Trials', { exact: true }).fill('14');
    await page.getByRole('button', { name: 'Search and train' }).click();
    const result = page.getByTestId('train-result');
    await waitText(result, /Saved as Iris .+ v1/);
    expect(await result.innerText()).toMatch(NOUNS);
    await waitText(result.getByTestId('result-baseline'), /baseline .* scores Accuracy\s+0\.\d+/);
    const table = result.getByTestId('result-families');
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(2);

    // The study page: each family's share and best, and the plots of one family.
    await result.getByRole('link', { name: 'the search study' }).click();
    const fam = page.getByTestId('study-families');
    await fam.waitFor();
    const rows = await fam.getByTestId('family-table').locator('tbody tr').allInnerTexts();
    expect(rows.length).toBeGreaterThan(2);
    const trials = rows.reduce((n, r) => n + Number(r.split('\t')[1]), 0);
    expect(trials).toBe(14);
    await waitText(page.getByTestId('study-progress'), /14 of 14 trials/);
    const header = page.getByTestId('trials-table').locator('thead');
    expect(await header.innerText()).toMatch(/Model family/);
    const first = (
      await fam.getByTestId('family-table').locator('tbody tr td').first().innerText()
    ).trim();
    await fam
      .getByLabel('Show in the plots below')
      .selectOption({ label: `${first}: its settings and trials` });
    const own = await page.getByTestId('trials-table').locator('tbody tr').count();
    expect(own).toBe(Number(rows.find((r) => r.startsWith(first))!.split('\t')[1]));
    expect(await header.innerText()).not.toMatch(/Model family/);
    expect(s.errors).toEqual([]);
  });

  it('a study over the families a person ticks, stopped by a time limit', async () => {
    const { page } = s;
    await trainScreenFor(page, 'Palmer penguins');
    await page.goto(`${s.baseUrl}/#/search`);
    await page.getByLabel('Data version').selectOption({ index: 1 });
    await page.getByRole('combobox', { name: /^Model family/ }).selectOption('any');
    const ticks = page.locator('fieldset.families');
    // Missing values: the families that need it impute them in their pipeline.
    expect(await ticks.innerText()).toMatch(
      /Logistic regression\s+\(the missing values are imputed in its pipeline\)/,
    );
    for (const label of await ticks.locator('label').allInnerTexts()) {
      const keep = /^(Decision tree|Naive Bayes)/.test(label);
      await ticks.getByLabel(label.trim()).setChecked(keep);
    }
    const defaultsFirst = page.getByLabel(/Try each family's default settings first/);
    expect(await defaultsFirst.isChecked()).toBe(true);
    await page.getByLabel('Trials', { exact: true }).fill('5000');
    await page.getByLabel('Or stop after (minutes)').fill('0.1');
    await page.getByRole('button', { name: 'Start the study' }).click();
    await waitText(page.getByTestId('study-status'), /Complete\./);
    const text = await page.getByTestId('study-progress').innerText();
    // Stopped by its time: all of it used, never shown as less once complete.
    expect(text).toMatch(/\d+ trials in 6 s of 6 s/);
    const names = (
      await page.getByTestId('family-table').locator('tbody tr td:first-child').allInnerTexts()
    ).sort();
    expect(names).toEqual(['Decision tree', 'Naive Bayes']);
    // The first trials were each family's defaults (a depth limit at its range's deepest).
    await waitText(page.locator('.lead'), /trials 0–1 take each family's default settings/);
    const table = page.getByTestId('trials-table').locator('tbody tr');
    expect((await table.allInnerTexts()).slice(0, 2)).toEqual([
      expect.stringMatching(/^0\tcomplete\t[\d.]+\tDecision tree\t/),
      expect.stringMatching(/^1\tcomplete\t[\d.]+\tNaive Bayes\t/),
    ]);
    await page
      .getByTestId('study-families')
      .getByLabel('Show in the plots below')
      .selectOption({ label: 'Decision tree: its settings and trials' });
    // No depth limit (its range's deepest, 20), split from 2 rows, leaves of 1, no minimum
    // decrease, all features, Gini, no class weights.
    expect(await table.first().innerText()).toMatch(
      /^0\tcomplete\t[\d.]+\t20\t2\t1\t0\tall\tgini\tnone\t/,
    );
    // The best was saved as a model named after its family.
    await waitText(page.getByTestId('best-saved'), /Palmer penguins (tree|naive Bayes) v1/);
    expect(s.errors).toEqual([]);
  });
});
