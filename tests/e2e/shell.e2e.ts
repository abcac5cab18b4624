import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dumpStore, openBrowser, startAs, waitText, type Session } from './browser';

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
});
afterEach(async () => {
  await s.close();
});

describe('the app shell', () => {
  it('loads without console errors; the name chosen on first start survives a reload', async () => {
    await s.page.goto(s.baseUrl);
    const dialog = s.page.getByRole('dialog', { name: 'Welcome to Orpheus' });
    await dialog.waitFor();
    // A default is offered; an empty name is refused with a message.
    expect(await dialog.getByLabel('Your name').inputValue()).toBe('Guest');
    await dialog.getByLabel('Your name').fill('   ');
    await dialog.getByRole('button', { name: 'Start' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Type a name' }).waitFor();

    await dialog.getByLabel('Your name').fill('Ada <script>alert(1)</script>');
    await dialog.getByRole('button', { name: 'Start' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const who = s.page.getByRole('banner').getByRole('link', { name: /Ada/ });
    expect(await who.innerText()).toContain('Ada <script>alert(1)</script>');

    await s.page.reload();
    await who.waitFor();
    expect(await s.page.getByRole('dialog').count()).toBe(0);
    expect(await who.innerText()).toContain('Ada <script>');
    expect(s.errors).toEqual([]);
  });

  it('navigates every screen by keyboard and URL', async () => {
    await startAs(s, 'Grace');
    const nav = s.page.getByRole('navigation', { name: 'Screens' });
    const links = nav.getByRole('link');
    expect(await links.allInnerTexts()).toEqual([
      'Data',
      'Models',
      'Train',
      'Grow a tree',
      'Search',
      'Compare',
      'Overview',
      'Audition',
      'Predict',
      'Monitor',
      'Backup',
      'Settings',
    ]);
    await nav.getByRole('link', { name: 'Backup' }).focus();
    await s.page.keyboard.press('Enter');
    await s.page.getByRole('heading', { level: 1, name: 'Backup' }).waitFor();
    expect(await s.page.getByRole('heading', { name: 'Make a backup' }).count()).toBe(1);
    expect(s.page.url()).toMatch(/#\/backup$/);
    expect(await nav.getByRole('link', { name: 'Backup' }).getAttribute('aria-current')).toBe(
      'page',
    );

    await s.page.goto(`${s.baseUrl}/#/backup`);
    await s.page.getByRole('heading', { level: 1, name: 'Backup' }).waitFor();
    expect(s.errors).toEqual([]);
  });

  it('shows storage use and the activity log in Settings', async () => {
    await startAs(s, 'Grace');
    await s.page.goto(`${s.baseUrl}/#/settings`);
    await s.page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await expect
      .poll(() => s.page.getByTestId('storage-quota').innerText())
      .toMatch(/\d+(\.\d)? (kB|MB|GB|TB)/);
    expect(await s.page.getByTestId('storage-persisted').innerText()).toMatch(/Yes|No/);

    const name = s.page.getByLabel('Name', { exact: true });
    await name.fill('Grace Hopper');
    await s.page.getByRole('button', { name: 'Save' }).click();
    await s.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const activity = s.page.getByTestId('activity');
    await expect
      .poll(() => activity.innerText())
      .toMatch(/Grace Hopper\s+update setting: set userName/);
    expect(
      await s.page
        .getByRole('banner')
        .getByRole('link', { name: /Grace Hopper/ })
        .count(),
    ).toBe(1);
  });

  it('the activity in Settings follows what was just done, without a reload', async () => {
    await startAs(s, 'Ada');
    await s.page.goto(`${s.baseUrl}/#/settings`);
    const activity = s.page.getByTestId('activity');
    await activity.waitFor();
    await s.page.goto(`${s.baseUrl}/#/data`);
    await s.page.getByRole('button', { name: 'Iris' }).click();
    await s.page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await waitText(s.page.getByTestId('import-result'), /Saved as Iris v1/);
    await s.page.goto(`${s.baseUrl}/#/settings`);
    await expect.poll(() => activity.innerText()).toMatch(/Ada\s+create dataset: Iris/);
  });

  it('deletes everything in this browser, only after a backup or an explicit no, confirmed by typing', async () => {
    await startAs(s, 'Eve');
    await s.page.getByRole('button', { name: 'Iris' }).click();
    await s.page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await waitText(s.page.getByTestId('import-result'), /Saved as Iris v1/);
    await s.page.goto(`${s.baseUrl}/#/settings`);
    const panel = s.page.getByTestId('delete-everything');
    const button = panel.getByRole('button', { name: 'Delete everything' });
    expect(await button.isDisabled()).toBe(true);
    await panel.getByLabel('I do not want a backup').check();
    await panel.getByLabel(/Type “delete everything” to confirm/).fill('delete');
    expect(await button.isDisabled()).toBe(true);
    await panel.getByLabel(/Type “delete everything” to confirm/).fill('delete everything');
    await button.click();
    // A fresh start: the first-start dialog, and no record of what was there.
    await s.page.getByRole('dialog', { name: 'Welcome to Orpheus' }).waitFor();
    const dump = JSON.parse(await dumpStore(s.page)) as Record<string, unknown[]>;
    expect(dump['datasets']).toEqual([]);
    expect(dump['events']).toEqual([]);
    expect(s.errors).toEqual([]);
  });

  it('is readable at 360 px: nothing wider than the screen', async () => {
    await s.close();
    s = await openBrowser({ width: 360, height: 740 });
    await startAs(s, 'Lin');
    for (const screen of ['data', 'settings']) {
      await s.page.goto(`${s.baseUrl}/#/${screen}`);
      await s.page.getByRole('heading', { level: 1 }).waitFor();
      const width = await s.page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(360);
    }
    await s.page.screenshot({ path: '.test-results/shell-360.png', fullPage: true });
  });

  it('shows a failure of work left to run in the background, instead of losing it', async () => {
    await startAs(s, 'Linus');
    await s.page.evaluate(() => {
      // What a screen does when it opens its records without waiting for them.
      void Promise.reject(new Error('The study could not be read: the store is busy.'));
    });
    await s.page.getByText('The study could not be read: the store is busy.').waitFor();
    expect(s.errors).toEqual([]);
  });
});
