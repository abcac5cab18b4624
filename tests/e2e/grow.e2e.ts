import type { Locator, Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, startAs, trainOnSample, waitText, type Session } from './browser';

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
  await startAs(s, 'Ada');
});
afterEach(async () => {
  await s.close();
});

/** Imports the iris sample and opens the Grow screen on it: the status line, at 0 splits. */
async function growOnIris(page: Page): Promise<Locator> {
  await page.getByRole('link', { name: 'Data', exact: true }).click();
  await page.getByRole('button', { name: 'Iris' }).click();
  await page.getByRole('button', { name: 'Save as a new dataset' }).click();
  await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
  await page.getByRole('link', { name: 'Grow a tree by hand' }).click();
  const status = page.getByTestId('grow-status');
  await waitText(status, /0\s+splits/);
  return status;
}

describe('growing a tree by hand', () => {
  it('grows three splits, takes another split at one node, saves it and compares it with a trained tree', async () => {
    const { page } = s;
    await trainOnSample(page, 'Iris');
    await page.getByRole('link', { name: 'Data', exact: true }).click();
    await page.getByTestId('dataset-list').getByRole('link', { name: /Iris/ }).first().click();
    await page.getByRole('link', { name: 'Grow a tree by hand' }).click();

    const status = page.getByTestId('grow-status');
    await waitText(status, /0\s+splits\s+\(0\s+chosen\s+by\s+hand\),\s+depth\s+0,\s+1\s+leaf\b/);
    const train = page.getByTestId('grow-train-score');
    const holdout = page.getByTestId('grow-holdout-score');
    const candidates = page.getByTestId('candidates');
    // The root's candidates: one per feature, best first.
    expect(await candidates.locator('tbody tr').count()).toBe(4);
    const rootScore = Number(await train.innerText());
    expect(rootScore).toBeLessThan(0.5);

    // Next split: a petal split at the root, highlighted as chosen, setosa alone on one side.
    const next = page.getByRole('button', { name: 'Next split' });
    await next.click();
    await waitText(status, /^\s*1\s+split\s+\(0\s+chosen\s+by\s+hand\),\s+depth\s+1,\s+2\s+leaves/);
    const chosen = candidates.locator('tbody tr.chosen');
    await waitText(chosen, /petal_(length|width)\s+<[\s\S]*chosen/);
    expect(await chosen.locator('td').first().innerText()).toBe('1');
    expect(await chosen.innerText()).toMatch(/setosa \d+\s+(versicolor|virginica)/);
    await expect.poll(async () => Number(await train.innerText())).toBeGreaterThan(rootScore);

    await next.click();
    await waitText(status, /^\s*2\s+splits/);
    await next.click();
    await waitText(status, /^\s*3\s+splits\s+\(0\s+chosen\s+by\s+hand\),\s+depth\s+\d/);
    const tree = page.getByTestId('tree');
    // Three splits: four leaves drawn.
    await expect.poll(() => tree.getByRole('img', { name: /^Leaf:/ }).count()).toBe(4);
    const grownTrain = Number(await train.innerText());

    // Back undoes the last split; Next makes it again.
    await page.getByRole('button', { name: 'Back' }).click();
    await waitText(status, /^\s*2\s+splits/);
    await next.click();
    await waitText(status, /^\s*3\s+splits/);

    // At the root, choose another split: sepal width, and a threshold of the list.
    await page.getByTestId('grow-node').getByLabel('Node').selectOption({ index: 0 });
    await page
      .getByTestId('grow-node')
      .getByLabel('Feature')
      .selectOption({ label: 'sepal_width' });
    const threshold = page.getByTestId('grow-node').getByLabel('Threshold');
    await threshold.waitFor();
    expect(await threshold.locator('option').count()).toBeGreaterThan(5);
    await page.getByRole('button', { name: 'Split with this' }).click();
    // The root's split replaced, and what grew under it gone: a tree of one split of one's own.
    await waitText(status, /^\s*1\s+split\s+\(1\s+chosen\s+by\s+hand\),\s+depth\s+1,\s+2\s+leaves/);
    await waitText(candidates.locator('tbody tr.chosen'), /sepal_width/);
    const ownTrain = Number(await train.innerText());
    expect(ownTrain).toBeLessThan(grownTrain);
    expect(Number(await holdout.innerText())).toBeGreaterThan(0);

    // Grow under it with Next, then save.
    await next.click();
    await waitText(status, /^\s*2\s+splits\s+\(1\s+chosen\s+by\s+hand\)/);
    await next.click();
    await waitText(status, /^\s*3\s+splits\s+\(1\s+chosen\s+by\s+hand\)/);
    // The boundary shows the tree so far.
    await waitText(
      page.getByTestId('boundary-summary'),
      /Computed\s+in\s+a\s+worker\s+in\s+\d+\s+ms/,
    );

    await page.getByLabel('Model name').fill('Iris by hand');
    await page.getByRole('button', { name: 'Save as a new model' }).click();
    const saved = page.getByTestId('grow-saved');
    await waitText(saved, /Saved\s+as\s+Iris\s+by\s+hand\s+v1/);

    // Compare with the trained tree: side by side, both trees, their scores.
    await page.getByRole('link', { name: 'Compare', exact: true }).last().click();
    await page.waitForURL(/#\/compare\?v=/);
    const table = page.getByTestId('compare-table');
    await waitText(table, /Iris\s+by\s+hand/);
    await waitText(table, /Iris\s+tree/);
    // The two trees drawn, what differs between them listed, both boundaries side by side.
    await expect.poll(() => page.getByTestId('compare-trees').getByTestId('tree').count()).toBe(2);
    await waitText(page.getByTestId('tree-changes'), /\S/);
    await expect
      .poll(() => page.getByTestId('compare-boundaries').getByTestId('boundary').count())
      .toBe(2);
    expect(s.errors).toEqual([]);

    // The version page says it was grown by hand and lists its splits, the own one marked.
    await page
      .getByRole('link', { name: /Iris by hand/ })
      .first()
      .click();
    const grown = page.getByTestId('grown-by-hand');
    await waitText(grown, /Grown\s+by\s+hand:\s+3\s+splits,\s+1\s+chosen\s+by\s+a\s+person/);
    await waitText(grown, /sepal_width\s+<[\s\S]*chosen\s+by\s+a\s+person/);
    // Reproduce replays the splits: the same tree.
    await page
      .getByRole('button', { name: /Reproduce/ })
      .first()
      .click();
    await waitText(page.getByTestId('reproduce-result'), /identical/i);

    // The Models list: no cross-validated score, the hold-out score of its version.
    await page.getByRole('link', { name: 'Models', exact: true }).click();
    const row = page.getByRole('row', { name: /Iris by hand/ });
    await waitText(row, /none:\s+grown\s+by\s+hand/);
    await waitText(
      row.getByTestId('best-holdout'),
      /\d\.\d+\s+v1,\s+on\s+rows\s+no\s+split\s+was\s+chosen\s+on/,
    );
    // Back on the Grow screen from the navigation: the tree is still there.
    await page.getByRole('link', { name: 'Grow a tree', exact: true }).click();
    await waitText(status, /^\s*3\s+splits\s+\(1\s+chosen\s+by\s+hand\)/);
    expect(s.errors).toEqual([]);
  });

  it('autoplays to a chosen depth, stops there, and is usable at a phone’s width', async () => {
    const { page } = s;
    await page.setViewportSize({ width: 360, height: 740 });
    const status = await growOnIris(page);
    await page.getByLabel('Stop at depth').fill('2');
    await page.getByLabel('Stop at depth').press('Tab');
    await page.getByRole('button', { name: 'Autoplay' }).click();
    await waitText(status, /depth\s+2,[\s\S]*Nothing\s+left\s+to\s+split\s+above\s+depth\s+2/);
    // Depth 2 of iris: the root and its impure side split, three leaves.
    expect(await status.innerText()).toMatch(/^2 splits \(0 chosen by hand\), depth 2, 3 leaves/);
    await page.getByRole('button', { name: 'Autoplay' }).waitFor();
    // The plane is over the root's two best features (the petals): all three species on it.
    await waitText(page.getByTestId('boundary-summary'), /setosa[\s\S]*versicolor[\s\S]*virginica/);
    // Start over: the root alone again, its four candidates, no error.
    await page.getByRole('button', { name: 'Start over' }).click();
    await waitText(status, /^\s*0\s+splits/);
    await expect.poll(() => page.getByTestId('candidates').locator('tbody tr').count()).toBe(4);
    await waitText(page.getByTestId('grow-node'), /120\s+training\s+rows\s+reach\s+this\s+node/);
    expect(await page.locator('main [role="alert"]').count()).toBe(0);
    // Nothing wider than the screen.
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(wide).toBeLessThanOrEqual(360);
    expect(s.errors).toEqual([]);
  });

  it('grows by keyboard alone: Next split, a node, another feature and threshold', async () => {
    const { page } = s;
    const status = await growOnIris(page);
    const next = page.getByRole('button', { name: 'Next split' });
    await next.focus();
    await page.keyboard.press('Enter');
    await waitText(status, /^\s*1\s+split\s+\(0/);
    await next.focus();
    await page.keyboard.press('Space');
    await waitText(status, /^\s*2\s+splits\s+\(0/);
    // The root, by the node list's keys; then a feature and a threshold of one's own.
    const node = page.getByTestId('grow-node').getByLabel('Node');
    await node.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => node.inputValue()).toBe('');
    const feature = page.getByTestId('grow-node').getByLabel('Feature');
    await feature.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => feature.inputValue()).toBe('0');
    const threshold = page.getByTestId('grow-node').getByLabel('Threshold');
    await threshold.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent?.trim()))
      .toBe('Split with this');
    await page.keyboard.press('Enter');
    await waitText(status, /^\s*1\s+split\s+\(1\s+chosen\s+by\s+hand\)/);
    // Not sepal length's best threshold (the list starts there; one key moved past it).
    await waitText(page.getByTestId('own-split'), /sepal_length\s+<[\s\S]*threshold of its own/);
    expect(s.errors).toEqual([]);
  });
});
