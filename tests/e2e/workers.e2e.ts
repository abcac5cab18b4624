import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, startAs, type Session } from './browser';

let s: Session;
beforeEach(async () => {
  s = await openBrowser();
});
afterEach(async () => {
  await s.close();
});

describe('the worker pool', () => {
  it('runs a job with progress, cancels another mid-way, and the page stays responsive', async () => {
    await startAs(s, 'Pat');
    await s.page.goto(`${s.baseUrl}/#/settings`);
    const status = s.page.getByTestId('worker-check');
    const run = s.page.getByRole('button', { name: 'Run worker check' });
    const size = s.page.getByLabel('Numbers to check');

    // A job that finishes, with progress seen on the way and the right answer.
    await size.fill('2000000');
    await run.click();
    await s.page.getByRole('progressbar', { name: 'Worker check progress' }).waitFor();
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    expect(await status.innerText()).toContain('148,933 primes below 2,000,000');

    // A long job: progress moves, the page answers clicks, then it is cancelled mid-way.
    await size.fill('200000000');
    await run.click();
    const bar = s.page.getByRole('progressbar', { name: 'Worker check progress' });
    await expect.poll(async () => Number(await bar.getAttribute('value'))).toBeGreaterThan(0);
    const responsive = s.page.getByTestId('responsive-button');
    await responsive.click();
    await responsive.click();
    expect(await responsive.innerText()).toContain('Page responds: 2');
    expect(await status.getAttribute('data-state')).toBe('running');
    const doneBefore = Number(await bar.getAttribute('value'));
    expect(doneBefore).toBeLessThan(50);
    await s.page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => status.getAttribute('data-state')).toBe('cancelled');
    expect(await status.innerText()).toContain('Cancelled');

    // The cancelled worker was replaced: the next job runs.
    await size.fill('100000');
    await run.click();
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    expect(await status.innerText()).toContain('9,592 primes below 100,000');
    expect(s.errors).toEqual([]);
  });
});
