import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCREENS } from '../../src/app/routes';
import { SCREEN_INFO } from '../../src/ui/screens/plans';
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

    // What if the tree were one split deep: refitted, two classes left, both scores shown.
    const depth = card.getByTestId('what-if').getByRole('slider', { name: 'Max depth' });
    await depth.focus();
    await page.keyboard.press('Home');
    const scores = card.getByTestId('what-if-scores');
    await waitText(
      scores,
      /Refitted with Max depth = 1[\s\S]*on those rows, [\d.]+ on the hold-out/,
    );
    // A stump tells at most two species apart: one or two on the plane (one when its split is
    // on a held feature, as when the searched tree draws a subset of features at each split),
    // and at least the 50 rows of the third species wrong.
    await waitText(summary, /×: the (\d{3}|[5-9]\d) rows the model gets wrong/);
    const stump = await summary.innerText();
    expect(stump).toMatch(/Of this plane, \d+ % is predicted \w+(, \d+ % is predicted \w+)?\./);
    expect(stump).not.toMatch(/setosa[\s\S]*versicolor[\s\S]*virginica/);
    await card.getByRole('button', { name: 'Back to the saved version' }).click();
    await waitText(summary, /setosa[\s\S]*versicolor[\s\S]*virginica/);
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

describe('lessons as links', () => {
  it('composes a lesson, opens it in a fresh browser with only its screens, hands in, and the teacher restores it', async () => {
    const teacher = s.page;
    await teacher.goto(`${s.baseUrl}/#/settings`);
    const composer = teacher.getByTestId('lesson-composer');
    await composer.getByLabel('Title').fill('Trees');
    for (const screen of SCREENS.map((id) => SCREEN_INFO[id].title)) {
      const box = composer.getByRole('checkbox', { name: screen, exact: true });
      if (['Data', 'Train', 'Models'].includes(screen)) await box.check();
      else await box.uncheck();
    }
    await composer.getByRole('button', { name: 'Make the link' }).click();
    const link = await composer.getByTestId('lesson-link').inputValue();
    expect(link).toMatch(/#\/lesson\/[A-Za-z0-9_-]+$/);
    await composer.getByRole('img', { name: 'QR code of the lesson link' }).waitFor();

    // A student's fresh browser.
    const student = await openBrowser();
    try {
      await startAs(student, 'Sam');
      const page = student.page;
      // A damaged link changes nothing.
      await page.goto(link.slice(0, -12));
      await waitText(page.getByTestId('lesson-error'), /damaged|not a lesson link/);
      await page.goto(link);
      await waitText(page.getByTestId('lesson'), /Trees[\s\S]*Screens: Data, Train, Models/);
      await page.getByRole('button', { name: 'Start the lesson' }).click();
      await waitText(page.getByTestId('lesson-banner'), /Trees/);
      const nav = page.getByRole('navigation', { name: 'Screens' });
      expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Data', 'Models', 'Train']);
      await page.getByRole('link', { name: 'Train a model on this version' }).click();
      await page.getByLabel('Model family').selectOption({ label: 'Decision tree' });
      await page.getByRole('button', { name: 'Search and train' }).click();
      await waitText(page.getByTestId('train-result'), /Saved as .* v1/);
      const download = page.waitForEvent('download');
      await page.getByTestId('lesson-banner').getByRole('button', { name: 'Hand in' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe('Trees-Sam.orpheus');
      const bytes = readFileSync((await file.path())!);
      await waitText(page.getByTestId('lesson-banner'), /Handed in as Trees-Sam\.orpheus/);
      expect(student.errors).toEqual([]);

      // The teacher restores the hand-in and sees the student's model.
      await teacher.goto(`${s.baseUrl}/#/backup`);
      await teacher
        .getByLabel('Backup file (.orpheus)')
        .setInputFiles({ name: 'Trees-Sam.orpheus', mimeType: 'application/zip', buffer: bytes });
      await teacher.getByTestId('restore-preview').waitFor();
      await teacher
        .getByRole('button', { name: 'Add the new records (keep what is here)' })
        .click();
      await waitText(teacher.getByTestId('restore-result'), /records were added/);
      await teacher.goto(`${s.baseUrl}/#/models`);
      await waitText(teacher.locator('main'), /Iris/);
      expect(s.errors).toEqual([]);
    } finally {
      await student.close();
    }
  });

  it('carries fixed settings: the student trains them as they are, and cannot change them', async () => {
    const teacher = s.page;
    await teacher.goto(`${s.baseUrl}/#/settings`);
    const composer = teacher.getByTestId('lesson-composer');
    await composer.getByLabel('Title').fill('Shallow trees');
    await composer
      .getByLabel('Students train')
      .selectOption({ label: 'a decision tree with these settings' });
    await composer.getByLabel('Max depth').fill('2');
    await composer.getByLabel('Fixed: students cannot change them').check();
    await composer.getByRole('button', { name: 'Make the link' }).click();
    const link = await composer.getByTestId('lesson-link').inputValue();

    const student = await openBrowser();
    try {
      await startAs(student, 'Kim');
      const page = student.page;
      await page.goto(link);
      await waitText(
        page.getByTestId('lesson'),
        /Models:\s+a\s+decision\s+tree\s+with\s+Max\s+depth\s+2\s+\(fixed\)/,
      );
      await page.getByRole('button', { name: 'Start the lesson' }).click();
      await waitText(page.getByTestId('lesson-banner'), /Shallow trees/);
      await page.getByRole('link', { name: 'Train a model on this version' }).click();
      // Nothing is searched: the lesson's settings are trained, and they cannot be changed.
      await waitText(page.getByTestId('lesson-settings'), /The lesson fixes the settings below/);
      expect(await page.getByLabel('Model family').isDisabled()).toBe(true);
      const depth = page.getByLabel('Max depth');
      expect(await depth.inputValue()).toBe('2');
      expect(await depth.isDisabled()).toBe(true);
      await page.getByRole('button', { name: 'Train', exact: true }).click();
      await waitText(page.getByTestId('train-result'), /Saved as .* v1/);
      await page
        .getByTestId('train-result')
        .getByRole('link', { name: /^Open .* v1$/ })
        .click();
      await waitText(page.getByTestId('hyperparameters'), /Max depth\s+2/);
      await waitText(page.locator('main'), /depth 2,/);
      expect(student.errors).toEqual([]);
    } finally {
      await student.close();
    }
  });
});
