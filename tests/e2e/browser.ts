import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { launchOptions } from '../../scripts/chromium.mjs';

export interface Session {
  context: BrowserContext;
  page: Page;
  baseUrl: string;
  /** Console errors and uncaught exceptions seen so far, on any page of the context. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Starts Debian's Chromium headless with a fresh user-data-dir (so no test sees another's
 * IndexedDB or service worker) and opens a page, collecting console errors.
 */
export async function openBrowser(viewport = { width: 1280, height: 800 }): Promise<Session> {
  const dir = await mkdtemp(join(tmpdir(), 'orpheus-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    ...launchOptions(),
    viewport,
  });
  const errors: string[] = [];
  const watch = (page: Page): void => {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
  };
  // A step that cannot happen fails in seconds, naming its locator, rather than at the test's time-out.
  context.setDefaultTimeout(15_000);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    context,
    page,
    baseUrl: inject('baseUrl'),
    errors,
    async close() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Opens the app and answers the first-start name question. */
export async function startAs(s: Session, name: string): Promise<void> {
  await s.page.goto(s.baseUrl);
  const dialog = s.page.getByRole('dialog', { name: 'Welcome to Orpheus' });
  await dialog.waitFor();
  await dialog.getByLabel('Your name').fill(name);
  await dialog.getByRole('button', { name: 'Start' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Waits until the element's text matches (work in a worker may take a while to show). */
export async function waitText(locator: Locator, pattern: RegExp): Promise<void> {
  try {
    await locator.filter({ hasText: pattern }).first().waitFor();
  } catch (e) {
    // Say what the element did show, so that a failure can be read without a rerun.
    const shown = await locator
      .allTextContents()
      .then((t) => t.map((x) => x.replace(/\s+/g, ' ').trim()).join(' | '))
      .catch(() => '(unreadable)');
    throw new Error(
      `${e instanceof Error ? e.message.split('\n')[0] : String(e)}\nwanted ${String(pattern)}, shown: ${shown.slice(0, 2000)}`,
      { cause: e },
    );
  }
}

/** Every store of the page's IndexedDB as one text (the events a restore adds left out). */
export function dumpStore(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('orpheus');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const out: Record<string, unknown[]> = {};
    for (const name of Array.from(db.objectStoreNames).sort()) {
      const all = await new Promise<unknown[]>((resolve) => {
        const r = db.transaction(name).objectStore(name).getAll();
        r.onsuccess = () => resolve(r.result);
      });
      out[name] = all.filter((x) => (x as { action?: string }).action !== 'restore');
    }
    db.close();
    return JSON.stringify(out, (_k, x: unknown) =>
      x instanceof Float64Array || x instanceof Int32Array
        ? Array.from(x, (n) => (Number.isNaN(n) ? 'NaN' : n))
        : x,
    );
  });
}

/**
 * The seed `trainOnSample` trains with. A searched tree, its hold-out rows and its figures
 * follow the seed (a tree that looks at two features a split may miss the petals at its root
 * for a few seeds in a hundred), so the tests that read them see the same tree every run.
 */
export const TRAIN_SEED = 1;

/**
 * Imports a bundled sample and trains a decision tree on it through the automatic search (v1)
 * with `seed`, from any screen; with `open`, ends on the new version's page.
 */
export async function trainOnSample(
  page: Page,
  sample: string,
  model?: string,
  open = false,
  seed = TRAIN_SEED,
): Promise<void> {
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await page.getByRole('button', { name: sample }).click();
  await page.getByRole('button', { name: 'Save as a new dataset' }).click();
  await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
  await page.getByRole('link', { name: 'Train a model on this version' }).click();
  await page.getByLabel('Model family').selectOption({ label: 'Decision tree' });
  if (model) await page.getByLabel('Name of the new model').fill(model);
  await page.getByLabel('Random seed').fill(String(seed));
  await page.getByRole('button', { name: 'Search and train' }).click();
  const result = page.getByTestId('train-result');
  await waitText(result, /Saved as .* v1/);
  if (open) await result.getByRole('link', { name: /^Open .* v1$/ }).click();
}

/**
 * On a dataset's "New version" tab: chooses a file of rows, waits for what it would change, and
 * appends it (its repeated rows too, with `keepRepeats`).
 */
export async function appendFromFile(
  page: Page,
  file: { name: string; mimeType: string; buffer: Buffer },
  keepRepeats = false,
): Promise<void> {
  await page.getByLabel('File of rows').setInputFiles(file);
  const preview = page.getByTestId('rows-preview');
  await preview.waitFor();
  if (keepRepeats) await preview.getByLabel(/Leave the [\d,]+ repeated rows out/).uncheck();
  await preview.getByRole('button', { name: /^Append [\d,]+ rows$/ }).click();
}

/**
 * Imports a bundled sample from the Import screen and opens the Train screen on its version,
 * with a decision tree as the new model's family.
 */
export async function trainScreenFor(page: Page, sample: string): Promise<void> {
  await page.getByRole('button', { name: sample }).click();
  await page.getByRole('button', { name: 'Save as a new dataset' }).click();
  await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
  await page.getByRole('link', { name: 'Train a model on this version' }).click();
  await page.getByLabel('Model family').selectOption({ label: 'Decision tree' });
}

/**
 * Imports a sample and saves a baseline through the automatic search (named `saved`), so that
 * its data counts as existing: then "A new model" of a family trains with the chosen settings.
 */
export async function sampleWithBaseline(page: Page, sample: string, saved: string): Promise<void> {
  await trainScreenFor(page, sample);
  await page.getByLabel('Model family').selectOption({ label: 'Baseline (guessing)' });
  await page.getByRole('button', { name: 'Search and train' }).click();
  await waitText(page.getByTestId('train-result'), new RegExp(`Saved as ${saved} v1`));
}

/** From any screen: the Train screen of a dataset's latest version, for a new model of a family. */
export async function newModelOf(
  page: Page,
  baseUrl: string,
  dataset: RegExp,
  family: string,
): Promise<void> {
  await page.goto(`${baseUrl}/#/data`);
  await page.getByTestId('dataset-list').getByRole('link', { name: dataset }).first().click();
  await page.getByRole('link', { name: 'Train a model on this version' }).click();
  await page.getByLabel('2. Model').selectOption({ label: 'A new model' });
  await page.getByLabel('Model family').selectOption({ label: family });
}

/** On Predict: fills the form with a setosa flower of Iris (5.1, 3.5, 1.4, 0.2) and predicts it. */
export async function predictSetosa(page: Page): Promise<void> {
  await page.getByLabel('sepal_length', { exact: true }).fill('5.1');
  await page.getByLabel('sepal_width', { exact: true }).fill('3.5');
  await page.getByLabel('petal_length', { exact: true }).fill('1.4');
  await page.getByLabel('petal_width', { exact: true }).fill('0.2');
  await page.getByRole('button', { name: 'Predict', exact: true }).click();
}
