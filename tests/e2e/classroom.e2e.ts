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

/** How many distinct colours the boundary's canvas has (a plane of one class has one or a few). */
function canvasColours(s: Session): Promise<number> {
  return s.page.getByTestId('boundary-canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4) seen.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
    return seen.size;
  });
}

describe('the decision boundary', () => {
  it('draws a tree’s boundary over two features, with the rows, and redraws as a slider moves', async () => {
    const { page } = s;
    await trainOnSample(page, 'Iris', undefined, true);
    const card = page.getByTestId('boundary');
    const summary = card.getByTestId('boundary-summary');
    await waitText(summary, /Computed in a worker in \d+ ms/);
    // Sepal length across, sepal width up: the petals held at their medians.
    expect(await card.getByLabel('Across').inputValue()).toBe('0');
    expect(await card.getByLabel('Up').inputValue()).toBe('1');
    expect(await canvasColours(s)).toBeGreaterThanOrEqual(1);
    expect(await card.locator('svg circle').count()).toBe(150);
    expect(await summary.innerText()).toMatch(/Of this plane, \d+ % is predicted/);

    // Both petals at their smallest: a setosa's petals, so the whole plane is setosa.
    for (const name of ['petal_length', 'petal_width']) {
      await card.getByRole('slider', { name }).focus();
      await page.keyboard.press('Home');
    }
    await waitText(summary, /Of this plane, 100 % is predicted setosa\./);

    // Petals across and up: the three species apart, each over its own rows.
    await card.getByLabel('Across').selectOption({ label: 'petal_length' });
    await card.getByLabel('Up').selectOption({ label: 'petal_width' });
    await waitText(summary, /setosa[\s\S]*versicolor[\s\S]*virginica/);
    expect(await canvasColours(s)).toBeGreaterThanOrEqual(3);
    expect(s.errors).toEqual([]);
  });
});

describe('paint data', () => {
  it('paints two classes by mouse and keyboard, undoes, saves them as a dataset and trains a tree on it', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Data', exact: true }).click();
    const panel = page.getByTestId('paint');
    const canvas = panel.getByTestId('paint-canvas');
    const count = panel.getByTestId('paint-count');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    // Class a on the left, dragged; class b on the right.
    await panel.getByLabel('Points per dab').fill('10');
    const drag = async (x0: number, x1: number) => {
      await page.mouse.move(box.x + box.width * x0, box.y + box.height * 0.3);
      await page.mouse.down();
      for (let i = 1; i <= 8; i++)
        await page.mouse.move(
          box.x + box.width * (x0 + ((x1 - x0) * i) / 8),
          box.y + box.height * (0.3 + 0.05 * i),
        );
      await page.mouse.up();
    };
    await drag(0.1, 0.35);
    await waitText(count, /^\d{2,} points/);
    await panel.getByLabel('Paint class b').check();
    await drag(0.65, 0.9);
    const painted = Number(/^(\d+)/.exec(await count.innerText())![1]);
    expect(painted).toBeGreaterThanOrEqual(40);

    // The keyboard paints where the cross is; Undo takes the dab back.
    await canvas.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await waitText(count, new RegExp(`^${painted + 10} points`));
    await panel.getByRole('button', { name: 'Undo' }).click();
    await waitText(count, new RegExp(`^${painted} points`));

    await panel.getByLabel('Dataset name').fill('Two clouds');
    await panel.getByRole('button', { name: 'Save the painting as a dataset' }).click();
    const result = panel.getByTestId('paint-result');
    await waitText(result, new RegExp(`Saved as Two clouds v1 \\(${painted} rows\\)`));
    await result.getByRole('link', { name: 'Open it' }).click();
    await waitText(page.locator('main'), /painted/);

    await page.getByRole('link', { name: 'Train a model on this version' }).click();
    await page.getByLabel('Model family').selectOption({ label: 'Decision tree' });
    await page.getByRole('button', { name: 'Search and train' }).click();
    const train = page.getByTestId('train-result');
    await waitText(train, /Saved as .* v1/);
    await train.getByRole('link', { name: /^Open .* v1$/ }).click();
    const summary = page.getByTestId('boundary-summary');
    await waitText(summary, /is predicted a[\s\S]*is predicted b/);
    expect(await page.getByTestId('boundary').locator('svg circle').count()).toBe(painted);
    expect(s.errors).toEqual([]);
  });
});
