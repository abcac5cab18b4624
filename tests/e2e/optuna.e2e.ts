import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, startAs, waitText, type Session } from './browser';

/** Debian's python3 with python3-optuna and python3-sklearn (npm test installs them). */
const PYTHON = '/usr/bin/python3';
const hasOptuna = spawnSync(PYTHON, ['-c', 'import optuna, sklearn']).status === 0;

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
  await startAs(s, 'Mei');
});
afterEach(async () => {
  await s.close();
});

describe('a study continued with Optuna', () => {
  it.runIf(hasOptuna)(
    'downloads a study for Optuna, runs it there, imports the journal and trains the best here',
    async () => {
      const { page } = s;
      await page.getByRole('button', { name: 'Iris' }).click();
      await page.getByRole('button', { name: 'Save as a new dataset' }).click();
      await waitText(page.getByTestId('import-result'), /Saved as/);
      await page.goto(`${s.baseUrl}/#/search`);
      await page.getByLabel('Data version').selectOption({ index: 1 });
      await page.getByLabel('Sampler').selectOption('random');
      await page.getByLabel('Trials', { exact: true }).fill('6');
      await page.getByRole('button', { name: 'Start the study' }).click();
      await waitText(page.getByTestId('study-status'), /Complete/);
      const original = await page.getByRole('heading', { level: 1 }).innerText();

      // Continue elsewhere: the zip, run with Optuna here.
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download for Optuna (.zip)' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/-optuna\.zip$/);
      const dir = mkdtempSync(join(tmpdir(), 'orpheus-e2e-optuna-'));
      const zip = readFileSync((await file.path())!);
      for (const [path, bytes] of Object.entries(unzipSync(new Uint8Array(zip)))) {
        if (path.endsWith('/')) continue;
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), bytes);
      }
      const cwd = join(dir, 'orpheus-study');
      const ran = spawnSync(PYTHON, ['search.py', '--storage', 'journal.log', '--trials', '5'], {
        cwd,
        encoding: 'utf8',
      });
      expect(ran.status, ran.stderr).toBe(0);
      expect(ran.stderr).toMatch(/Added the browser's 6 trials/);

      // A damaged journal changes nothing.
      await page.goto(`${s.baseUrl}/#/search`);
      const panel = page.getByTestId('optuna-import');
      writeFileSync(join(dir, 'bad.log'), '{"op_code": 0, "worker_id": "w"}\nnot json\n');
      await panel.getByLabel('Journal file').setInputFiles(join(dir, 'bad.log'));
      await waitText(
        page.getByTestId('optuna-import-error'),
        /bad\.log cannot be imported: Line 1[\s\S]*Nothing was changed/,
      );
      expect(await page.getByTestId('study-list').locator('li').count()).toBe(1);

      // The journal comes back as a study linked to the original, with its data version chosen.
      await panel.getByLabel('Journal file').setInputFiles(join(cwd, 'journal.log'));
      await waitText(page.getByTestId('optuna-import-summary'), /Handed over by Orpheus/);
      await panel.getByRole('button', { name: 'Import the study' }).click();
      const origin = page.getByTestId('study-origin');
      await waitText(origin, /Imported from the Optuna journal\s+journal\.log/);
      expect(await origin.innerText()).toMatch(
        /1[01] trials from 2 workers, 6 of them run in the browser before the hand-off/,
      );
      expect(await origin.getByRole('link').innerText()).toBe(original);
      const table = page.getByTestId('trials-table');
      await waitText(table, /the browser/);
      expect(await table.innerText()).toMatch(/worker 1/);
      expect(await page.getByTestId('history-plot').locator('circle').count()).toBeGreaterThan(10);

      // Trained here with Orpheus, its score beside Optuna's.
      await page.getByRole('button', { name: 'Train the best here' }).click();
      await waitText(
        page.getByTestId('best-here'),
        /Orpheus\s+[\d.]+, Optuna recorded [\d.]+ \(a difference of [\d.]+\)/,
      );
      expect(s.errors).toEqual([]);
    },
    120_000,
  );

  it.runIf(!hasOptuna)('runs against Optuna (not installed here)', () => {
    expect.fail(`${PYTHON} cannot import optuna and sklearn: npm test installs them on Debian.`);
  });
});
