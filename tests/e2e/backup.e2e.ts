import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpStore, openBrowser, startAs, waitText, type Session } from './browser';

const sessions: Session[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

describe('backup and restore', () => {
  it('restores the last backup into a browser with no data, every record identical; bad files change nothing', async () => {
    const a = await openBrowser();
    sessions.push(a);
    await startAs(a, 'Kim');
    await a.page.getByRole('button', { name: 'Palmer penguins' }).click();
    await a.page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await a.page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
    await a.page.getByRole('link', { name: 'Train a model on this version' }).click();
    await a.page.getByLabel('Model family').selectOption({ label: 'Decision tree' });
    await a.page.getByRole('button', { name: 'Search and train' }).click();
    await waitText(a.page.getByTestId('train-result'), /Saved as Palmer penguins tree v1/);

    await a.page.goto(`${a.baseUrl}/#/backup`);
    const download = a.page.waitForEvent('download');
    await a.page.getByRole('button', { name: 'Download a backup (.orpheus)' }).click();
    const file = await (await download).path();
    await waitText(a.page.getByTestId('last-backup'), /Last backup:/);
    const before = await dumpStore(a.page);
    const bytes = await readFile(file);

    // Another browser, data cleared: a fresh profile.
    const b = await openBrowser();
    sessions.push(b);
    await startAs(b, 'Kim');
    await b.page.goto(`${b.baseUrl}/#/backup`);
    const empty = await dumpStore(b.page);
    // A file that is not a backup: a clear message, nothing written.
    await b.page.getByLabel('Backup file (.orpheus)').setInputFiles({
      name: 'notes.orpheus',
      mimeType: 'text/plain',
      buffer: Buffer.from('<script>alert(1)</script>'),
    });
    await waitText(
      b.page.getByTestId('restore-error'),
      /not an Orpheus backup: it is not a zip file/,
    );
    expect(await dumpStore(b.page)).toBe(empty);

    await b.page
      .getByLabel('Backup file (.orpheus)')
      .setInputFiles({ name: 'backup.orpheus', mimeType: 'application/zip', buffer: bytes });
    const preview = b.page.getByTestId('restore-preview');
    await preview.waitFor();
    // New, already here, different here: everything is new in an empty browser.
    expect(await preview.getByRole('row', { name: /Model versions/ }).innerText()).toMatch(
      /Model versions\s+1\s+0\s+0/,
    );
    await b.page.getByLabel('I want to replace everything in this browser with the backup').check();
    await b.page.getByRole('button', { name: 'Replace everything' }).click();
    await waitText(b.page.getByTestId('restore-result'), /Everything was replaced/);
    expect(await dumpStore(b.page)).toBe(before);
    await b.page.goto(`${b.baseUrl}/#/models`);
    await b.page.getByRole('link', { name: 'Palmer penguins tree' }).waitFor();
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it('replacing everything in one tab stops the search running in another, which says why', async () => {
    const a = await openBrowser();
    sessions.push(a);
    await startAs(a, 'Kim');
    // The backup that will replace everything: this browser before any data.
    await a.page.goto(`${a.baseUrl}/#/backup`);
    const download = a.page.waitForEvent('download');
    await a.page.getByRole('button', { name: 'Download a backup (.orpheus)' }).click();
    const bytes = await readFile((await (await download).path())!);

    await a.page.goto(`${a.baseUrl}/#/data`);
    await a.page.getByRole('button', { name: 'Breast cancer (Wisconsin diagnostic)' }).click();
    await a.page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await waitText(a.page.getByTestId('import-result'), /Saved as/);
    await a.page.goto(`${a.baseUrl}/#/search`);
    await a.page.getByLabel('Data version').selectOption({ index: 1 });
    await a.page.getByLabel('Trials', { exact: true }).fill('2000');
    await a.page.getByRole('button', { name: 'Start the study' }).click();
    await waitText(a.page.getByTestId('study-progress'), /[1-9]\d* of 2000 trials/);

    const other = await a.context.newPage();
    await other.goto(`${a.baseUrl}/#/backup`);
    await other
      .getByLabel('Backup file (.orpheus)')
      .setInputFiles({ name: 'empty.orpheus', mimeType: 'application/zip', buffer: bytes });
    await other.getByTestId('restore-preview').waitFor();
    await other.getByLabel('I want to replace everything in this browser with the backup').check();
    await other.getByRole('button', { name: 'Replace everything' }).click();
    await waitText(other.getByTestId('restore-result'), /Everything was replaced/);

    await waitText(a.page.getByTestId('replaced-elsewhere'), /a search running here was stopped/);
    // Nothing of the search is written after the replace: the store is the backup's.
    await a.page.waitForTimeout(1500);
    const dump = JSON.parse(await dumpStore(a.page)) as Record<string, unknown[]>;
    expect(dump['trials']).toEqual([]);
    expect(dump['studies']).toEqual([]);
    expect(a.errors).toEqual([]);
  });

  it('two tabs see each other’s changes without a reload', async () => {
    const a = await openBrowser();
    sessions.push(a);
    await startAs(a, 'Kim');
    const other = await a.context.newPage();
    await other.goto(`${a.baseUrl}/#/data`);
    await other.getByRole('heading', { level: 1, name: 'Data' }).waitFor();
    await a.page.getByRole('button', { name: 'Iris' }).click();
    await a.page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await waitText(a.page.getByTestId('import-result'), /Saved as Iris v1/);
    await waitText(other.getByTestId('dataset-list'), /Iris/);
    expect(a.errors).toEqual([]);
  });

  it('a database upgrade from another tab asks the old tab to reload instead of blocking it', async () => {
    const a = await openBrowser();
    sessions.push(a);
    await startAs(a, 'Kim');
    const other = await a.context.newPage();
    await other.goto(`${a.baseUrl}/#/data`);
    await other.getByRole('heading', { level: 1, name: 'Data' }).waitFor();
    // A newer Orpheus opens the database with a higher version in the first tab's place.
    const upgraded = await a.page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const probe = indexedDB.open('orpheus');
          probe.onsuccess = () => {
            const next = probe.result.version + 1;
            probe.result.close();
            const r = indexedDB.open('orpheus', next);
            r.onsuccess = () => {
              r.result.close();
              resolve(next);
            };
            r.onblocked = () => reject(new Error('blocked by the old tab'));
            r.onerror = () => reject(r.error);
          };
        }),
    );
    expect(upgraded).toBeGreaterThan(1);
    await waitText(other.getByRole('alert'), /A newer Orpheus was opened in another tab/);
    await other.getByRole('button', { name: 'Reload' }).waitFor();
  });

  it('reminds to back up after the chosen number of new versions', async () => {
    const a = await openBrowser();
    sessions.push(a);
    await startAs(a, 'Kim');
    await a.page.goto(`${a.baseUrl}/#/backup`);
    await a.page.getByLabel(/Remind me after/).fill('30');
    await a.page.getByLabel(/new versions/).fill('1');
    await a.page.getByRole('button', { name: 'Save', exact: true }).click();
    await a.page.goto(`${a.baseUrl}/#/data`);
    await a.page.getByRole('button', { name: 'Iris' }).click();
    await a.page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await waitText(a.page.getByTestId('import-result'), /Saved as Iris v1/);
    await a.page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
    const reminder = a.page.getByTestId('backup-reminder');
    await waitText(reminder, /No backup yet: 1 version only in this browser/);
    await reminder.getByRole('link', { name: 'Back up now' }).click();
    const download = a.page.waitForEvent('download');
    await a.page.getByRole('button', { name: 'Download a backup (.orpheus)' }).click();
    await download;
    await a.page.goto(`${a.baseUrl}/#/data`);
    await a.page.getByRole('heading', { level: 1, name: 'Data' }).waitFor();
    expect(await a.page.getByTestId('backup-reminder').count()).toBe(0);
    expect(a.errors).toEqual([]);
  });
});
