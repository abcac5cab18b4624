/** Small, real records for tests: a data set built in memory and a version trained on it. */
import { versionDraft } from '../../src/app/training';
import { buildContent, type DatasetContent } from '../../src/core/data/content';
import { suggestSchema } from '../../src/core/data/infer';
import { parseTable } from '../../src/core/data/parse';
import { seededRandom } from '../../src/core/random';
import { defaultParams, trainModel } from '../../src/core/train/model';
import type { VersionDraft } from '../../src/store/models';

/** The bundled iris sample as a data version's content, with the schema Orpheus suggests. */
export async function irisContent(): Promise<DatasetContent> {
  // Imported here, not at the top: the backup benchmark's page imports these fixtures in
  // the browser, where node:fs is not there.
  const { readFileSync } = await import('node:fs');
  const raw = await parseTable(readFileSync('public/samples/iris.csv', 'utf8'), {
    fileName: 'iris.csv',
  });
  const s = suggestSchema(raw);
  return buildContent(raw.columns, s.columns, s.task, raw.rowCount);
}

/** 60 rows: two numeric features, a class that depends on the first. */
export function tinyContent(seed = 1): DatasetContent {
  const random = seededRandom(seed);
  const x: string[] = [];
  const z: string[] = [];
  const label: string[] = [];
  for (let i = 0; i < 60; i++) {
    const a = Math.round(random() * 100);
    x.push(String(a));
    z.push(String(Math.round(random() * 10)));
    label.push(a < 50 ? 'low' : 'high');
  }
  return buildContent(
    [x, z, label],
    [
      { name: 'x', type: 'numeric', role: 'feature' },
      { name: 'z', type: 'numeric', role: 'feature' },
      { name: 'label', type: 'categorical', role: 'target' },
    ],
    'classification',
    60,
  );
}

/** A trained version, as the app would save it, on `dataVersionId`. */
export function versionFixture(dataVersionId: string, content = tinyContent()): VersionDraft {
  const params = defaultParams('classification');
  const plan = { folds: 3, testFraction: 0.2, seed: 5 };
  const result = trainModel(content, { params, plan, metric: 'accuracy' });
  return versionDraft({
    result,
    params,
    plan,
    metric: 'accuracy',
    scenario: 'train-new',
    dataVersionId,
    trainingMs: result.fitMs,
    search: null,
  });
}
