/**
 * What the first visit downloads: builds the app, then follows the built index.html's script
 * and module preloads through their static imports. Prints:
 *   BENCH initial_js_gzip_kb <KB>       (JavaScript loaded before any screen is opened, gzipped)
 *   BENCH first_screen_js_gzip_kb <KB>  (the same plus the Data screen, which opens first)
 *   BENCH precache_kb <KB>              (everything the service worker precaches, as stored)
 *   BENCH largest_chunk_gzip_kb <KB> <file>
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = 'dist';
const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
if (built.status !== 0) throw new Error('vite build failed');

const assets = join(DIST, 'assets');
const gz = (file: string): number => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;
const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

/** A chunk's static imports (`import … from "./x.js"`, `export … from "./x.js"`), as dist paths. */
function staticImports(file: string): string[] {
  const code = readFileSync(join(DIST, file), 'utf8');
  const out: string[] = [];
  for (const m of code.matchAll(
    /(?:^|[;}\n])\s*(?:import|export)\s*(?:[\w*{}\s,$]*?\s*from\s*)?["'](\.\/[^"']+\.js)["']/g,
  ))
    out.push(join('assets', m[1]!.slice(2)));
  return out;
}

function closure(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...entries];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...staticImports(f));
  }
  return seen;
}

const html = readFileSync(join(DIST, 'index.html'), 'utf8');
const entries = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
const initial = closure(entries);
const sum = (files: Iterable<string>): number => [...files].reduce((n, f) => n + gz(f), 0);
console.log(`BENCH initial_js_gzip_kb ${kb(sum(initial))} (${initial.size} files)`);

const dataScreen = readdirSync(assets).find((f) => /^DataScreen-.*\.js$/.test(f));
if (dataScreen) {
  const first = closure([...initial, join('assets', dataScreen)]);
  console.log(`BENCH first_screen_js_gzip_kb ${kb(sum(first))} (${first.size} files)`);
}

const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
const urls = [...sw.matchAll(/url:"([^"]+)"/g)].map((m) => m[1]!);
const precached = urls.reduce((n, u) => n + statSync(join(DIST, u)).size, 0);
console.log(`BENCH precache_kb ${kb(precached)} (${urls.length} entries)`);

const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
const largest = js.map((f) => [f, gz(join('assets', f))] as const).sort((a, b) => b[1] - a[1])[0]!;
console.log(`BENCH largest_chunk_gzip_kb ${kb(largest[1])} ${largest[0]}`);
