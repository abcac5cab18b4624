import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, startAs, waitText, type Session } from './browser';

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
  await startAs(s, 'Mei');
});
afterEach(async () => {
  await s.close();
});

/** Imports a bundled sample and opens the new study form on its version. */
async function newStudyOn(page: Session['page'], sample: string): Promise<void> {
  await page.getByRole('button', { name: sample }).click();
  await page.getByRole('button', { name: 'Save as a new dataset' }).click();
  await waitText(page.getByTestId('import-result'), /Saved as/);
  await page.goto(`${s.baseUrl}/#/search`);
  await page.getByLabel('Data version').selectOption({ index: 1 });
}

function trialsDone(text: string): number {
  const m = /(\d+) of (\d+) trials/.exec(text);
  return m ? Number(m[1]) : -1;
}

describe('search', () => {
  it('runs a TPE study, cancels, survives a reload, resumes, finishes and saves the best as a model version', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Breast cancer (Wisconsin diagnostic)' }).click();
    await page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await waitText(page.getByTestId('import-result'), /Saved as/);

    await page.goto(`${s.baseUrl}/#/search`);
    await page.getByLabel('Data version').selectOption({ index: 1 });
    expect(await page.getByLabel('Study name').inputValue()).toMatch(/search$/);
    await page.getByLabel('Sampler').selectOption('tpe');
    await page.getByLabel('Trials', { exact: true }).fill('120');
    await page.getByRole('button', { name: 'Start the study' }).click();

    const progress = page.getByTestId('study-progress');
    await waitText(progress, /[1-9]\d* of 120 trials/);
    await page.getByTestId('history-plot').locator('circle').first().waitFor();
    const early = await page.getByTestId('history-plot').locator('circle').count();
    await waitText(progress, /(1[5-9]|[2-9]\d|1[01]\d) of 120 trials/);
    expect(await page.getByTestId('history-plot').locator('circle').count()).toBeGreaterThan(early);

    await page.getByRole('button', { name: 'Cancel running trials' }).click();
    await waitText(page.getByTestId('study-status'), /Paused/);
    const stopped = trialsDone(await progress.innerText());
    expect(stopped).toBeGreaterThan(0);
    expect(stopped).toBeLessThan(120);

    // The stored trials survive a reload; the study resumes from them.
    await page.reload();
    await waitText(page.getByTestId('study-status'), /Paused/);
    expect(trialsDone(await progress.innerText())).toBe(stopped);
    expect(await page.getByTestId('trials-table').locator('tbody tr').count()).toBe(stopped);
    await page.getByRole('button', { name: 'Resume' }).click();
    await waitText(page.getByTestId('study-status'), /Complete/);
    expect(await progress.innerText()).toMatch(/120 of 120 trials/);
    expect(await page.getByTestId('parallel-plot').locator('path').count()).toBeGreaterThan(100);

    // The best trial became a model version linked to the study.
    const saved = page.getByTestId('best-saved');
    await waitText(saved, /saved\s+as Breast cancer \(Wisconsin diagnostic\) search v1/);
    await saved.getByRole('link').click();
    await waitText(page.getByTestId('metadata'), /best trial \(#\d+\) of\s+its search study/);
    expect(s.errors).toEqual([]);
  });

  it('shows a grid’s size and refuses an absurd one', async () => {
    const { page } = s;
    await newStudyOn(page, 'Iris');
    await page.getByLabel('Sampler').selectOption('grid');
    await page.getByLabel('Values per numeric range').fill('12');
    await waitText(page.getByTestId('grid-size'), /points in the grid/);
    await page.getByRole('button', { name: 'Start the study' }).click();
    await waitText(page.getByRole('alert').first(), /more than 10,000/);
    expect(page.url()).toMatch(/#\/search$/);
    expect(s.errors).toEqual([]);
  });
});

describe('Hyperband', () => {
  it('runs brackets of successive halving, each trial promoted within its bracket, shown rung by rung', async () => {
    const { page } = s;
    await newStudyOn(page, 'Breast cancer (Wisconsin diagnostic)');
    await page.getByLabel('Trials', { exact: true }).fill('30');
    await page.getByLabel('Stop weak trials early').selectOption('hyperband');
    await page.getByRole('button', { name: 'Start the study' }).click();
    await waitText(page.getByTestId('study-status'), /Complete/);
    await waitText(page.locator('.lead'), /stopped early by Hyperband/);

    const brackets = page.getByTestId('rung-view').locator('figure');
    expect(await brackets.count()).toBe(3);
    const captions = await brackets.locator('figcaption').allInnerTexts();
    const sizes = captions.map((c) => Number(/: (\d+) trials?/.exec(c)![1]));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(30);
    expect(captions[0]).toMatch(/starting on 1\/9 of the rows/);
    expect(captions[2]).toMatch(/each on all rows/);
    // The first bracket stops some trials at ⅑ of the rows; every trial of the last is complete.
    const first = await brackets.nth(0).locator('tbody tr').allInnerTexts();
    const cells = first.map((r) => r.split('\t').map((c) => c.trim()));
    expect(cells.map((c) => c[0])).toEqual(['1/9 of the rows', '1/3 of the rows', 'all rows']);
    expect(Number(cells[0]![1])).toBe(sizes[0]);
    expect(Number(cells[0]![2])).toBeLessThan(sizes[0]!);
    const last = (await brackets.nth(2).locator('tbody tr').allInnerTexts())[0]!.split('\t');
    expect(last[2]!.trim()).toBe(`${sizes[2]} complete`);
    expect(await page.getByTestId('trials-table').locator('tbody tr').count()).toBe(30);
    expect(s.errors).toEqual([]);
  });

  it('BOHB proposes settings on Hyperband’s schedule', async () => {
    const { page } = s;
    await newStudyOn(page, 'Iris');
    await page.getByLabel('Sampler').selectOption('bohb');
    const pruning = page.getByLabel('Stop weak trials early');
    expect(await pruning.inputValue()).toBe('hyperband');
    expect(await pruning.isDisabled()).toBe(true);
    await page.getByLabel('Trials', { exact: true }).fill('24');
    await page.getByRole('button', { name: 'Start the study' }).click();
    await waitText(page.getByTestId('study-status'), /Complete/);
    await waitText(
      page.locator('.lead'),
      /BOHB \(Hyperband with density models\)[\s\S]*by Hyperband/,
    );
    expect(await page.getByTestId('rung-view').locator('figure').count()).toBe(3);
    expect(await page.getByTestId('trials-table').locator('tbody tr').count()).toBe(24);
    expect(s.errors).toEqual([]);
  });

  it('fold-wise stopping ends a trial that is worse than the best on its first folds', async () => {
    const { page } = s;
    await newStudyOn(page, 'Breast cancer (Wisconsin diagnostic)');
    await page.getByLabel('Sampler').selectOption('random');
    await page.getByLabel('Cross-validation folds').fill('10');
    await page.getByLabel('Trials', { exact: true }).fill('40');
    await page.getByLabel(/Stop a trial after a few folds/).check();
    await page.getByRole('button', { name: 'Start the study' }).click();
    await waitText(page.getByTestId('study-status'), /Complete/);
    const states = await page
      .getByTestId('trials-table')
      .locator('tbody tr td:nth-child(2)')
      .allInnerTexts();
    expect(states).toHaveLength(40);
    const stopped = states.filter((t) => /^pruned after \d folds?$/.test(t.trim()));
    expect(stopped.length).toBeGreaterThan(0);
    // Stopped after at least two folds (the test needs two) and before the tenth.
    for (const t of stopped) {
      const n = Number(/after (\d)/.exec(t)![1]);
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThan(10);
    }
    expect(states.filter((t) => t.trim() === 'complete').length).toBeGreaterThan(0);
    expect(s.errors).toEqual([]);
  });
});
