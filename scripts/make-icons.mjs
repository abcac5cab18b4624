// Renders the SVG icons in public/icons to the PNG sizes the manifest lists, with the
// system Chromium. Run by hand when the icon changes: node scripts/make-icons.mjs
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { launchOptions } from './chromium.mjs';

const jobs = [
  ['icon.svg', 'icon-64.png', 64],
  ['icon.svg', 'icon-192.png', 192],
  ['icon.svg', 'icon-512.png', 512],
  ['maskable.svg', 'maskable-512.png', 512],
  ['maskable.svg', 'apple-touch-icon-180.png', 180],
];

const browser = await chromium.launch(launchOptions());
const page = await browser.newPage();
for (const [src, out, size] of jobs) {
  const svg = await readFile(new URL(`../public/icons/${src}`, import.meta.url), 'utf8');
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">` +
      `<img style="width:${size}px;height:${size}px;display:block" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body></html>`,
  );
  await page.screenshot({
    path: new URL(`../public/icons/${out}`, import.meta.url).pathname,
    omitBackground: true,
  });
}
await browser.close();
