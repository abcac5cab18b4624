import type { Locator } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, startAs, trainOnSample, waitText, type Session } from './browser';

let s: Session;
beforeEach(async () => {
  s = await openBrowser({ width: 1280, height: 800 });
  await startAs(s, 'Ana');
});
afterEach(async () => {
  await s.close();
});

type Box = { x: number; y: number; width: number; height: number };
async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  if (!b) throw new Error('not visible');
  return b;
}
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('a laptop screen (1280 px)', () => {
  it('keeps audition actions, every parallel-coordinate axis and added overview columns in view', async () => {
    const { page } = s;
    await trainOnSample(page, 'Palmer penguins', 'Penguin tree');

    // Parallel coordinates: every axis name is inside the plot and none covers another.
    await page.goto(`${s.baseUrl}/#/search`);
    await page
      .getByRole('link', { name: /Penguin tree/ })
      .first()
      .click();
    const plot = page.getByTestId('parallel-plot');
    await plot.waitFor();
    await plot.scrollIntoViewIfNeeded();
    const plotBox = await box(plot);
    const card = await box(plot.locator('xpath=..'));
    expect(plotBox.x + plotBox.width).toBeLessThanOrEqual(card.x + card.width + 1);
    const names = plot.locator('text.name');
    const n = await names.count();
    expect(n).toBeGreaterThan(3);
    const boxes: Box[] = [];
    for (let i = 0; i < n; i++) boxes.push(await box(names.nth(i)));
    for (const b of boxes) {
      expect(b.x).toBeGreaterThanOrEqual(plotBox.x - 1);
      expect(b.x + b.width).toBeLessThanOrEqual(plotBox.x + plotBox.width + 1);
    }
    for (let i = 1; i < n; i++) expect(overlap(boxes[i - 1]!, boxes[i]!)).toBe(false);

    // Audition: the actions of each version are on screen without scrolling sideways.
    await page.goto(`${s.baseUrl}/#/audition`);
    await page.getByLabel('Data version').selectOption({ index: 1 });
    const table = page.getByTestId('audition');
    await waitText(table.getByTestId('audition-score').first(), /rows it never trained on/);
    const train = await box(table.getByRole('link', { name: 'Train on this data' }).first());
    expect(train.x + train.width).toBeLessThanOrEqual(1280);

    // Overview: two added columns; every header reads whole and the table fits the screen.
    await page.goto(`${s.baseUrl}/#/overview`);
    await page.getByTestId('overview').waitFor();
    await page.getByLabel('Add a column').selectOption('tags');
    await page.getByLabel('Add a column').selectOption({ index: 1 });
    const headers = page.getByTestId('overview').locator('th button');
    await expect.poll(() => headers.count()).toBe(9);
    const cut = await headers.evaluateAll((bs) =>
      bs.filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => b.textContent),
    );
    expect(cut).toEqual([]);
    const fits = await page
      .getByTestId('overview')
      .evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    expect(fits).toBe(true);
    expect(s.errors).toEqual([]);
  });
});
