/**
 * Backup and restore of a generated store of about 100 MB (20 datasets of 100,000 rows × 5
 * numbers, 10,000 model versions, 100,000 trials) in Chromium with its real IndexedDB, the
 * code served by Vite. Prints:
 *   BENCH export_mb_per_s <x>        (MB of records per second, store → backup file)
 *   BENCH import_mb_per_s <x>        (file → checked and previewed → restored into an empty store)
 *   BENCH restore_write_ratio_vs_raw_indexeddb <x> (restore time / the browser's IndexedDB
 *                                     putting the same trials and versions with nothing else to do)
 *   BENCH backup_100mb_peak_mb <MB>  (peak JavaScript heap of the page during export and import,
 *                                     above what it held before; the store itself lives in the
 *                                     browser's database process, the file in its blob storage)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { ensureChromium, launchOptions } from '../../scripts/chromium.mjs';

ensureChromium();
const server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
await server.listen();
const url = server.resolvedUrls!.local[0]!;
const dir = await mkdtemp(join(tmpdir(), 'orpheus-bench-'));
const context = await chromium.launchPersistentContext(dir, launchOptions());
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(0);
await page.goto(`${url}tests/bench/page/backup.html`);
const cdp = await context.newCDPSession(page);

type Bench = typeof import('./page/backup');
type Fn = 'generate' | 'exportStore' | 'importStore' | 'rawPuts';
const call = <K extends Fn>(name: K, scale = 1): Promise<Awaited<ReturnType<Bench[K]>>> =>
  page.evaluate(
    async ([n, k]) => {
      const m = (await import('/tests/bench/page/backup.ts' as string)) as Bench;
      return (m[n as K] as (scale: number) => Promise<unknown>)(k as number);
    },
    [name, scale] as const,
  ) as Promise<Awaited<ReturnType<Bench[K]>>>;

/** Peak JS heap above the starting level while `work` runs, sampled every 50 ms. */
async function peakDuring<T>(work: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const base = (await cdp.send('Runtime.getHeapUsage')).usedSize;
  let peak = base;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, (await cdp.send('Runtime.getHeapUsage')).usedSize);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const value = await work();
  running = false;
  await sampler;
  return { value, peakMb: (peak - base) / 1e6 };
}

// Half the store first: the page's peak memory should not grow with the store's size.
await call('generate', 0.5);
const halfExp = await peakDuring(() => call('exportStore', 0.5));
const halfImp = await peakDuring(() => call('importStore', 0.5));
const halfPeak = Math.max(halfExp.peakMb, halfImp.peakMb);

const bytes = await call('generate');
const mb = bytes / 1e6;
const exp = await peakDuring(() => call('exportStore'));
const imp = await peakDuring(() => call('importStore'));
const raw = await call('rawPuts');
if (imp.value.trials !== 100_000) throw new Error('the restore lost trials');
const importS = imp.value.check + imp.value.restore;

console.log(
  `BENCH export_mb_per_s ${(mb / exp.value.seconds).toFixed(1)} MB/s (${mb.toFixed(0)} MB of records in ${exp.value.seconds.toFixed(1)} s; file ${(exp.value.file / 1e6).toFixed(0)} MB; target ≥ 20)`,
);
console.log(
  `BENCH import_mb_per_s ${(mb / importS).toFixed(1)} MB/s (${importS.toFixed(1)} s: check and preview ${imp.value.check.toFixed(1)} s, restore ${imp.value.restore.toFixed(1)} s; target ≥ 20)`,
);
console.log(
  `BENCH restore_write_ratio_vs_raw_indexeddb ${(imp.value.restore / raw.seconds).toFixed(2)} (restore ${imp.value.restore.toFixed(1)} s vs the browser's IndexedDB putting just the trials and model versions, ${(raw.bytes / 1e6).toFixed(0)} MB, in one transaction: ${raw.seconds.toFixed(1)} s)`,
);
console.log(
  `BENCH backup_100mb_peak_mb ${Math.max(exp.peakMb, imp.peakMb).toFixed(0)} MB (page heap above its start: export ${exp.peakMb.toFixed(0)} MB, import ${imp.peakMb.toFixed(0)} MB; largest member ${(exp.value.largest / 1e6).toFixed(1)} MB; the same store at half size: ${halfPeak.toFixed(0)} MB)`,
);
await context.close();
await server.close();
await rm(dir, { recursive: true, force: true });
