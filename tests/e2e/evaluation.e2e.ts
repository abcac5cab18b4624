import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newModelOf, openBrowser, startAs, trainOnSample, waitText, type Session } from './browser';

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
  await startAs(s, 'Ines');
});
afterEach(async () => {
  await s.close();
});

/** The counts of a 2 × 2 confusion matrix, row by row. */
async function cells(matrix: ReturnType<Session['page']['getByTestId']>): Promise<number[]> {
  return (await matrix.locator('tbody td').allInnerTexts()).map((t) => Number(t.replace(/,/g, '')));
}

describe('evaluation', () => {
  it('draws ROC, precision-recall and reliability on the hold-out and cross-validated rows; a threshold and costs change the counts', async () => {
    const { page } = s;
    await trainOnSample(page, 'Breast cancer', 'Cancer tree', true);
    const card = page.getByTestId('curves');
    const summary = card.getByTestId('curve-summary');
    await waitText(summary, /Rows\s+the \d+ hold-out rows \(never trained on\)/);
    expect(await summary.innerText()).toMatch(
      /ROC AUC\s+0\.\d+[\s\S]*Average precision\s+0\.\d+[\s\S]*Brier score\s+0\.\d+[\s\S]*Log loss\s+\d/,
    );
    for (const name of ['ROC curve', 'Precision-recall curve', 'Reliability diagram'])
      await card.getByRole('img', { name }).waitFor();

    // The hold-out's classes, from the scores' confusion matrix.
    const scores = await cells(page.getByTestId('scores').getByTestId('confusion'));
    const negatives = scores[0]! + scores[1]!;
    const positives = scores[2]! + scores[3]!;

    // At the lowest threshold every row is called positive.
    const threshold = card.getByTestId('threshold');
    const slider = threshold.getByRole('slider');
    await slider.fill('0');
    await waitText(threshold.getByTestId('threshold-value'), /^0$/);
    expect(await cells(threshold.getByTestId('confusion'))).toEqual([0, negatives, 0, positives]);
    await waitText(
      threshold.getByTestId('threshold-counts'),
      new RegExp(`Recall\\s+1[\\s\\S]*Cost\\s+${negatives} `),
    );

    // A false negative ten times as costly: the cheapest threshold, and its cost by the counts.
    await threshold.getByLabel('Cost of a false negative').fill('10');
    await threshold.getByRole('button', { name: 'Use the cheapest threshold' }).click();
    const [tn, fp, fn, tp] = await cells(threshold.getByTestId('confusion'));
    expect(tn! + fp!).toBe(negatives);
    expect(fn! + tp!).toBe(positives);
    const counts = await threshold.getByTestId('threshold-counts').innerText();
    const cost = fp! + 10 * fn!;
    expect(counts).toMatch(
      new RegExp(
        `Cost\\s+${cost.toLocaleString('en')} \\(${fp} false positives, ${fn} false\\s+negatives`,
      ),
    );
    // No threshold costs less: not calling everything positive (cost = negatives) either.
    expect(cost).toBeLessThanOrEqual(negatives);
    expect(await threshold.getByTestId('cheapest').innerText()).toMatch(
      new RegExp(`cost ${cost.toLocaleString('en')}$`),
    );

    // Cross-validated: the version's settings refitted on its folds, with progress.
    await card.getByLabel(/cross-validated training rows/).check();
    await waitText(
      summary,
      /Rows\s+the \d+ training rows, each predicted by the fit on the other 4 folds/,
    );
    await card.getByRole('img', { name: 'ROC curve' }).waitFor();
    expect(s.errors).toEqual([]);
  });

  it('for three classes: one curve per class and the averages; a linear SVM ranks by decision values and says it has no probabilities', async () => {
    const { page } = s;
    await trainOnSample(page, 'Iris', 'Iris tree', true);
    const card = page.getByTestId('curves');
    await waitText(
      card.getByTestId('curve-summary'),
      /ROC AUC \(macro, one-vs-rest\)\s+0\.\d+[\s\S]*ROC AUC \(micro\)/,
    );
    expect(await card.getByTestId('auc-per-class').locator('tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/^setosa\s+1\s+1$/),
      expect.stringMatching(/^versicolor\s+/),
      expect.stringMatching(/^virginica\s+/),
    ]);
    await card.getByLabel('Class').selectOption({ label: 'virginica' });
    await card.getByRole('img', { name: 'Reliability diagram' }).waitFor();
    // Three classes: no threshold to set.
    expect(await card.getByTestId('threshold').count()).toBe(0);

    await page.getByRole('link', { name: 'Data', exact: true }).click();
    // The name suggested for the Iris tree follows the data chosen next.
    await page.getByRole('button', { name: 'Penguins' }).click();
    await page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
    await page.getByRole('link', { name: 'Train a model on this version' }).click();
    expect(await page.getByLabel('Name of the new model').inputValue()).toBe(
      'Palmer penguins tree',
    );
    await page.getByLabel('Model family').selectOption({ label: 'Baseline (guessing)' });
    await page.getByRole('button', { name: 'Search and train' }).click();
    await waitText(page.getByTestId('train-result'), /Saved as Palmer penguins baseline v1/);
    await newModelOf(page, s.baseUrl, /penguins/i, 'Linear SVM');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const result = page.getByTestId('train-result');
    await waitText(result, /Saved as Palmer penguins linear SVM v1/);
    await result.getByRole('link', { name: 'Open Palmer penguins linear SVM v1' }).click();
    const svm = page.getByTestId('curves');
    await waitText(svm.getByTestId('no-probabilities'), /decision values, not probabilities/);
    expect(await svm.getByTestId('curve-summary').innerText()).not.toMatch(/Brier/);
    expect(await svm.getByRole('img', { name: 'Reliability diagram' }).count()).toBe(0);
    await svm.getByRole('img', { name: 'ROC curve' }).waitFor();
    expect(s.errors).toEqual([]);
  });
});
