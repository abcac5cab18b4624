import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { versionFixture, tinyContent } from './fixtures';
import { BackupError, readBackup, writeBackup } from '../../src/core/backup/archive';
import { finish } from '../../src/core/data/pipeline';
import {
  canonical,
  canonicalDump,
  exportBackup,
  previewBackup,
  readAll,
  restoreBackup,
  type ConflictChoice,
} from '../../src/store/backup';
import { saveImport } from '../../src/store/datasets';
import { Store } from '../../src/store/db';
import { saveNewModel } from '../../src/store/models';
import { logPredictions } from '../../src/store/predictions';
import { writeSetting } from '../../src/store/settings';
import { createStudy, saveTrial } from '../../src/store/studies';

const opened: Store[] = [];
async function fresh(): Promise<Store> {
  const s = await Store.open(`backup-${Math.random().toString(36).slice(2)}`);
  opened.push(s);
  return s;
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

/** A store with one of everything, a dataset with NaN cells included. */
async function filled(seed = 1): Promise<Store> {
  const store = await fresh();
  await writeSetting(store, 'amy', 'userName', 'Amy');
  const content = tinyContent(seed);
  (content.columns[0] as { values: Float64Array }).values[3] = NaN;
  const built = await finish(content, {
    kind: 'import',
    rowsAdded: 60,
    rowsRemoved: 0,
    columnsChanged: [],
    summary: 'imported',
  });
  const saved = await saveImport(
    store,
    'amy',
    { name: `tiny ${seed}`, description: '<b>bold</b>', source: 'test' },
    built,
  );
  if (!saved.saved) throw new Error('not saved');
  const { model, version } = await saveNewModel(
    store,
    'amy',
    { name: `tree ${seed}`, task: 'classification', metric: 'accuracy' },
    versionFixture(saved.version.id, content),
  );
  const study = await createStudy(store, 'amy', {
    name: 's',
    datasetVersionId: saved.version.id,
    family: 'decision-tree',
    space: { maxDepth: { kind: 'int', low: 1, high: 5, step: 1, log: false } },
    sampler: 'tpe',
    gridPoints: 5,
    seed: 1,
    metric: 'accuracy',
    direction: 'maximize',
    budget: 3,
    halving: { eta: 1, rungs: [1] },
    evaluation: { folds: 3, testFraction: 0.2 },
    modelId: null,
  });
  await saveTrial(store, 'amy', study, {
    number: 0,
    params: { maxDepth: 2 },
    value: 0.9,
    state: 'complete',
    durationMs: 3,
    intermediate: [0.9],
  });
  await logPredictions(
    store,
    'amy',
    [
      {
        modelId: model.id,
        modelVersionId: version.id,
        batchId: null,
        row: 0,
        rowId: null,
        source: 'form',
        inputs: [
          ['x', '1'],
          ['z', null],
        ],
        output: 'low',
        probabilities: [0, 1],
        path: ['', 'L'],
        label: null,
        labelledAt: null,
      },
    ],
    'one',
  );
  return store;
}

const meta = { app: 'test', author: 'amy', createdAt: '2026-11-22T00:00:00.000Z' };

/** The store's backup file, made the way the app makes it: streamed page by page. */
async function backupOf(store: Store, modelId?: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await exportBackup(
    store,
    async (c) => {
      chunks.push(c.slice());
    },
    meta,
    { modelId },
  );
  return new Uint8Array(Buffer.concat(chunks));
}

async function restore(
  target: Store,
  bytes: Uint8Array,
  mode: 'merge' | 'replace',
  conflicts: ConflictChoice = 'skip',
): Promise<{ written: number; copied: number }> {
  const preview = await previewBackup(target, bytes);
  return restoreBackup(target, 'bo', bytes, preview, { mode, conflicts, summary: mode });
}

async function failure(bytes: Uint8Array): Promise<string> {
  const e = await readBackup(bytes).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(BackupError);
  return (e as Error).message;
}

/** The name of the first member holding records of a store (`records/<store>/<n>.json`). */
function memberOf(bytes: Uint8Array, store: string): string {
  const name = Object.keys(unzipSync(bytes)).find((n) => n.startsWith(`records/${store}/`));
  if (!name) throw new Error(`no member for ${store}`);
  return name;
}

/** Rewrites one member of a backup (and leaves the manifest as it was). */
function alter(bytes: Uint8Array, name: string, change: (s: string) => string): Uint8Array {
  const files = unzipSync(bytes);
  files[name] = strToU8(change(new TextDecoder().decode(files[name]!)));
  return zipSync(files);
}

describe('backup and restore', () => {
  it('brings back every record byte for byte into an empty store', async () => {
    const a = await filled();
    const before = await canonicalDump(a);
    const bytes = await backupOf(a);
    const b = await fresh();
    const preview = await previewBackup(b, bytes);
    expect(preview.manifest.counts['modelVersions']).toBe(1);
    expect(preview.stores.find((s) => s.store === 'datasetColumns')).toMatchObject({
      fresh: 1,
      conflicts: 0,
    });
    await restoreBackup(b, 'bo', bytes, preview, { mode: 'replace', summary: 'restore' });
    expect(await canonicalDump(b)).toBe(before);
    const cols = (await b.getAll('datasetColumns'))[0]!.columns[0] as { values: Float64Array };
    expect(Number.isNaN(cols.values[3]!)).toBe(true);
  });

  it('previews new, identical and conflicting records, and merges only the new ones', async () => {
    const a = await filled(1);
    const records = await readAll(a);
    const again = await previewBackup(a, await backupOf(a));
    expect(again.stores.every((s) => s.fresh === 0 && s.conflicts === 0)).toBe(true);
    const b = await filled(2);
    const conflicting = await writeBackup(
      {
        ...records,
        settings: [{ key: 'userName', value: 'Someone else', updatedAt: meta.createdAt }],
      },
      meta,
    );
    const p = await previewBackup(b, conflicting);
    expect(p.stores.find((s) => s.store === 'settings')).toMatchObject({ conflicts: 1 });
    expect(p.stores.find((s) => s.store === 'models')).toMatchObject({ fresh: 1 });
    await restore(b, conflicting, 'merge');
    expect((await b.getAll('models')).map((m) => m.name).sort()).toEqual(['tree 1', 'tree 2']);
    expect((await b.get('settings', 'userName'))?.value).toBe('Amy');
  });

  it('refuses bad files with a message and changes nothing', async () => {
    const a = await filled();
    const bytes = await writeBackup(await readAll(a), meta);
    const before = await canonicalDump(a);
    const models = memberOf(bytes, 'models');
    const trials = memberOf(bytes, 'trials');
    const studies = memberOf(bytes, 'studies');
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /empty/],
      [strToU8('id,name\n1,x'), /not a zip/],
      [bytes.slice(0, Math.floor(bytes.length / 2)), /cut short|damaged|cannot be unpacked/],
      [
        alter(bytes, models, (s) => s.replace('tree', 'TREE')),
        new RegExp(`${models}" does not match its checksum`),
      ],
      [
        alter(bytes, 'manifest.json', (s) => s.replace(/"version": 2/, '"version": 9')),
        /format version 9, made by a newer Orpheus/,
      ],
      [
        alter(bytes, 'manifest.json', (s) =>
          s.replace(new RegExp(`("${trials}": ")[0-9a-f]`), '$1x'),
        ),
        /does not match its checksum/,
      ],
      [
        zipSync({ ...unzipSync(bytes), 'extra.bin': new Uint8Array(3) }),
        /"extra.bin" is not listed/,
      ],
    ];
    // A flipped byte inside a member.
    const files = unzipSync(bytes);
    const cols = Object.keys(files).find((n) => n.endsWith('.bin'))!;
    files[cols]![0]! ^= 0xff;
    cases.push([zipSync(files), new RegExp(`${cols}" does not match its checksum`)]);
    // A missing member.
    const missing = unzipSync(bytes);
    delete missing[studies];
    cases.push([zipSync(missing), new RegExp(`"${studies}" listed in the manifest is missing`)]);
    for (const [input, message] of cases) expect(await failure(input)).toMatch(message);
    expect(await canonicalDump(a)).toBe(before);
  });

  it('refuses wrong types, extra fields and prototype keys, and unpacks no bomb', async () => {
    const a = await filled();
    const records = await readAll(a);
    const write = (r: typeof records) => writeBackup(r, meta);
    const models = records.models as Record<string, unknown>[];
    expect(
      await failure(await write({ ...records, models: [{ ...models[0], name: 42 }] })),
    ).toMatch(/records\/models\/\d+.json, record 1: the field "name"/);
    expect(
      await failure(await write({ ...records, models: [{ ...models[0], extra: true }] })),
    ).toMatch(/record 1/);
    const polluted = await write({
      ...records,
      models: [JSON.parse(`{"__proto__": {"polluted": 1}, "id": "x"}`)],
    });
    expect(await failure(polluted)).toMatch(/field named "__proto__"/);
    const ctor = await write({
      ...records,
      settings: [
        {
          key: 'k',
          value: { constructor: { prototype: { polluted: 1 } } },
          updatedAt: meta.createdAt,
        },
      ],
    });
    expect(await failure(ctor)).toMatch(/"constructor"/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    // A member declaring 1 GB: refused from the zip's directory, before inflating anything.
    const bytes = await write(records);
    const bomb = bytes.slice();
    const view = new DataView(bomb.buffer);
    for (let i = 0; i < bomb.length - 4; i++)
      if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 1_000_000_000, true); // directory: uncompressed size
    expect(await failure(bomb)).toMatch(/says it unpacks to 1000 MB, more than Orpheus accepts/);
    // A member that inflates past what its header declares: stopped while inflating.
    const zeros = zipSync(
      { ...unzipSync(bytes), [memberOf(bytes, 'models')]: new Uint8Array(200 * 1024 * 1024) },
      { level: 1 },
    );
    expect(zeros.length).toBeLessThan(2e6);
    const zv = new DataView(zeros.buffer);
    for (let i = 0; i < zeros.length - 4; i++)
      for (const [sig, at] of [
        [0x02014b50, 24], // directory: uncompressed size
        [0x04034b50, 22], // local header: uncompressed size
      ] as const)
        if (zv.getUint32(i, true) === sig && zv.getUint32(i + at, true) === 200 * 1024 * 1024)
          zv.setUint32(i + at, 1000, true);
    expect(await failure(zeros)).toMatch(
      /unpacks to more than the 1,000 bytes its header declares/,
    );
  });
});

describe('backup round trip, property', () => {
  it('random records of every kind survive export → import into an empty store', async () => {
    const { seededRandom } = await import('../../src/core/random');
    const random = seededRandom(11);
    const word = (): string =>
      Array.from(
        { length: 1 + Math.floor(random() * 12) },
        () => 'aZ <>&"\'é€😀\n,0'[Math.floor(random() * 16)],
      ).join('');
    for (let round = 0; round < 5; round++) {
      const a = await filled(round + 1);
      const study = (await a.getAll('studies'))[0]!;
      const trials = Array.from({ length: 20 }, (_, n) => ({
        number: n + 1,
        params: {
          maxDepth: Math.floor(random() * 20),
          criterion: word(),
          minImpurityDecrease: random() / 7,
        },
        value: random() < 0.2 ? null : random() * 1e6 - 5e5,
        state: (['complete', 'pruned', 'failed'] as const)[Math.floor(random() * 3)]!,
        durationMs: random() * 100,
        intermediate: Array.from({ length: Math.floor(random() * 3) }, () => random()),
      }));
      for (const t of trials) await saveTrial(a, word() || 'x', study, t);
      await writeSetting(a, 'amy', 'userName', word() || 'x');
      const before = await canonicalDump(a);
      const b = await fresh();
      await restore(b, await backupOf(a), 'replace');
      expect(await canonicalDump(b)).toBe(before);
    }
  });
});

describe('exporting one model', () => {
  it('takes the model with its versions, data, studies and events, and nothing else', async () => {
    const { selectModel } = await import('../../src/core/backup/archive');
    const a = await filled(1);
    // A second, unrelated model and dataset in the same store.
    const content = tinyContent(9);
    const built = await finish(content, {
      kind: 'import',
      rowsAdded: 60,
      rowsRemoved: 0,
      columnsChanged: [],
      summary: 'imported',
    });
    const other = await saveImport(
      a,
      'amy',
      { name: 'other', description: '', source: 'test' },
      built,
    );
    if (!other.saved) throw new Error('not saved');
    await saveNewModel(
      a,
      'amy',
      { name: 'other tree', task: 'classification', metric: 'accuracy' },
      versionFixture(other.version.id, content),
    );
    const all = await readAll(a);
    const model = all.models.find((m) => (m as { name: string }).name === 'tree 1') as {
      id: string;
    };
    const part = selectModel(all, model.id);
    expect(part.models).toHaveLength(1);
    expect(part.modelVersions).toHaveLength(1);
    expect((part.datasets as { name: string }[]).map((d) => d.name)).toEqual(['tiny 1']);
    expect(part.datasetColumns).toHaveLength(1);
    expect(part.predictions).toHaveLength(1);
    expect(part.settings).toEqual([]);
    expect(part.events.length).toBeGreaterThan(2);
    // It restores into an empty store and reads back.
    const b = await fresh();
    const streamed = await readBackup(await backupOf(a, model.id));
    expect(canonical(streamed.records)).toBe(canonical(part));
    await restore(b, await writeBackup(part, meta), 'merge');
    expect((await b.getAll('models')).map((m) => m.name)).toEqual(['tree 1']);
  });
});

describe('merging into a store that changed since the backup', () => {
  it('keeps both: a model edited here comes in as a copy with its versions and predictions', async () => {
    const { annotateVersion } = await import('../../src/store/models');
    const a = await filled(1);
    const bytes = await backupOf(a);
    const model = (await a.getAll('models'))[0]!;
    const version = (await a.getAll('modelVersions'))[0]!;
    await annotateVersion(a, 'amy', model, version, { note: 'edited after the backup', tags: [] });
    const edited = await canonicalDump(a);

    // Keep this browser's: nothing changes (every other record is identical).
    const skipped = await restore(a, bytes, 'merge', 'skip');
    expect(skipped).toEqual({ written: 0, copied: 0 });
    expect(await canonicalDump(a)).toBe(edited);

    const preview = await previewBackup(a, bytes);
    expect(preview.conflictNames).toEqual(['model “tree 1”']);
    const both = await restore(a, bytes, 'merge', 'both');
    // The model, its version and its prediction.
    expect(both.copied).toBe(3);
    const models = await a.getAll('models');
    expect(models.map((m) => m.name).sort()).toEqual(['tree 1', 'tree 1 (copy from backup)']);
    const copy = models.find((m) => m.name.endsWith('(copy from backup)'))!;
    const copyVersions = await a.db.getAllFromIndex('modelVersions', 'by-model', copy.id);
    expect(copyVersions.map((v) => v.number)).toEqual([1]);
    expect(copyVersions[0]!.id).not.toBe(version.id);
    expect(Object.values(copy.aliases).every((id) => id === copyVersions[0]!.id)).toBe(true);
    const predictions = await a.getAll('predictions');
    expect(predictions.map((p) => p.modelVersionId).sort()).toEqual(
      [version.id, copyVersions[0]!.id].sort(),
    );
    // The original is untouched.
    expect((await a.get('models', model.id))?.notes[version.id]?.note).toBe(
      'edited after the backup',
    );
  });

  it('writes nothing when the file turns out bad after records were already sent to the store', async () => {
    const a = await filled(1);
    const bytes = await backupOf(a);
    const b = await fresh();
    await writeSetting(b, 'bo', 'userName', 'Bo');
    const before = await canonicalDump(b);
    const preview = await previewBackup(b, bytes);
    // The last member (events) damaged: every other member is read and written before it.
    const files = unzipSync(bytes);
    const last = Object.keys(files)
      .filter((n) => n.startsWith('records/events/'))
      .pop()!;
    files[last] = strToU8(new TextDecoder().decode(files[last]).replace('amy', 'eve'));
    const damaged = zipSync(files);
    for (const mode of ['replace', 'merge'] as const) {
      const e = await restoreBackup(b, 'bo', damaged, preview, { mode, summary: mode }).catch(
        (x: unknown) => x,
      );
      expect((e as Error).message).toMatch(/does not match its checksum/);
      expect(await canonicalDump(b)).toBe(before);
    }
    // A cancel midway: the same.
    const controller = new AbortController();
    const e = await restoreBackup(b, 'bo', bytes, preview, {
      mode: 'replace',
      summary: 'cancelled',
      signal: controller.signal,
      onProgress: () => controller.abort(),
    }).catch((x: unknown) => x);
    expect((e as Error).name).toBe('AbortError');
    expect(await canonicalDump(b)).toBe(before);
  });
});

describe('older format versions', () => {
  it('reads a version-1 file (one member per store) into the same store', async () => {
    const { createHash } = await import('node:crypto');
    const a = await filled(4);
    const before = await canonicalDump(a);
    const files = unzipSync(await backupOf(a));
    // Version 1 kept each store's records in one member, records/<store>.json.
    const v1: Record<string, Uint8Array> = {};
    const stores = new Map<string, unknown[]>();
    for (const [name, data] of Object.entries(files)) {
      const m = /^records\/(\w+)\/\d+\.json$/.exec(name);
      if (m)
        stores.set(m[1]!, [...(stores.get(m[1]!) ?? []), ...(JSON.parse(text(data)) as unknown[])]);
      else if (name !== 'manifest.json') v1[name] = data;
    }
    for (const [store, records] of stores)
      v1[`records/${store}.json`] = strToU8(JSON.stringify(records));
    const manifest = JSON.parse(text(files['manifest.json']!)) as {
      version: number;
      members: Record<string, string>;
    };
    manifest.version = 1;
    manifest.members = Object.fromEntries(
      Object.entries(v1).map(([n, d]) => [n, createHash('sha256').update(d).digest('hex')]),
    );
    v1['manifest.json'] = strToU8(JSON.stringify(manifest));
    const old = zipSync(v1);
    expect(Object.keys(v1).some((n) => n === 'records/models.json')).toBe(true);
    const b = await fresh();
    await restore(b, old, 'replace');
    expect(await canonicalDump(b)).toBe(before);
  });
});

function text(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}

/** A member rewritten and the manifest's checksum for it updated: a file altered with care. */
async function reseal(bytes: Uint8Array, change: (files: Record<string, Uint8Array>) => void) {
  const { createHash } = await import('node:crypto');
  const files = unzipSync(bytes);
  change(files);
  const manifest = JSON.parse(text(files['manifest.json']!)) as {
    members: Record<string, string>;
  };
  manifest.members = Object.fromEntries(
    Object.entries(files)
      .filter(([n]) => n !== 'manifest.json')
      .map(([n, d]) => [n, createHash('sha256').update(d).digest('hex')]),
  );
  files['manifest.json'] = strToU8(JSON.stringify(manifest));
  return zipSync(files);
}

describe('hostile backups, resealed with correct checksums', () => {
  it('refuses what Orpheus never writes, and the store is left exactly as it was', async () => {
    const a = await filled();
    const bytes = await backupOf(a);
    const b = await filled(2);
    const before = await canonicalDump(b);
    const edit = (store: string, f: (r: Record<string, unknown>[]) => void) =>
      reseal(bytes, (files) => {
        const name = Object.keys(files).find((n) => n.startsWith(`records/${store}/`))!;
        const records = JSON.parse(text(files[name]!)) as Record<string, unknown>[];
        f(records);
        files[name] = strToU8(JSON.stringify(records));
      });
    // Nested 5,000 levels deep (written as text: even JSON.stringify runs out of stack).
    const deep = await reseal(bytes, (files) => {
      const name = Object.keys(files).find((n) => n.startsWith('records/models/'))!;
      const nested = `${'{"x":'.repeat(5000)}1${'}'.repeat(5000)}`;
      files[name] = strToU8(
        text(files[name]!).replace(/"intendedUse":"[^"]*"|"name":/, (m) =>
          m.startsWith('"name"') ? `"intendedUse":${nested},"name":` : `"intendedUse":${nested}`,
        ),
      );
    });
    const cases: [Uint8Array, RegExp][] = [
      // Event numbers near IndexedDB's key generator limit would make every later write fail.
      [await edit('events', (r) => (r[0]!['seq'] = 2 ** 53 - 2)), /"seq"/],
      [await edit('events', (r) => (r[0]!['seq'] = 1.5)), /"seq"/],
      [await edit('modelVersions', (r) => (r[0]!['number'] = 1e308)), /"number"/],
      [await edit('modelVersions', (r) => (r[0]!['seed'] = 2 ** 60)), /"seed"/],
      [
        await edit('modelVersions', (r) => {
          (r[0]!['scores'] as Record<string, Record<string, unknown>>)['holdout']!['accuracy'] =
            'NaN';
        }),
        /"scores/,
      ],
      [await edit('models', (r) => (r[0]!['name'] = 'x'.repeat(2_000_000))), /"name"/],
      [deep, /nested more than/],
      [await edit('trials', (r) => r.push({ ...r[0]! })), /two trials records with the key/],
      // References to records that are in neither the file nor this browser.
      [await edit('modelVersions', (r) => (r[0]!['modelId'] = 'no-such-model')), /no-such-model/],
      [
        await edit('modelVersions', (r) => (r[0]!['datasetVersionId'] = 'f'.repeat(64))),
        /points at the datasetVersions record “f{64}”, which is neither in the file nor/,
      ],
      // A data version whose rows are not the content its id is the hash of.
      [
        await reseal(bytes, (files) => {
          const name = Object.keys(files).find((n) => /^columns\/\d+\/0\.bin$/.test(n))!;
          files[name] = files[name]!.slice();
          files[name]![0]! ^= 0x01;
        }),
        /do not match its id/,
      ],
      [
        await edit('modelVersions', (r) => {
          const enc = r[0]!['encoding'] as { features: unknown[] };
          enc.features = [enc.features[0], enc.features[0]];
        }),
        /names a feature twice/,
      ],
      [
        await reseal(bytes, (files) => {
          const m = JSON.parse(text(files['manifest.json']!)) as Record<string, unknown>;
          m['createdAt'] = 1764547200000;
          files['manifest.json'] = strToU8(JSON.stringify(m));
        }),
        /The manifest: the field "createdAt"/,
      ],
      [
        await reseal(bytes, (files) => {
          const m = JSON.parse(text(files['manifest.json']!)) as Record<string, unknown>;
          m['version'] = '2';
          files['manifest.json'] = strToU8(JSON.stringify(m));
        }),
        /format version is "2", not a number/,
      ],
      [
        await reseal(bytes, (files) => {
          files['columns/999/0.bin'] = new Uint8Array(8);
        }),
        /"columns\/999\/0.bin" is not used by any record/,
      ],
      [
        await reseal(bytes, (files) => {
          files['notes.txt'] = strToU8('hello');
        }),
        /"notes.txt" is not one Orpheus writes/,
      ],
    ];
    for (const [input, message] of cases) {
      const e = await previewBackup(b, input).catch((x: unknown) => x);
      expect(e, String(message)).toBeInstanceOf(BackupError);
      expect((e as Error).message).toMatch(message);
    }
    expect(await canonicalDump(b)).toBe(before);
  });

  it('stops checking a file when cancelled', async () => {
    const a = await filled();
    const bytes = await backupOf(a);
    const b = await fresh();
    const controller = new AbortController();
    controller.abort();
    await expect(previewBackup(b, bytes, undefined, controller.signal)).rejects.toThrow(/abort/i);
  });

  it('keeps both: the copy’s aliases, notes and study link point at the copy, never the original', async () => {
    const a = await filled();
    const [model] = await a.getAll('models');
    const [version] = await a.getAll('modelVersions');
    const [study] = await a.getAll('studies');
    // The version was chosen by the study, is the champion and has a note.
    await a.db.put('modelVersions', {
      ...version!,
      search: { kind: 'study', studyId: study!.id, trial: 0 },
    });
    await a.db.put('models', {
      ...model!,
      aliases: { champion: version!.id },
      notes: { [version!.id]: { note: 'first', tags: [] } },
    });
    await a.db.put('studies', { ...study!, modelId: model!.id, bestVersionId: version!.id });
    const bytes = await backupOf(a);
    // Here, the same model and study were changed since.
    await a.db.put('models', { ...(await a.db.get('models', model!.id))!, name: 'renamed here' });
    await a.db.put('studies', { ...(await a.db.get('studies', study!.id))!, name: 'renamed' });
    const { copied } = await restore(a, bytes, 'merge', 'both');
    expect(copied).toBeGreaterThan(0);
    const copy = (await a.getAll('models')).find((m) => m.name.includes('copy from backup'))!;
    const copyVersions = await a.db.getAllFromIndex('modelVersions', 'by-model', copy.id);
    const copyStudy = (await a.getAll('studies')).find((s) => s.name.includes('copy'))!;
    expect(copyVersions).toHaveLength(1);
    const cv = copyVersions[0]!;
    expect(copy.aliases['champion']).toBe(cv.id);
    expect(Object.keys(copy.notes)).toEqual([cv.id]);
    expect(cv.search?.studyId).toBe(copyStudy.id);
    expect(copyStudy.modelId).toBe(copy.id);
    expect(copyStudy.bestVersionId).toBe(cv.id);
    const trials = await a.db.getAllFromIndex('trials', 'by-study', copyStudy.id);
    expect(trials.length).toBeGreaterThan(0);
    // The original is untouched.
    expect((await a.db.get('models', model!.id))!.aliases['champion']).toBe(version!.id);
  });
});

describe('merging', () => {
  it('is idempotent: the same file merged twice adds nothing the second time, log entries included', async () => {
    const a = await filled(1);
    const bytes = await backupOf(a);
    const b = await filled(2);
    const first = await restore(b, bytes, 'merge');
    expect(first.written).toBeGreaterThan(0);
    const after = await canonicalDump(b);
    const events = await b.count('events');
    const second = await restore(b, bytes, 'merge');
    expect(second.written).toBe(0);
    // The restore itself is logged each time; nothing else is added.
    expect(await b.count('events')).toBe(events + 1);
    expect(await canonicalDump(b)).toBe(after);
  });
});

describe('column names are data', () => {
  const NAMES = ['constructor', 'prototype', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

  it('columns named constructor, __proto__, toString … survive training, prediction, backup, restore, reproduce and a link', async () => {
    const { buildContent } = await import('../../src/core/data/content');
    const { trainModel } = await import('../../src/core/train/model');
    const { versionDraft } = await import('../../src/app/training');
    const { draftFor } = await import('../../src/app/predictions');
    const { predictRaw } = await import('../../src/core/predict/predict');
    const { learnerFor } = await import('../../src/core/learners/registry');
    const { loadContent } = await import('../../src/store/datasets');
    const { shareLink, readShareLink } = await import('../../src/core/export/share');
    const { seededRandom } = await import('../../src/core/random');
    const random = seededRandom(3);
    const n = 80;
    const cells = NAMES.map(() => [] as string[]);
    const label: string[] = [];
    for (let i = 0; i < n; i++) {
      const xs = NAMES.map(() => Math.round(random() * 100));
      xs.forEach((x, j) => cells[j]!.push(String(x)));
      label.push(xs[2]! + xs[3]! > 100 ? 'high' : 'low');
    }
    const schema = [
      ...NAMES.map((name) => ({ name, type: 'numeric' as const, role: 'feature' as const })),
      { name: 'label', type: 'categorical' as const, role: 'target' as const },
    ];
    const content = buildContent([...cells, label], schema, 'classification', n);
    const a = await fresh();
    const built = await finish(content, {
      kind: 'import',
      rowsAdded: n,
      rowsRemoved: 0,
      columnsChanged: [],
      summary: 'imported',
    });
    const saved = await saveImport(a, 'amy', { name: 'odd', description: '', source: 't' }, built);
    if (!saved.saved) throw new Error('not saved');
    const params = learnerFor('decision-tree').defaults('classification');
    const plan = { folds: 3, testFraction: 0.2, seed: 4 };
    const result = trainModel(content, { params, plan, metric: 'accuracy' });
    const { model, version } = await saveNewModel(
      a,
      'amy',
      { name: 'odd tree', task: 'classification', metric: 'accuracy' },
      versionDraft({
        result,
        params,
        plan,
        metric: 'accuracy',
        scenario: 'train-new',
        dataVersionId: saved.version.id,
        trainingMs: 1,
        search: null,
      }),
    );
    expect(version.modelParameters.importances.map(([k]) => k)).toEqual(NAMES);
    const row = Object.fromEntries(NAMES.map((k, j) => [k, String(20 + j)]));
    const p = predictRaw(version, row, true);
    if (!p.ok) throw new Error(p.problems.join(' '));
    await logPredictions(
      a,
      'amy',
      [
        draftFor(model, version, row, p.prediction, {
          batchId: null,
          row: 0,
          rowId: null,
          source: 'form',
        }),
      ],
      'one',
    );
    const before = await canonicalDump(a);

    const b = await fresh();
    await restore(b, await backupOf(a), 'replace');
    expect(await canonicalDump(b)).toBe(before);
    const [logged] = await b.getAll('predictions');
    expect(logged!.inputs).toEqual(NAMES.map((k, j) => [k, String(20 + j)]));
    // Reproduce: the stored rows, settings and seed give the same tree again.
    const [dv] = await b.getAll('datasetVersions');
    const again = trainModel(await loadContent(b, dv!), { params, plan, metric: 'accuracy' });
    expect(learnerFor('decision-tree').same(again.fitted, version.fitted)).toBe(true);
    // And the version travels by link.
    const link = await shareLink({
      model: { id: model.id, name: model.name, task: model.task, metric: model.metric },
      version,
    });
    expect((await readShareLink(link)).version.modelParameters.importances).toEqual(
      version.modelParameters.importances,
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(logged!.inputs)).toBe(Array.prototype);
  });
});

describe('references', () => {
  it('a file may point at records of this browser when merging, never when they are nowhere', async () => {
    const a = await filled();
    const all = await readAll(a);
    const empty = Object.fromEntries(Object.keys(all).map((k) => [k, []])) as unknown as typeof all;
    const onlyPredictions = await writeBackup({ ...empty, predictions: all.predictions }, meta);
    // Into the browser that has the model and version: fine.
    const r = await restore(a, onlyPredictions, 'merge');
    expect(r.written).toBe(0);
    // Into one that has neither: refused, nothing written.
    const b = await fresh();
    const before = await canonicalDump(b);
    const e = await previewBackup(b, onlyPredictions).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/neither in the file nor in this browser/);
    expect(await canonicalDump(b)).toBe(before);
  });
});
