/**
 * The system overview at 10,000 model versions (100 models × 100 versions): time to load them
 * all from IndexedDB the way the app does (models, then each model's versions), build the
 * overview rows and sort them by a metric. IndexedDB here is fake-indexeddb in Node (slower
 * than a browser's, so the figure is an upper bound). Prints:
 *   BENCH overview_10k_load_sort_ms <ms>  (with load, rows and sort apart)
 */
import 'fake-indexeddb/auto';
import { overviewRows, sortRows } from '../../src/core/compare/overview';
import type { ModelRecord, ModelVersionRecord } from '../../src/core/records';
import { Store, type Write } from '../../src/store/db';
import { listModels, listModelVersions } from '../../src/store/models';

// The build defines these; the fixture's version record names them.
Object.assign(globalThis, { __APP_VERSION__: 'bench', __ML_CART_VERSION__: 'bench' });
const { versionFixture } = await import('../unit/fixtures');

const MODELS = 100;
const PER_MODEL = 100;
const store = await Store.open('overview-bench');
const base = versionFixture('data-1');
for (let m = 0; m < MODELS; m++) {
  const model: ModelRecord = {
    id: `m${m}`,
    name: `model ${m}`,
    task: 'classification',
    metric: 'accuracy',
    aliases: {},
    notes: {},
    author: 'bench',
    createdAt: new Date(2026, 0, 1).toISOString(),
  };
  const writes: Write[] = [
    { store: 'models', value: model, action: 'create', summary: model.name },
  ];
  for (let n = 1; n <= PER_MODEL; n++) {
    const v: ModelVersionRecord = {
      ...base,
      scores: {
        ...base.scores,
        cv: { ...base.scores.cv, accuracy: { mean: Math.random(), std: 0, folds: [] } },
      },
      id: `m${m}v${n}`,
      modelId: model.id,
      number: n,
      parentId: n > 1 ? `m${m}v${n - 1}` : null,
      author: n % 2 ? 'amy' : 'bo',
      createdAt: new Date(2026, 0, 1, 0, n).toISOString(),
    };
    writes.push({ store: 'modelVersions', value: v, action: 'create', summary: '' });
  }
  await store.commit('bench', writes);
}

const t0 = performance.now();
const models = await listModels(store);
const versions = (await Promise.all(models.map((m) => listModelVersions(store, m.id)))).flat();
const t1 = performance.now();
const rows = overviewRows(models, versions, () => 'data v1');
const t2 = performance.now();
const sorted = sortRows(rows, 'metrics.accuracy', true);
const t3 = performance.now();
if (sorted.length !== MODELS * PER_MODEL)
  throw new Error(`expected ${MODELS * PER_MODEL} rows, got ${sorted.length}`);
console.log(
  `BENCH overview_10k_load_sort_ms ${(t3 - t0).toFixed(0)} ms (load ${(t1 - t0).toFixed(0)}, rows ${(t2 - t1).toFixed(0)}, sort ${(t3 - t2).toFixed(0)}; fake-indexeddb in Node)`,
);
store.close();
