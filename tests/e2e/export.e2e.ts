import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, startAs, trainOnSample, waitText, type Session } from './browser';

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
  await startAs(s, 'Noor');
});
afterEach(async () => {
  await s.close();
});

async function downloaded(click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const download = s.page.waitForEvent('download');
  await click();
  const d = await download;
  return { name: d.suggestedFilename(), bytes: await readFile(await d.path()) };
}

describe('taking a model elsewhere', () => {
  it('downloads ONNX, writes and downloads the model card, and exports the history for MLflow', async () => {
    const { page } = s;
    await trainOnSample(page, 'Palmer penguins', undefined, true);

    // ONNX: a model ONNX Runtime loads, one input per feature, categories as strings.
    const elsewhere = page.getByTestId('elsewhere');
    const onnx = await downloaded(() =>
      elsewhere.getByRole('button', { name: 'Download ONNX (.onnx)' }).click(),
    );
    expect(onnx.name).toBe('Palmer_penguins_tree-v1.onnx');
    const session = await ort.InferenceSession.create(onnx.bytes);
    expect(session.inputNames).toContain('island');
    expect(session.outputNames).toEqual(['label', 'probabilities']);

    // The card: write the intended use, read the sections, download it.
    await elsewhere.getByRole('link', { name: 'Model card' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Model card: Palmer penguins tree v1' })
      .waitFor();
    await page
      .getByLabel(/What is this model for/)
      .fill('Species from field measurements, for class.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    await waitText(page.getByTestId('card-data'), /Palmer penguins v1/);
    await waitText(page.getByTestId('card-evaluation'), /Accuracy/);
    await waitText(page.getByTestId('card-limitations'), /Missing values/);
    const md = await downloaded(() =>
      page.getByRole('button', { name: 'Download as Markdown' }).click(),
    );
    expect(md.name).toBe('Palmer_penguins_tree-v1.card.md');
    expect(md.bytes.toString()).toContain('Species from field measurements, for class.');
    const html = await downloaded(() =>
      page.getByRole('button', { name: 'Download as HTML' }).click(),
    );
    expect(html.bytes.toString()).toMatch(/^<!doctype html>/);

    // MLflow: the history as a file store.
    await page.goto(`${s.baseUrl}/#/backup`);
    const zip = await downloaded(() =>
      page.getByRole('button', { name: 'Download for MLflow (.zip)' }).click(),
    );
    const files = unzipSync(new Uint8Array(zip.bytes));
    expect(strFromU8(files['mlruns/1/meta.yaml']!)).toMatch(/name: Palmer penguins tree/);
    const runs = Object.keys(files).filter((n) => n.endsWith('/artifacts/model/MLmodel'));
    expect(runs).toHaveLength(1);
    // The search that chose v1's settings: its trials are child runs.
    expect(
      Object.keys(files).filter((n) => n.endsWith('/tags/mlflow.parentRunId')).length,
    ).toBeGreaterThan(5);
    expect(s.errors).toEqual([]);
  });

  it('shares a version as a link that another browser opens, predicts with and adds', async () => {
    const { page } = s;
    await trainOnSample(page, 'Iris', undefined, true);
    await page.getByRole('button', { name: 'Make a share link' }).click();
    const link = await page.getByTestId('share-link').inputValue();
    expect(link).toMatch(/#\/shared\/[A-Za-z0-9_-]+$/);

    // Another browser, nothing stored: the link shows the model.
    const other = await openBrowser();
    try {
      await startAs(other, 'Lee');
      await other.page.goto(link);
      const shared = other.page.getByTestId('shared-model');
      await waitText(shared, /Iris tree v1/);
      await waitText(shared, /Made by Noor/);
      await other.page.getByLabel('petal_length', { exact: true }).fill('1.4');
      await other.page.getByLabel('petal_width', { exact: true }).fill('0.2');
      await other.page.getByLabel('sepal_length', { exact: true }).fill('5.1');
      await other.page.getByLabel('sepal_width', { exact: true }).fill('3.5');
      await other.page.getByRole('button', { name: 'Predict', exact: true }).click();
      await waitText(other.page.getByTestId('shared-prediction'), /species:\s+setosa/);
      await shared.getByRole('button', { name: 'Add to my Orpheus' }).click();
      await waitText(other.page.getByTestId('shared-imported'), /Added: Iris tree v1/);
      await other.page.getByTestId('shared-imported').getByRole('link').click();
      await waitText(other.page.getByTestId('metadata'), /Made by\s+Noor/);
      await waitText(other.page.getByTestId('metadata'), /data not in this browser/);

      // A damaged link, and one too long: a message, nothing added.
      const cut = link.slice(0, link.length - 40);
      await other.page.goto(cut);
      await waitText(other.page.getByTestId('shared-error'), /damaged|cut/);
      await other.page.goto(`${s.baseUrl}/#/shared/${'A'.repeat(61_000)}`);
      await waitText(other.page.getByTestId('shared-error'), /too long/);
      await other.page.goto(`${s.baseUrl}/#/models`);
      expect(await other.page.getByRole('link', { name: /^Iris tree/ }).count()).toBe(1);
      // Screens that list versions cope with one whose data stayed elsewhere.
      for (const screen of ['overview', 'predict', 'monitor', 'compare']) {
        await other.page.goto(`${s.baseUrl}/#/${screen}`);
        await other.page.getByRole('heading', { level: 1 }).first().waitFor();
      }
      await other.page.waitForTimeout(500);
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
    }
    expect(s.errors).toEqual([]);
  });
});
