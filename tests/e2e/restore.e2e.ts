import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpStore, openBrowser, startAs, trainOnSample, waitText, type Session } from './browser';

const sessions: Session[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

async function session(name = 'Kim'): Promise<Session> {
  const s = await openBrowser();
  sessions.push(s);
  await startAs(s, name);
  return s;
}

async function downloadBackup(s: Session): Promise<Buffer> {
  await s.page.goto(`${s.baseUrl}/#/backup`);
  const download = s.page.waitForEvent('download');
  await s.page.getByRole('button', { name: 'Download a backup (.orpheus)' }).click();
  return readFile(await (await download).path());
}

async function open(page: Page, name: string, buffer: Uint8Array): Promise<void> {
  await page
    .getByLabel('Backup file (.orpheus)')
    .setInputFiles({ name, mimeType: 'application/zip', buffer: Buffer.from(buffer) });
}

/** The name of the first member holding a store's records. */
function memberOf(files: Record<string, Uint8Array>, store: string): string {
  return Object.keys(files).find((n) => n.startsWith(`records/${store}/`))!;
}

function alter(bytes: Uint8Array, change: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(bytes);
  change(files);
  return zipSync(files);
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('restore: bad files, names, one model, keep both, a full disk', () => {
  it('names the problem of each bad file and changes nothing; names with HTML stay text', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">tree';
    const a = await session();
    await trainOnSample(a.page, 'Iris', evil);
    const bytes = new Uint8Array(await downloadBackup(a));

    const b = await session();
    await b.page.goto(`${b.baseUrl}/#/backup`);
    const empty = await dumpStore(b.page);
    const models = memberOf(unzipSync(bytes), 'models');
    const withManifest = (change: (m: Record<string, unknown>) => void): Uint8Array =>
      alter(bytes, (f) => {
        const m = JSON.parse(text(f['manifest.json']!)) as Record<string, unknown>;
        change(m);
        f['manifest.json'] = strToU8(JSON.stringify(m));
      });
    /** A records member rewritten, with its checksum updated so only the records are wrong. */
    const withRecords = (change: (json: string) => string): Uint8Array => {
      const files = unzipSync(bytes);
      files[models] = strToU8(change(text(files[models]!)));
      return withManifestOf(files);
    };
    const withManifestOf = (files: Record<string, Uint8Array>): Uint8Array => {
      const m = JSON.parse(text(files['manifest.json']!)) as { members: Record<string, string> };
      const sum = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
      for (const name of Object.keys(m.members)) m.members[name] = sum(files[name]!);
      files['manifest.json'] = strToU8(JSON.stringify(m));
      return zipSync(files);
    };
    // One flipped byte inside a member's content (the manifest left as it was).
    const flipped = alter(bytes, (f) => {
      f[models]![10]! ^= 0x01;
    });
    const declared = zipSync(unzipSync(bytes));
    const view = new DataView(declared.buffer);
    for (let i = 0; i < declared.length - 4; i++)
      if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, 1_000_000_000, true);

    const cases: [string, Uint8Array, RegExp][] = [
      ['empty', new Uint8Array(0), /The file is empty/],
      ['not a zip', strToU8('<script>alert(1)</script>'), /not a zip file/],
      ['truncated', bytes.slice(0, bytes.length - 100), /damaged or cut short/],
      ['flipped byte', flipped, /does not match its checksum: the file is damaged/],
      [
        'wrong checksum',
        withManifest((m) => {
          const members = m['members'] as Record<string, string>;
          members[models] = '0'.repeat(64);
        }),
        /does not match its checksum/,
      ],
      ['future version', withManifest((m) => (m['version'] = 99)), /format version 99/],
      [
        'missing member',
        alter(bytes, (f) => delete f[models]),
        /listed in the manifest is missing/,
      ],
      [
        'wrong type',
        withRecords((j) => {
          const records = JSON.parse(j) as Record<string, unknown>[];
          records[0]!['name'] = 42;
          return JSON.stringify(records);
        }),
        /the field "name"/,
      ],
      ['extra field', withRecords((j) => j.replace(/^\[\{/, '[{"extra":1,')), /record 1/],
      [
        '__proto__',
        withRecords((j) => j.replace(/^\[\{/, '[{"__proto__":{"polluted":1},')),
        /field named "__proto__"/,
      ],
      [
        'constructor',
        withRecords((j) => j.replace(/^\[\{/, '[{"constructor":{"prototype":{"polluted":1}},')),
        /field named "constructor"/,
      ],
      ['1 GB declared', declared, /says it unpacks to 1000 MB/],
    ];
    for (const [name, file, message] of cases) {
      await open(b.page, `${name}.orpheus`, file);
      await waitText(b.page.getByTestId('restore-error'), message);
      expect(await dumpStore(b.page), name).toBe(empty);
    }
    expect(await b.page.evaluate(() => ({}) as Record<string, unknown>)).toEqual({});
    expect(await b.page.evaluate(() => (({}) as Record<string, unknown>)['polluted'])).toBe(
      undefined,
    );

    // The good file: the model's name is shown as the text it is.
    await open(b.page, 'good.orpheus', bytes);
    await b.page.getByTestId('restore-preview').waitFor();
    await b.page.getByRole('button', { name: 'Add the new records (keep what is here)' }).click();
    await waitText(b.page.getByTestId('restore-result'), /records were added/);
    await b.page.goto(`${b.baseUrl}/#/models`);
    await b.page.getByRole('link', { name: evil }).waitFor();
    expect(await b.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(b.errors).toEqual([]);
  });

  it('saves one model to a chosen file, restores it elsewhere, and keeps both on a conflict', async () => {
    const a = await openBrowser();
    sessions.push(a);
    // A stand-in for the browser's save dialog: the file's pieces are kept in the page.
    await a.context.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      const saved: Uint8Array[] = [];
      w['__saved'] = saved;
      w['showSaveFilePicker'] = (o: { suggestedName: string }) => {
        w['__savedName'] = o.suggestedName;
        return Promise.resolve({
          createWritable: () =>
            Promise.resolve({
              write: (c: Uint8Array) => Promise.resolve(void saved.push(new Uint8Array(c))),
              close: () => Promise.resolve(void (w['__savedClosed'] = true)),
              abort: () => Promise.resolve(),
            }),
        });
      };
    });
    await startAs(a, 'Kim');
    await trainOnSample(a.page, 'Iris', 'Iris tree');
    await a.page
      .getByTestId('train-result')
      .getByRole('link', { name: /Open Iris tree v1/ })
      .click();
    await a.page.getByTestId('metadata').waitFor();
    const versionUrl = a.page.url();
    await trainOnSample(a.page, 'Palmer penguins', 'Penguin tree');

    await a.page.goto(`${a.baseUrl}/#/backup`);
    await a.page
      .getByLabel('What to back up')
      .selectOption({ label: 'Only Iris tree, with its data, studies and predictions' });
    await a.page.getByRole('button', { name: 'Save a backup to a file…' }).click();
    await waitText(a.page.getByTestId('export-result'), /to the file you chose/);
    const saved = await a.page.evaluate(() => {
      const w = window as unknown as {
        __saved: Uint8Array[];
        __savedName: string;
        __savedClosed: boolean;
      };
      const all = w.__saved.flatMap((c) => Array.from(c));
      return { bytes: all, name: w.__savedName, closed: w.__savedClosed };
    });
    expect(saved.closed).toBe(true);
    expect(saved.name).toMatch(/^orpheus-Iris_tree-.*\.orpheus$/);
    const file = new Uint8Array(saved.bytes);

    // Another browser: only the one model and its data come in.
    const b = await session('Lee');
    await b.page.goto(`${b.baseUrl}/#/backup`);
    await open(b.page, saved.name, file);
    await b.page.getByTestId('restore-preview').waitFor();
    await b.page.getByRole('button', { name: 'Add the new records (keep what is here)' }).click();
    await waitText(b.page.getByTestId('restore-result'), /records were added/);
    await b.page.goto(`${b.baseUrl}/#/models`);
    await b.page.getByRole('link', { name: 'Iris tree' }).waitFor();
    expect(await b.page.getByRole('link', { name: 'Penguin tree' }).count()).toBe(0);

    // Back in the first browser, the model changes (a note), then the file is merged: keep both.
    await a.page.goto(versionUrl);
    await a.page.getByLabel('Note', { exact: true }).fill('changed after the backup');
    await a.page.getByRole('button', { name: 'Save note' }).click();
    await a.page
      .getByText('Note saved')
      .or(a.page.getByText('changed after the backup'))
      .first()
      .waitFor();
    await a.page.goto(`${a.baseUrl}/#/backup`);
    await open(a.page, saved.name, file);
    await waitText(a.page.getByTestId('restore-conflicts'), /model “Iris tree”/);
    await a.page.getByLabel(/Keep both/).check();
    await a.page.getByRole('button', { name: 'Add the new records (keep what is here)' }).click();
    await waitText(a.page.getByTestId('restore-result'), /as copies/);
    await a.page.goto(`${a.baseUrl}/#/models`);
    await a.page.getByRole('link', { name: 'Iris tree (copy from backup)' }).waitFor();
    await a.page.getByRole('link', { name: 'Iris tree', exact: true }).waitFor();
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it('a full disk: the save fails with a message, nothing is written, a backup is offered', async () => {
    const s = await session();
    await s.page.goto(`${s.baseUrl}/#/data`);
    await s.page.getByRole('button', { name: 'Iris' }).click();
    await s.page.getByText('150 rows × 5 columns').waitFor();
    const before = await dumpStore(s.page);
    // The browser refuses every write as a full disk does (DevTools' quota override does not
    // limit IndexedDB in this Chromium, so the refusal itself is stood in for).
    await s.page.evaluate(() => {
      const full = (): never => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      IDBObjectStore.prototype.add = full;
      IDBObjectStore.prototype.put = full;
    });
    await s.page.getByRole('button', { name: 'Save as a new dataset' }).click();
    const banner = s.page.getByTestId('storage-full');
    await waitText(banner, /no room left for Orpheus data/);
    expect(await dumpStore(s.page)).toBe(before);
    const download = s.page.waitForEvent('download');
    await banner.getByRole('button', { name: 'Download a backup' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.orpheus$/);
    expect(s.errors).toEqual([]);
  });
});
