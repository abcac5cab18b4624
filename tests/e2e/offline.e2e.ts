import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCREENS } from '../../src/app/routes';
import { openBrowser, startAs, type Session } from './browser';

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
});
afterEach(async () => {
  await s.close();
});

describe('offline', () => {
  it('the service worker takes control; offline, a reload shows the app and the store works', async () => {
    await startAs(s, 'Offline Olga');
    await s.page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, {
      timeout: 20_000,
    });
    const manifest = await s.page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
      return link ? ((await (await fetch(link.href)).json()) as Record<string, unknown>) : null;
    });
    expect(manifest).toMatchObject({ short_name: 'Orpheus', display: 'standalone' });
    expect(JSON.stringify(manifest)).toContain('.orpheus');
    expect(JSON.stringify(manifest)).toContain('maskable');

    await s.context.setOffline(true);
    await s.page.reload();
    await s.page
      .getByRole('banner')
      .getByRole('link', { name: /Offline Olga/ })
      .waitFor();

    // The store still writes and reads while offline.
    await s.page.goto(`${s.baseUrl}/#/settings`);
    await s.page.getByLabel('Name', { exact: true }).fill('Olga Offline');
    await s.page.getByRole('button', { name: 'Save' }).click();
    await s.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await s.page.reload();
    await s.page
      .getByRole('banner')
      .getByRole('link', { name: /Olga Offline/ })
      .waitFor();
    // The worker script is precached too.
    await s.page.getByRole('button', { name: 'Run worker check' }).waitFor();
    expect(s.errors).toEqual([]);
  });

  it('opens every screen offline: each is its own chunk, and every chunk is precached', async () => {
    await startAs(s, 'Offline Otto');
    await s.page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, {
      timeout: 20_000,
    });
    // The first load fetched only the shell: screens come as they are opened.
    const loaded = await s.page.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => e.name),
    );
    expect(loaded.some((u) => /BackupScreen-.*\.js$/.test(u))).toBe(false);
    await s.context.setOffline(true);
    await s.page.reload();
    await s.page
      .getByRole('banner')
      .getByRole('link', { name: /Offline Otto/ })
      .waitFor();
    for (const id of SCREENS) {
      await s.page.goto(`${s.baseUrl}/#/${id}`);
      const main = s.page.locator('main');
      await main.locator('h1, h2').first().waitFor();
      expect(await main.getByText('could not be opened').count(), id).toBe(0);
      expect(await main.getByText('Opening…').count(), id).toBe(0);
    }
    expect(s.errors).toEqual([]);
  });
});
