/**
 * Runs in Chromium (served by Vite), driven by tests/bench/backup.bench.ts: fills a real
 * IndexedDB store of ~100 MB, exports it the way the app downloads a backup, and restores the
 * file into an empty store the way the app does (check and preview, then restore).
 */
import { downloadTarget } from '../../../src/app/backup.svelte';
import type { ModelRecord, ModelVersionRecord, TrialRecord } from '../../../src/core/records';
import { buildContent } from '../../../src/core/data/content';
import { finish } from '../../../src/core/data/pipeline';
import { seededRandom } from '../../../src/core/random';
import { exportBackup, previewBackup, restoreBackup } from '../../../src/store/backup';
import { saveImport } from '../../../src/store/datasets';
import { Store, type Write } from '../../../src/store/db';
import { createStudy } from '../../../src/store/studies';
import { versionFixture } from '../../unit/fixtures';

let file: Blob | null = null;

/** At scale 1: 20 datasets of 100,000 rows × 5 numbers, 10,000 model versions, 100,000 trials. */
export async function generate(scale: number): Promise<number> {
  const store = await Store.open(`backup-bench-${scale}`);
  const random = seededRandom(3);
  const now = new Date(2026, 0, 1).toISOString();
  let bytes = 0;
  // Each dataset saved the way an import saves it: its id the hash of its content, profiled.
  let dataVersionId = '';
  for (let d = 0; d < 20 * scale; d++) {
    const rows = 100_000;
    const names = ['a', 'b', 'c', 'd', 'label'];
    const cells = names.map((_, j) =>
      Array.from({ length: rows }, () =>
        j < 4 ? String(Math.round(random() * 1e4) / 100) : random() < 0.5 ? 'low' : 'high',
      ),
    );
    const content = buildContent(
      cells,
      names.map((name, j) => ({
        name,
        type: j < 4 ? ('numeric' as const) : ('categorical' as const),
        role: j < 4 ? ('feature' as const) : ('target' as const),
      })),
      'classification',
      rows,
    );
    bytes += rows * 5 * 8;
    const built = await finish(content, {
      kind: 'import',
      rowsAdded: rows,
      rowsRemoved: 0,
      columnsChanged: [],
      summary: 'imported',
    });
    const saved = await saveImport(
      store,
      'bench',
      { name: `data ${d}`, description: '', source: 'bench' },
      built,
    );
    if (!saved.saved) throw new Error(`dataset ${d} repeats another's content`);
    dataVersionId ||= saved.version.id;
  }
  const base = versionFixture(dataVersionId);
  for (let m = 0; m < 100 * scale; m++) {
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
      writes.push({
        store: 'modelVersions',
        value: v,
        action: 'create',
        summary: '',
        logged: false,
      });
    }
    bytes += JSON.stringify(writes).length;
    await store.commit('bench', writes);
  }
  const study = await createStudy(store, 'bench', {
    name: 's',
    datasetVersionId: dataVersionId,
    family: 'decision-tree',
    space: { maxDepth: { kind: 'int', low: 1, high: 20, step: 1, log: false } },
    sampler: 'tpe',
    gridPoints: 5,
    seed: 1,
    metric: 'accuracy',
    direction: 'maximize',
    budget: 100_000 * scale,
    halving: { eta: 1, rungs: [1] },
    evaluation: { folds: 5, testFraction: 0.2 },
    modelId: null,
  });
  for (let b = 0; b < 100 * scale; b++) {
    const writes: Write[] = Array.from({ length: 1000 }, (_, i): Write => {
      const t: TrialRecord = {
        id: `${study.id}/${b * 1000 + i}`,
        studyId: study.id,
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
  store.close();
  return bytes;
}

export async function exportStore(scale: number): Promise<{
  seconds: number;
  raw: number;
  file: number;
  largest: number;
}> {
  const store = await Store.open(`backup-bench-${scale}`);
  const target = downloadTarget();
  const t0 = performance.now();
  const r = await exportBackup(store, target.sink, {
    app: 'bench',
    author: 'bench',
    createdAt: new Date().toISOString(),
  });
  file = await target.close();
  const seconds = (performance.now() - t0) / 1000;
  store.close();
  return { seconds, raw: r.rawBytes, file: r.fileBytes, largest: r.largestMember };
}

export async function importStore(
  scale: number,
): Promise<{ check: number; restore: number; trials: number }> {
  if (!file) throw new Error('export first');
  const store = await Store.open(`backup-bench-restore-${scale}`);
  let t0 = performance.now();
  const preview = await previewBackup(store, file);
  const check = (performance.now() - t0) / 1000;
  t0 = performance.now();
  await restoreBackup(store, 'bench', file, preview, { mode: 'replace', summary: 'bench' });
  const restore = (performance.now() - t0) / 1000;
  const trials = await store.count('trials');
  store.close();
  return { check, restore, trials };
}

/**
 * The reference: the browser's own IndexedDB putting the same trials and model versions in one
 * transaction, with nothing else to do (no file, no checks). A restore cannot be faster.
 */
export async function rawPuts(): Promise<{ seconds: number; bytes: number }> {
  const src = await Store.open('backup-bench-1');
  const trials = await src.getAll('trials');
  const versions = await src.getAll('modelVersions');
  src.close();
  const dst = await Store.open('backup-bench-raw');
  const t0 = performance.now();
  const tx = dst.db.transaction(['trials', 'modelVersions'], 'readwrite');
  for (const r of trials) void tx.objectStore('trials').put(r);
  for (const r of versions) void tx.objectStore('modelVersions').put(r);
  await tx.done;
  const seconds = (performance.now() - t0) / 1000;
  dst.close();
  return { seconds, bytes: JSON.stringify(trials).length + JSON.stringify(versions).length };
}
