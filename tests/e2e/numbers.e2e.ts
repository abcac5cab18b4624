import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, startAs, trainOnSample, waitText, type Session } from './browser';

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
  await startAs(s, 'Ravi');
});
afterEach(async () => {
  await s.close();
});

/**
 * Decimal numbers in the page's visible text with more than six significant digits
 * ("0.008632221076331015", "53.2345678"): what people should never have to read. The
 * exact values belong in tooltips and exports, which are not visible text.
 */
async function longNumbers(page: Page): Promise<string[]> {
  const text = await page.locator('main').innerText();
  return (text.match(/\d[\d,]*\.\d+(e[-+]?\d+)?/g) ?? []).filter((n) => {
    const digits = n.replace(/e.*$/, '').replace(/[.,]/g, '').replace(/^0+/, '');
    return digits.length > 6;
  });
}

async function visit(page: Page, hash: string, ready: RegExp): Promise<string[]> {
  await page.goto(`${s.baseUrl}/${hash}`);
  await waitText(page.locator('main'), ready);
  // Work that starts by itself (audition scoring, profile) has a moment to draw its numbers.
  await page.waitForTimeout(800);
  return (await longNumbers(page)).map((n) => `${hash}: ${n}`);
}

describe('numbers as people read them', () => {
  it('no screen shows a number with more digits than a person can use', async () => {
    const { page } = s;
    // Regression: scores, settings and predictions are real numbers with long expansions.
    await trainOnSample(page, 'Diabetes', 'Diabetes tree', true);
    const version = page.url().replace(/^.*#/, '#');
    const found: string[] = [];
    found.push(...(await longNumbers(page)).map((n) => `version page: ${n}`));
    await visit(page, '#/data', /Diabetes/);
    await page
      .getByTestId('dataset-list')
      .getByRole('link', { name: /Diabetes/ })
      .first()
      .click();
    await page.getByTestId('profile').waitFor();
    found.push(...(await longNumbers(page)).map((n) => `dataset: ${n}`));
    found.push(...(await visit(page, '#/models', /Diabetes tree/)));
    found.push(...(await visit(page, '#/overview', /Diabetes tree/)));
    found.push(...(await visit(page, '#/audition', /Diabetes/)));
    found.push(...(await visit(page, '#/search', /Diabetes/)));
    const study = page.getByRole('link', { name: /Diabetes/ }).first();
    if ((await study.count()) > 0) {
      await study.click();
      await page.waitForTimeout(800);
      found.push(...(await longNumbers(page)).map((n) => `study: ${n}`));
    }
    const card = version.replace(/\?.*$/, '') + '/card?v=1';
    found.push(...(await visit(page, card, /Model card/)));
    found.push(...(await visit(page, '#/predict', /Predict/)));
    await page
      .getByRole('button', { name: /^Predict$/ })
      .first()
      .click()
      .catch(() => {});
    await page.waitForTimeout(800);
    found.push(...(await longNumbers(page)).map((n) => `prediction: ${n}`));
    found.push(...(await visit(page, '#/monitor', /Monitor/)));
    expect(found).toEqual([]);
    expect(s.errors).toEqual([]);
  });
});
