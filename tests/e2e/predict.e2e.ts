import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendFromFile,
  openBrowser,
  predictSetosa,
  startAs,
  waitText,
  type Session,
} from './browser';

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
  await startAs(s, 'Lee');
});
afterEach(async () => {
  await s.close();
});

const csv = (text: string, name = 'batch.csv') => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from(text),
});

describe('predictions and monitoring', () => {
  it('predicts a row with its path, runs a batch, logs, reproduces, takes labels, alerts and proposes a retrain', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Iris' }).click();
    await page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
    await page.getByRole('link', { name: 'Train a model on this version' }).click();
    await page.getByLabel('Model family').selectOption({ label: 'Decision tree' });
    await page.getByRole('button', { name: 'Search and train' }).click();
    await waitText(page.getByTestId('train-result'), /Saved as Iris tree v1/);

    // One row from the form: the prediction, its probabilities and its path.
    await page.goto(`${s.baseUrl}/#/predict`);
    await predictSetosa(page);
    const result = page.getByTestId('prediction');
    await waitText(result, /species:\s+setosa/);
    expect(await page.getByTestId('path').innerText()).toMatch(
      /(sepal|petal)_(length|width) < [\d.]+\? (yes|no)/,
    );
    expect(await page.getByTestId('tree').locator('.node.lit').count()).toBeGreaterThan(1);
    // A word in a numeric field is reported, not guessed.
    await page.getByLabel('petal_length', { exact: true }).fill('long');
    await page.getByRole('button', { name: 'Predict', exact: true }).click();
    await waitText(
      page.getByTestId('row-problems'),
      /"petal_length" should be a number, not "long"/,
    );

    // A batch with one bad row.
    await page
      .getByLabel(/CSV with the model’s columns/)
      .setInputFiles(
        csv(
          [
            'id,sepal_length,sepal_width,petal_length,petal_width',
            'a1,5.0,3.3,1.4,0.2',
            'a2,6.7,3.1,4.4,1.4',
            'a3,7.7,3.0,6.1,2.3',
            'a4,6.0,2.9,,1.5',
            'a5,5.8,2.7,5.1,oops',
          ].join('\n'),
        ),
      );
    await waitText(
      page.getByTestId('batch-result'),
      /4 of 5 rows predicted and logged as one batch/,
    );
    await page.getByText(/Row 5: "petal_width" should be a number/).waitFor();

    // The log has both; one reproduces exactly.
    await page.getByRole('tab', { name: 'Prediction log' }).click();
    await waitText(page.getByTestId('log-count'), /5 of 5 predictions/);
    await page
      .getByTestId('prediction-log')
      .getByRole('button', { name: 'Reproduce' })
      .first()
      .click();
    await waitText(
      page.getByTestId('reproduce-check'),
      /Identical: \w+, with the same probabilities/,
    );

    // True labels for the batch, all of them wrong: the monitor raises an alert.
    await page
      .getByLabel(/Attach true labels from a CSV/)
      .setInputFiles(
        csv('row_id,label\na1,virginica\na2,setosa\na3,setosa\na4,setosa\n', 'labels.csv'),
      );
    await waitText(page.getByTestId('labels-result'), /4 predictions got their true label/);
    await page.goto(`${s.baseUrl}/#/monitor`);
    await page.getByTestId('monitor-chart').waitFor();
    await page.getByLabel('Alert threshold').fill('0.8');
    await page.getByRole('button', { name: 'Save threshold' }).click();
    await waitText(
      page.getByTestId('monitor-alert'),
      /Accuracy\s+of the champion is 0\s+on the latest labelled\s+batch,\s+below\s+the threshold\s+0\.8/,
    );
    await waitText(page.getByTestId('triggers'), /below the threshold 0.8/);
    expect(await page.getByTestId('drift').locator('tbody tr').count()).toBe(4);

    // Scoring the champion on its own data adds a good batch: the alert goes.
    await page
      .getByLabel('Score the champion on a labelled data version')
      .selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Score', exact: true }).click();
    // Only rows it never trained on (its hold-out) are scored, and the page says so.
    await waitText(
      page.getByTestId('score-result'),
      /Logged \d+ labelled rows the champion never trained on; \d+ it trained on were left out/,
    );
    await page.getByTestId('monitor-alert').waitFor({ state: 'detached' });
    expect(s.errors).toEqual([]);
  });

  it('a trigger fires after the data grows; the retrained version becomes the challenger, is compared and promoted', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Iris' }).click();
    await page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
    await page.getByRole('link', { name: 'Train a model on this version' }).click();
    await page.getByLabel('Model family').selectOption({ label: 'Decision tree' });
    await page.getByRole('button', { name: 'Search and train' }).click();
    await waitText(page.getByTestId('train-result'), /Saved as Iris tree v1/);
    await page
      .getByTestId('promote')
      .getByRole('button', { name: 'Promote v1 to champion' })
      .click();
    await waitText(page.getByTestId('promote'), /v1 is the champion/);
    // A prediction, so the monitor has the champion's inputs.
    await page.goto(`${s.baseUrl}/#/predict`);
    for (const [k, x] of [
      ['sepal_length', '5'],
      ['sepal_width', '3'],
      ['petal_length', '4'],
      ['petal_width', '1.2'],
    ])
      await page.getByLabel(k!, { exact: true }).fill(x!);
    await page.getByRole('button', { name: 'Predict', exact: true }).click();
    await waitText(page.getByTestId('prediction'), /species:/);

    // 40 more rows: the data grew by 27 %.
    const iris = readFileSync('public/samples/iris.csv', 'utf8').trim().split('\n');
    const more = [iris[0], ...iris.slice(1, 41)].join('\n');
    await page.goto(`${s.baseUrl}/#/data`);
    await page.getByRole('link', { name: /Iris/ }).first().click();
    await page.getByRole('tab', { name: 'New version' }).click();
    // Rows v1 already has, appended on purpose: monitoring sees the same rows again.
    await appendFromFile(page, csv(more, 'more.csv'), true);
    await waitText(page.getByTestId('version-result'), /Saved as Iris v2/);

    await page.goto(`${s.baseUrl}/#/monitor`);
    const triggers = page.getByTestId('triggers');
    await waitText(triggers, /The data grew by 27 % \(150 → 190 rows\)/);
    await triggers.getByRole('link', { name: 'Retrain on newer data' }).click();
    await page
      .getByLabel('1. Data version')
      .selectOption({ label: 'Iris v2 — 190 rows, classification' });
    await waitText(page.getByTestId('scenario'), /New data, existing model/);
    await page.getByRole('button', { name: 'Retrain' }).click();
    await waitText(page.getByTestId('train-result'), /Saved as Iris tree v2/);
    const promote = page.getByTestId('promote');
    await promote.getByRole('button', { name: 'Make v2 the challenger' }).click();
    await waitText(promote, /v2 is the challenger/);
    expect(
      await promote
        .getByRole('link', { name: 'Compare v2 with the champion' })
        .getAttribute('href'),
    ).toMatch(/#\/compare\?v=/);
    const gate = page.getByTestId('gate');
    await waitText(gate, /The promotion gate is (not )?passed/);
    if (/not passed/.test(await gate.innerText())) {
      await promote.getByLabel(/To promote anyway, say why/).fill('more data, same settings');
      await promote.getByRole('button', { name: 'Promote anyway' }).click();
    } else await promote.getByRole('button', { name: 'Promote v2 to champion' }).click();
    await waitText(promote, /v2 is the champion/);
    await page.goto(`${s.baseUrl}/#/models`);
    await page.getByRole('link', { name: 'Iris tree' }).click();
    await waitText(page.getByTestId('aliases'), /champion\s+→\s+v2/);
    await waitText(page.getByTestId('alias-moves'), /challenger → v2/);
    expect(s.errors).toEqual([]);
  });
});
