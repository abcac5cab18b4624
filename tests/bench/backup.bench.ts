/**
 * Backup and restore of a generated store of about 100 MB: 20 datasets of 100,000 rows × 5
 * numeric columns, 10,000 model versions, 100,000 trials. The store is fake-indexeddb in Node,
 * so reading and writing the store count in the times. Prints:
 *   BENCH export_mb_per_s <x>      (uncompressed MB of records per second, store → file)
 *   BENCH import_mb_per_s <x>      (file → checked → written into an empty store)
 *   BENCH backup_100mb_peak_mb <MB> (peak resident memory of the process)
 */
import 'fake-indexeddb/auto';
import { readBackup, writeBackup } from '../../src/core/backup/archive';
import type {
  ModelRecord,
  ModelVersionRecord,
  StudyRecord,
  TrialRecord,
} from '../../src/core/records';
import { seededRandom } from '../../src/core/random';
import { applyRestore, readAll } from '../../src/store/backup';
import { Store, type Write } from '../../src/store/db';

Object.assign(globalThis, { __APP_VERSION__: 'bench', __ML_CART_VERSION__: 'bench' });
const { versionFixture } = await import('../unit/fixtures');

let peak = 0;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);

const store = await Store.open('backup-bench');
const random = seededRandom(3);
const now = new Date(2026, 0, 1).toISOString();
let bytes = 0;
for (let d = 0; d < 20; d++) {
  const rows = 100_000;
  const id = d.toString(16).padStart(64, '0');
  const columns = Array.from({ length: 5 }, () => ({
    kind: 'numeric' as const,
    values: Float64Array.from({ length: rows }, () => random()),
  }));
  bytes += rows * 5 * 8;
  await store.commit('bench', [
    {
      store: 'datasets',
      value: { id: `ds${d}`, name: `data ${d}`, description: '', author: 'bench', createdAt: now },
      action: 'create',
      summary: '',
    },
    {
      store: 'datasetColumns',
      value: { id, columns },
      action: 'create',
      summary: '',
      logged: false,
    },
  ]);
}
const base = versionFixture('data');
for (let m = 0; m < 100; m++) {
  const model: ModelRecord = {
    id: `m${m}`,
    name: `model ${m}`,
    task: 'classification',
    metric: 'accuracy',
    aliases: {},
    notes: {},
    author: 'bench',
    createdAt: now,
  };
  const writes: Write[] = [{ store: 'models', value: model, action: 'create', summary: '' }];
  for (let n = 1; n <= 100; n++) {
    const v: ModelVersionRecord = {
      ...base,
      id: `m${m}v${n}`,
      modelId: model.id,
      number: n,
      parentId: null,
      author: 'bench',
      createdAt: now,
    };
    writes.push({ store: 'modelVersions', value: v, action: 'create', summary: '', logged: false });
  }
  bytes += JSON.stringify(writes).length;
  await store.commit('bench', writes);
}
const study = {
  id: 's',
  name: 's',
  datasetVersionId: 'x',
  space: {},
  sampler: 'tpe',
  gridPoints: 5,
  seed: 1,
  metric: 'accuracy',
  direction: 'maximize',
  budget: 100_000,
  halving: { eta: 1, rungs: [1] },
  evaluation: { folds: 5, testFraction: 0.2 },
  state: 'complete',
  modelId: null,
  bestVersionId: null,
  author: 'bench',
  createdAt: now,
} as StudyRecord;
await store.commit('bench', [{ store: 'studies', value: study, action: 'create', summary: '' }]);
for (let b = 0; b < 100; b++) {
  const writes: Write[] = Array.from({ length: 1000 }, (_, i): Write => {
    const t: TrialRecord = {
      id: `s/${b * 1000 + i}`,
      studyId: 's',
      number: b * 1000 + i,
      params: {
        maxDepth: Math.floor(random() * 20),
        criterion: 'gini',
        minImpurityDecrease: random() / 50,
      },
      value: random(),
      state: 'complete',
      durationMs: random() * 20,
      intermediate: [random()],
      author: 'bench',
      createdAt: now,
    };
    return { store: 'trials', value: t, action: 'complete', summary: '', logged: false };
  });
  bytes += JSON.stringify(writes).length;
  await store.commit('bench', writes);
}
const mb = bytes / 1e6;

let t0 = performance.now();
const file = await writeBackup(await readAll(store), {
  app: 'bench',
  author: 'bench',
  createdAt: now,
});
const exportS = (performance.now() - t0) / 1000;

t0 = performance.now();
const { records } = await readBackup(file);
const target = await Store.open('backup-bench-restore');
await applyRestore(target, 'bench', records, 'replace', 'bench restore');
const importS = (performance.now() - t0) / 1000;
clearInterval(sample);
if ((await target.count('trials')) !== 100_000) throw new Error('the restore lost trials');

console.log(
  `BENCH export_mb_per_s ${(mb / exportS).toFixed(1)} MB/s (${mb.toFixed(0)} MB of records in ${exportS.toFixed(1)} s; file ${(file.length / 1e6).toFixed(0)} MB)`,
);
console.log(
  `BENCH import_mb_per_s ${(mb / importS).toFixed(1)} MB/s (${importS.toFixed(1)} s: check, validate, write)`,
);
console.log(
  `BENCH backup_100mb_peak_mb ${(peak / 1e6).toFixed(0)} MB (peak resident memory of the process, generation included)`,
);
store.close();
target.close();
