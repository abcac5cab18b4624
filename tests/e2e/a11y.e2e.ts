import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, startAs, trainOnSample, waitText, type Session } from './browser';

/** axe-core's browser build, injected into each page as it is audited. */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
  await startAs(s, 'Ada');
});
afterEach(async () => {
  await s.close();
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The serious and critical violations on the page as it is now, in words. */
async function audit(s: Session, where: string): Promise<string[]> {
  await s.page.addScriptTag({ content: AXE });
  const violations = await s.page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(o: object): Promise<{ violations: unknown[] }> } }
    ).axe;
    return (await axe.run({ resultTypes: ['violations'] })).violations;
  });
  return (violations as Violation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${where}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join('; ')}`,
    );
}

describe('accessibility', () => {
  it('has no serious or critical axe violation on any screen, in normal and presentation mode', async () => {
    const { page } = s;
    await trainOnSample(page, 'Iris', undefined, true);
    await waitText(page.getByTestId('boundary-summary'), /Computed in a worker/);
    const model = page.url();
    await page.getByRole('link', { name: 'Data', exact: true }).click();
    await page.getByTestId('dataset-list').getByRole('link').first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    const dataset = page.url();
    const grow = new URL(
      (await page.getByRole('link', { name: 'Grow a tree by hand' }).getAttribute('href'))!,
      page.url(),
    ).href;
    await page.goto(`${s.baseUrl}/#/search`);
    await page.getByTestId('study-list').getByRole('link').first().click();
    await page.getByTestId('study-progress').waitFor();
    const study = page.url();
    /** A tree of two splits grown on the screen, its candidates and boundary shown. */
    const growTwo = async (): Promise<void> => {
      const status = page.getByTestId('grow-status');
      await status.waitFor();
      const over = page.getByRole('button', { name: 'Start over' });
      if (await over.isEnabled()) await over.click();
      await waitText(status, /0\s+splits/);
      for (const n of [1, 2]) {
        await page.getByRole('button', { name: 'Next split' }).click();
        await waitText(status, new RegExp(`^\\s*${n}\\s+split`));
      }
      await waitText(page.getByTestId('boundary-summary'), /Computed in a worker/);
    };
    const screens: [string, string, (() => Promise<void>)?][] = [
      ['data', `${s.baseUrl}/#/data`],
      ['a dataset', dataset],
      ['train', `${s.baseUrl}/#/train`],
      ['grow a tree', grow, growTwo],
      ['models', `${s.baseUrl}/#/models`],
      ['a model version', model],
      ['search', `${s.baseUrl}/#/search`],
      ['a study', study],
      ['compare', `${s.baseUrl}/#/compare`],
      ['overview', `${s.baseUrl}/#/overview`],
      ['audition', `${s.baseUrl}/#/audition`],
      ['predict', `${s.baseUrl}/#/predict`],
      ['monitor', `${s.baseUrl}/#/monitor`],
      ['backup', `${s.baseUrl}/#/backup`],
      ['settings', `${s.baseUrl}/#/settings`],
    ];
    const problems: string[] = [];
    for (const mode of ['normal', 'presentation']) {
      if (mode === 'presentation') {
        await page.getByRole('button', { name: 'Presentation mode' }).click();
        expect(
          await page
            .getByRole('button', { name: 'Presentation mode' })
            .getAttribute('aria-pressed'),
        ).toBe('true');
      }
      for (const [name, url, prepare] of screens) {
        await page.goto(url);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await prepare?.();
        await page.waitForTimeout(300);
        problems.push(...(await audit(s, `${name} (${mode})`)));
      }
    }
    expect(problems).toEqual([]);
  });

  it('presentation mode hides the navigation, enlarges the type, and is remembered', async () => {
    const { page } = s;
    const nav = page.getByRole('navigation');
    await nav.first().waitFor();
    const size = () =>
      page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    const before = await size();
    await page.getByRole('button', { name: 'Presentation mode' }).click();
    expect(await nav.count()).toBe(0);
    expect(await size()).toBeGreaterThan(before);
    await page.reload();
    await page.getByRole('button', { name: 'Presentation mode', pressed: true }).waitFor();
    expect(await nav.count()).toBe(0);
    await page.getByRole('button', { name: 'Presentation mode' }).click();
    await nav.first().waitFor();
    expect(s.errors).toEqual([]);
  });
});
