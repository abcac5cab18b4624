import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  dumpStore,
  newModelOf,
  openBrowser,
  sampleWithBaseline,
  startAs,
  trainScreenFor,
  waitText,
  type Session,
} from './browser';

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
  await startAs(s, 'Mei');
});
afterEach(async () => {
  await s.close();
});

describe('model families beyond the tree', () => {
  it('searches a random forest (its trees, out-of-bag score, votes), trains a baseline and boosted trees with their loss curve beside it', async () => {
    const { page } = s;
    await trainScreenFor(page, 'Iris');
    await waitText(page.getByTestId('scenario'), /New data, new model/);
    expect(await page.getByLabel('Name of the new model').inputValue()).toBe('Iris tree');
    await page.getByLabel('Model family').selectOption({ label: 'Random forest' });
    // The suggested name follows the family.
    expect(await page.getByLabel('Name of the new model').inputValue()).toBe('Iris forest');
    expect(await page.getByTestId('scenario').locator('xpath=..').innerText()).toMatch(
      /random forest’s settings \(trees, max depth, min rows per leaf, features tried per split, split quality, class weights; the others keep their defaults\)/,
    );
    // A fixed seed: the trees shown are always the same ones.
    await page.getByLabel('Random seed').fill('7');
    await page.getByRole('button', { name: 'Search and train' }).click();
    const result = page.getByTestId('train-result');
    await waitText(result, /Saved as Iris forest v1/);
    expect(await result.innerText()).toMatch(/random forest \(\d+ trees, [\d,]+ nodes/);
    await waitText(result.getByTestId('result-tree'), /petal_(length|width) < /);
    // The study shows what guessing scores on its own folds, and that the forest beats it.
    const versionHref = await result
      .getByRole('link', { name: 'Open Iris forest v1' })
      .getAttribute('href');
    await result.getByRole('link', { name: 'the search study' }).click();
    await waitText(
      page.getByTestId('study-baseline'),
      /Baseline \(guessing, the same for every row\): Accuracy\s+0\.\d+ in the same cross-validation, so the best trial beats guessing/,
    );
    expect(await page.getByTestId('history-baseline').count()).toBe(1);
    await page.goto(`${s.baseUrl}/${versionHref}`);

    // The version page: the out-of-bag score, and any one of its trees.
    const facts = page.getByTestId('model-facts');
    await waitText(facts, /Out-of-bag score\s+(0\.\d+|1) \(accuracy on \d+ training rows/);
    const pick = page.getByTestId('tree-pick');
    await pick.fill('2');
    await page.getByTestId('tree').waitFor();
    expect(await page.getByText(/of \d+, each trained on its own sample/).count()).toBe(1);
    // Permutation importance on the hold-out rows: the petal measurements matter most.
    await page.getByRole('button', { name: 'Shuffle each feature on the hold-out rows' }).click();
    const perm = page.getByTestId('permutation');
    await perm.waitFor();
    expect(await perm.locator('tbody tr').count()).toBe(4);
    expect(await perm.locator('tbody th').first().innerText()).toMatch(/^petal_/);

    // Predict: the probabilities, and how the trees voted.
    await page.goto(`${s.baseUrl}/#/predict`);
    await page.getByLabel('sepal_length', { exact: true }).fill('5.1');
    await page.getByLabel('sepal_width', { exact: true }).fill('3.5');
    await page.getByLabel('petal_length', { exact: true }).fill('1.4');
    await page.getByLabel('petal_width', { exact: true }).fill('0.2');
    await page.getByRole('button', { name: 'Predict', exact: true }).click();
    await waitText(page.getByTestId('prediction'), /species:\s+setosa/);
    await waitText(page.getByTestId('path'), /\d+ of \d+ trees vote setosa/);
    expect(await page.getByTestId('tree').locator('.node.lit').count()).toBeGreaterThan(1);

    // Existing data + a new model: the baseline, trained with its settings.
    await page.goto(`${s.baseUrl}/#/data`);
    await page.getByTestId('dataset-list').getByRole('link', { name: /Iris/ }).first().click();
    await page.getByRole('link', { name: 'Train a model on this version' }).click();
    await page.getByLabel('2. Model').selectOption({ label: 'A new model' });
    await waitText(page.getByTestId('scenario'), /Existing data, new model/);
    await page.getByLabel('Model family').selectOption({ label: 'Baseline (guessing)' });
    expect(await page.getByLabel('Name of the new model').inputValue()).toBe('Iris baseline');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitText(result, /Saved as Iris baseline v1/);
    // Three balanced classes: guessing is right a third of the time.
    expect(await result.innerText()).toMatch(/Accuracy: 0\.3\d* ± /);

    await result.getByRole('link', { name: 'Open Iris baseline v1' }).click();
    await waitText(page.getByTestId('model-facts'), /Answers\s+\w+ for every row/);

    // Audition ranks the forest above the baseline model, and shows what guessing scores.
    await page.goto(`${s.baseUrl}/#/audition`);
    await page.getByLabel('Data version').selectOption({ index: 1 });
    const baselineRow = page.getByTestId('audition-baseline');
    await waitText(
      baselineRow,
      /Baseline \(guessing\)\s*0\.\d+\s+5-fold cross-validated on this data/,
    );
    const first = page.getByTestId('audition').locator('tbody tr').first();
    expect(await first.innerText()).toMatch(/^Iris forest v1/);

    // Gradient-boosted trees with early stopping: the loss after every round on its version page.
    await page.goto(`${s.baseUrl}/#/data`);
    await page.getByTestId('dataset-list').getByRole('link', { name: /Iris/ }).first().click();
    await page.getByRole('link', { name: 'Train a model on this version' }).click();
    await page.getByLabel('2. Model').selectOption({ label: 'A new model' });
    await page.getByLabel('Model family').selectOption({ label: 'Gradient-boosted trees' });
    expect(await page.getByLabel('Name of the new model').inputValue()).toBe('Iris boosted trees');
    await page.getByLabel('Early stopping').selectOption('yes');
    await page.getByLabel('Min rows per leaf').fill('5');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitText(result, /Saved as Iris boosted trees v1/);
    await result.getByRole('link', { name: 'Open Iris boosted trees v1' }).click();
    const curve = page.getByTestId('fit-curve');
    await waitText(curve, /Loss after each round/);
    expect(await curve.innerText()).toMatch(/rows trained on[\s\S]*validation \(12 rows\)/);
    await waitText(page.getByTestId('model-facts'), /Early stopping\s+stopped after round \d+/);
    // Each tree is one round for one class; its leaves show score values, not class shares.
    await page.getByTestId('tree-pick').fill('2');
    await waitText(page.locator('main'), /this one is round 1, for class versicolor/);

    // Compare across families: each one's settings side by side, predictions compared on the data.
    await page.goto(`${s.baseUrl}/#/compare`);
    await page.getByLabel('Add a version').selectOption({ label: 'Iris forest v1' });
    await page.getByLabel('Add a version').selectOption({ label: 'Iris boosted trees v1' });
    const table = page.getByTestId('compare-table');
    await waitText(table, /Trees/);
    await waitText(table, /Boosting rounds/);
    expect(await page.getByTestId('tree-changes').count()).toBe(0);
    await page.getByLabel('On the data version').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Compare predictions' }).click();
    await waitText(page.getByTestId('disagreements'), /of 150 rows of Iris v1/);

    // The lists say which kind each model is, and the overview filters by family.
    await page.goto(`${s.baseUrl}/#/models`);
    await waitText(page.getByRole('row', { name: /Iris forest/ }), /Random forest/);
    await page.goto(`${s.baseUrl}/#/overview`);
    await page.getByLabel('Filter').fill('family = "gradient-boosting"');
    await page.getByRole('button', { name: 'Apply' }).click();
    await waitText(page.getByTestId('overview-count'), /1 of 3 versions/);
    expect(s.errors).toEqual([]);
  });
});

describe('a forest too large for the room left', () => {
  it('is refused before training, with the size it could take', async () => {
    // This browser says it has 1 MB of room: a forest of 100 trees on Iris could take more.
    await s.context.addInitScript(() => {
      Object.defineProperty(navigator.storage, 'estimate', {
        value: () => Promise.resolve({ usage: 0, quota: 1_000_000 }),
      });
    });
    const { page } = s;
    await page.reload();
    await page.getByRole('button', { name: 'Iris' }).click();
    await page.getByRole('button', { name: 'Save as a new dataset' }).click();
    await page.getByTestId('import-result').getByRole('link', { name: 'Open it' }).click();
    await page.getByRole('link', { name: 'Train a model on this version' }).click();
    await page.getByLabel('Model family').selectOption({ label: 'Random forest' });
    await waitText(
      page.getByRole('alert'),
      /This random forest could take up to \d+ MB, and this browser has 1 MB left for Orpheus/,
    );
    expect(await page.getByRole('button', { name: 'Search and train' }).isDisabled()).toBe(true);
    // A smaller forest fits: the decision tree needs no such check.
    await page.getByLabel('Model family').selectOption({ label: 'Decision tree' });
    expect(await page.getByRole('button', { name: 'Search and train' }).isDisabled()).toBe(false);
    expect(s.errors).toEqual([]);
  });
});

describe('a forest trained across workers', () => {
  /** On a browser that reports `cores` cores: a baseline first, then a forest of 30 trees on Iris v1. */
  async function forestOn(session: Session, cores: number): Promise<unknown> {
    await session.context.addInitScript((n) => {
      Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => n });
    }, cores);
    const { page } = session;
    await page.reload();
    await sampleWithBaseline(page, 'Iris', 'Iris baseline');
    const result = page.getByTestId('train-result');
    await page.getByLabel('2. Model').selectOption({ label: 'A new model' });
    await waitText(page.getByTestId('scenario'), /Existing data, new model/);
    await page.getByLabel('Model family').selectOption({ label: 'Random forest' });
    await page.getByLabel('Trees', { exact: true }).fill('30');
    await page.getByLabel('Random seed').fill('7');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitText(result, /Saved as Iris forest v1/);
    await result.getByRole('link', { name: 'Open Iris forest v1' }).click();
    // Reproduced on the same workers, it is the same forest.
    await page.getByRole('button', { name: 'Reproduce v1' }).click();
    await waitText(
      page.getByTestId('reproduce-result'),
      /Identical forest\.\s+30 of 30 hold-out predictions agree/,
    );
    expect(session.errors).toEqual([]);
    const dump = JSON.parse(await dumpStore(page)) as {
      modelVersions: { family: string; fitted: unknown; scores: unknown }[];
    };
    const forest = dump.modelVersions.find((v) => v.family === 'random-forest')!;
    return { fitted: forest.fitted, scores: forest.scores };
  }

  it('is the same forest, with the same scores, on one worker and on three', async () => {
    const other = await openBrowser();
    try {
      await startAs(other, 'Mei');
      const one = await forestOn(s, 2); // every core but one: one worker
      const three = await forestOn(other, 4); // three workers
      expect(three).toEqual(one);
    } finally {
      await other.close();
    }
  });
});

describe('families with their preprocessing in the model', () => {
  it('says when a logistic regression’s training rows are separable (Wine), on its page and its card', async () => {
    const { page } = s;
    await sampleWithBaseline(page, 'Wine', 'Wine baseline');
    await page.getByLabel('2. Model').selectOption({ label: 'A new model' });
    await page.getByLabel('Model family').selectOption({ label: 'Logistic regression' });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const result = page.getByTestId('train-result');
    await waitText(result, /Saved as Wine logistic regression v1/);
    await result.getByRole('link', { name: 'Open Wine logistic regression v1' }).click();
    const facts = page.getByTestId('model-facts');
    await waitText(facts, /Separable\s+the training rows' classes are separated perfectly/);
    expect(await facts.innerText()).toMatch(
      /without a penalty they would grow without bound; the penalty \(C\) held the largest at [\d.]+/,
    );
    await page.getByTestId('elsewhere').getByRole('link', { name: 'Model card' }).click();
    await waitText(page.getByTestId('card-model'), /Separable\s*:?\s*the training rows' classes/);
  });

  it('trains logistic regression, naive Bayes, a linear SVM and nearest neighbours on Palmer penguins (missing values, categories), shows what each learned, and predicts', async () => {
    const { page } = s;
    await sampleWithBaseline(page, 'Penguins', 'Palmer penguins baseline');
    const result = page.getByTestId('train-result');

    // Logistic regression: its preprocessing settings are on the Train screen.
    await page.getByLabel('2. Model').selectOption({ label: 'A new model' });
    await page.getByLabel('Model family').selectOption({ label: 'Logistic regression' });
    expect(await page.getByLabel(/^Categories/).inputValue()).toBe('yes');
    await page.getByLabel('Missing numbers become').selectOption({ label: 'the median' });
    await page.getByLabel('C (inverse regularization)').fill('0.5');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitText(result, /Saved as Palmer penguins logistic regression v1/);
    await result.getByRole('link', { name: 'Open Palmer penguins logistic regression v1' }).click();
    const facts = page.getByTestId('model-facts');
    await waitText(facts, /converged after \d+ iterations of L-BFGS/);
    expect(await facts.innerText()).toMatch(/Largest coefficients for Adelie/);
    expect(await facts.innerText()).toMatch(/One column per category of island, sex \(one-hot\)/);
    expect(await facts.innerText()).toMatch(
      /Missing values become bill_length_mm: [\d.]+.*\(median/,
    );
    await waitText(page.locator('main'), /Share \(%\) of the absolute coefficients/);
    // The coefficients as bars, one chart per class, largest first.
    const charts = page.getByTestId('coefficients');
    expect(await charts.count()).toBe(3);
    expect(await charts.first().getByRole('heading').innerText()).toBe('Coefficients for Adelie');
    expect(await charts.first().locator('li').count()).toBe(9); // 4 numbers, 3 islands, 2 sexes
    expect(await charts.first().innerText()).toMatch(/on standardized numbers/);

    // Naive Bayes: the class priors and each class's means.
    await newModelOf(page, s.baseUrl, /penguins/i, 'Naive Bayes');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitText(result, /Saved as Palmer penguins naive Bayes v1/);
    expect(await result.innerText()).toMatch(/Macro F1: 0\.[6-9]\d* ± /);
    await result.getByRole('link', { name: 'Open Palmer penguins naive Bayes v1' }).click();
    await waitText(facts, /Class priors\s+Adelie 0\.\d+/);
    expect(await facts.innerText()).toMatch(
      /flipper_length_mm per class \(mean ± sd\)\s+Adelie [\d.]+ ± [\d.]+/,
    );
    expect(await facts.innerText()).toMatch(
      /Missing values become island: (Biscoe|Dream|Torgersen),/,
    );
    expect(await facts.innerText()).toMatch(
      /island per class\s+Adelie: Torgersen [\d.]+ Biscoe [\d.]+/,
    );

    // A linear SVM: decision values, no probabilities, and it says so.
    await newModelOf(page, s.baseUrl, /penguins/i, 'Linear SVM');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitText(result, /Saved as Palmer penguins linear SVM v1/);
    await result.getByRole('link', { name: 'Open Palmer penguins linear SVM v1' }).click();
    await waitText(facts, /Probabilities\s+none: an SVM gives decision values/);
    // Its ONNX graph gives decision values, and its card the fitted preprocessing.
    const elsewhere = page.getByTestId('elsewhere');
    const download = page.waitForEvent('download');
    await elsewhere.getByRole('button', { name: 'Download ONNX (.onnx)' }).click();
    const onnxFile = await (await download).path();
    const session = await ort.InferenceSession.create(await readFile(onnxFile));
    expect(session.outputNames).toEqual(['label', 'scores']);
    await elsewhere.getByRole('link', { name: 'Model card' }).click();
    await waitText(page.getByTestId('card-model'), /Preprocessing\s*:?\s*Missing values become/);
    expect(await page.getByTestId('card-model').innerText()).toMatch(/decision values/);
    await page.goBack();
    await waitText(
      page.getByTestId('coefficients').first(),
      /Coefficients for Adelie against the rest/,
    );

    // k-nearest neighbours: Predict names the training rows it went by.
    await newModelOf(page, s.baseUrl, /penguins/i, 'k-nearest neighbours');
    await page.getByLabel('Neighbours (k)').fill('3');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await waitText(result, /Saved as Palmer penguins neighbours v1/);
    await page.goto(`${s.baseUrl}/#/predict`);
    await page
      .getByRole('combobox', { name: /^Model/ })
      .selectOption({ label: 'Palmer penguins neighbours' });
    await page.getByRole('combobox', { name: /^island/ }).selectOption('Dream');
    await page.getByLabel('bill_length_mm', { exact: true }).fill('39');
    await page.getByLabel('bill_depth_mm', { exact: true }).fill('18.5');
    await page.getByLabel('flipper_length_mm', { exact: true }).fill('190');
    await page.getByLabel('body_mass_g', { exact: true }).fill('3700');
    await page.getByRole('button', { name: 'Predict', exact: true }).click();
    await waitText(page.getByTestId('prediction'), /species:\s+Adelie/);
    const path = page.getByTestId('path');
    await waitText(path, /Training row \d+ at distance [\d.]+: species Adelie/);
    expect(await path.locator('li').count()).toBe(3);

    // Predict with the logistic regression: the probabilities, from a raw row.
    await page.goto(`${s.baseUrl}/#/predict`);
    await page
      .getByRole('combobox', { name: /^Model/ })
      .selectOption({ label: 'Palmer penguins logistic regression' });
    await page.getByRole('combobox', { name: /^island/ }).selectOption('Biscoe');
    await page.getByLabel('bill_length_mm', { exact: true }).fill('48');
    await page.getByLabel('bill_depth_mm', { exact: true }).fill('15');
    await page.getByLabel('flipper_length_mm', { exact: true }).fill('220');
    await page.getByLabel('body_mass_g', { exact: true }).fill('5200');
    await page.getByRole('combobox', { name: /^sex/ }).selectOption('male');
    await page.getByRole('button', { name: 'Predict', exact: true }).click();
    await waitText(page.getByTestId('prediction'), /species:\s+Gentoo/);
    // A batch with an island training never saw: predicted, with the note, not refused.
    await page.locator('#batch-file').setInputFiles({
      name: 'new-penguins.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex\nBiscoe,48,15,220,5200,male\nAtlantis,39,18.5,190,3700,female\n',
      ),
    });
    await waitText(page.getByTestId('batch-result'), /2 of 2 rows predicted and logged/);
    const notes = page.getByTestId('batch-notes');
    await notes.locator('summary').click();
    await waitText(
      notes,
      /Row 2: "island" has the category "Atlantis", which training never saw: its one-hot columns are all zeros\./,
    );

    // Audition: asked for probabilities, the linear SVM is not what was asked; the others are.
    await page.goto(`${s.baseUrl}/#/audition`);
    await page.getByLabel('Data version').selectOption({ index: 1 });
    await page.getByLabel('gives probabilities').selectOption('yes');
    const rows = page.getByTestId('audition').locator('tbody tr');
    const svmRow = rows.filter({ hasText: 'Palmer penguins linear SVM v1' });
    await waitText(svmRow, /gives no probabilities/);
    expect(await svmRow.getAttribute('class')).toMatch(/cannot/);
    const lrRow = rows.filter({ hasText: 'Palmer penguins logistic regression v1' });
    await waitText(lrRow, /its preprocessing fills them in/);
    expect(await lrRow.getAttribute('class')).not.toMatch(/cannot/);

    // A search over logistic regression: its preprocessing is in the space, and can be fixed.
    await page.goto(`${s.baseUrl}/#/search`);
    await page.getByLabel('Data version').selectOption({ index: 1 });
    await page.getByLabel('Model family').selectOption({ label: 'Logistic regression' });
    const scaling = page.getByRole('group', { name: 'Choices for Scaling' });
    await scaling.getByLabel('none').uncheck();
    await page.getByLabel('Trials', { exact: true }).fill('6');
    await page.getByRole('button', { name: 'Start the study' }).click();
    await waitText(page.getByTestId('study-status'), /Complete/);
    const table = await page.getByTestId('trials-table').innerText();
    // Every trial standardized: the choice left out was never tried.
    const trials = table.split('\n').slice(1);
    expect(trials).toHaveLength(6);
    for (const t of trials) expect(t).toMatch(/\t(mean|median)\tstandard\t/);
    expect(s.errors).toEqual([]);
  });
});
