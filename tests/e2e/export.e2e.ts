import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, startAs, waitText, type Session } from './browser';

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
    await page.getByRole('button', { name: 'Palmer penguins' }).click();
    await page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
    await page.getByRole('link', { name: 'Train a model on this version' }).click();
    await page.getByRole('button', { name: 'Search and train' }).click();
    const result = page.getByTestId('train-result');
    await waitText(result, /Saved as Palmer penguins tree v1/);
    await result.getByRole('link', { name: /Open Palmer penguins tree v1/ }).click();

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
});
