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
  await locator.filter({ hasText: pattern }).first().waitFor();
}
