import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readShareLink } from '../../src/core/export/share';
import { learnerFor } from '../../src/core/learners/registry';
import { migrate } from '../../src/core/migrate';
import { STORE_NAMES, type RecordStoreName } from '../../src/core/records';
import { canonical, canonicalDump, previewBackup, restoreBackup } from '../../src/store/backup';
import { Store } from '../../src/store/db';

/** Every format Orpheus has written (tests/fixtures/README.md) still reads, in today's shape. */
const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(`tests/fixtures/${name}`));

/**
 * A dump with its column-keyed pairs in name order: the dump file was written with object keys
 * sorted, so the order the pairs had in the store cannot be read back from it.
 */
function pairsSorted(dump: string): string {
  const d = JSON.parse(dump) as Record<string, Record<string, unknown>[]>;
  const byName = (a: unknown, b: unknown): number =>
    String((a as unknown[])[0]).localeCompare(String((b as unknown[])[0]));
  for (const p of d['predictions'] ?? []) (p['inputs'] as unknown[]).sort(byName);
  for (const v of d['modelVersions'] ?? [])
    ((v['modelParameters'] as Record<string, unknown>)['importances'] as unknown[]).sort(byName);
  return canonical(d);
}

/** The store as it was written, each record brought to today's shape. */
function expectedDump(): string {
  const old = JSON.parse(readFileSync('tests/fixtures/store-format-2.dump.json', 'utf8')) as Record<
    RecordStoreName,
    unknown[]
  >;
  return pairsSorted(
    canonical(
      Object.fromEntries(STORE_NAMES.map((s) => [s, (old[s] ?? []).map((r) => migrate(s, r))])),
    ),
  );
}

const opened: Store[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

async function restored(file: string): Promise<Store> {
  const store = await Store.open(`fixture-${Math.random().toString(36).slice(2)}`);
  opened.push(store);
  const bytes = fixture(file);
  const preview = await previewBackup(store, bytes);
  await restoreBackup(store, 'Bo', bytes, preview, { mode: 'replace', summary: 'fixture' });
  return store;
}

describe('fixtures of every earlier format', () => {
  for (const file of ['backup-format-1.orpheus', 'backup-format-2.orpheus'])
    it(`${file} restores into an empty store, every record in today's shape`, async () => {
      const store = await restored(file);
      expect(pairsSorted(await canonicalDump(store))).toBe(expectedDump());
      const versions = await store.getAll('modelVersions');
      expect(versions).toHaveLength(2);
      for (const v of versions) {
        expect(v.family).toBe('decision-tree');
        expect(v).not.toHaveProperty('tree');
        expect(Object.keys(v.modelParameters.size).sort()).toEqual(['depth', 'leaves', 'nodes']);
        // The fitted model is a tree its family can predict with.
        const learner = learnerFor(v.family);
        expect(learner.checkFitted(v.fitted, v.encoding)).toBeNull();
      }
      const [study] = await store.getAll('studies');
      expect(study?.family).toBe('decision-tree');
      const [model] = await store.getAll('models');
      expect(Object.keys(model!.aliases).sort()).toEqual(['challenger', 'champion']);
      expect(await store.count('predictions')).toBe(3);
    });

  it('the share link of format 1 opens as the version it was made from, in today’s shape', async () => {
    const shared = await readShareLink(readFileSync('tests/fixtures/share-format-1.txt', 'utf8'));
    const stored: unknown = JSON.parse(
      readFileSync('tests/fixtures/share-format-1.version.json', 'utf8'),
    );
    expect(canonical(shared.version)).toBe(canonical(migrate('modelVersions', stored)));
    expect(shared.version.family).toBe('decision-tree');
    expect(shared.model.name).toBe('survey tree');
  });

  it('an IndexedDB of schema 3 (before families) is migrated when it opens', async () => {
    const name = `old-${Math.random().toString(36).slice(2)}`;
    const old = await Store.open(name, { version: 3 });
    const dump = JSON.parse(readFileSync('tests/fixtures/store-format-2.dump.json', 'utf8')) as {
      modelVersions: unknown[];
      studies: unknown[];
    };
    const tx = old.db.transaction(['modelVersions', 'studies'], 'readwrite');
    for (const v of dump.modelVersions) await tx.objectStore('modelVersions').put(v as never);
    for (const s of dump.studies) await tx.objectStore('studies').put(s as never);
    await tx.done;
    old.close();
    const store = await Store.open(name);
    opened.push(store);
    const versions = await store.getAll('modelVersions');
    expect(versions.map((v) => v.family)).toEqual(['decision-tree', 'decision-tree']);
    expect(canonical(versions)).toBe(
      canonical(dump.modelVersions.map((v) => migrate('modelVersions', v))),
    );
    expect((await store.getAll('studies'))[0]?.family).toBe('decision-tree');
  });
});
