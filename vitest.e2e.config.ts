import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: real Debian Chromium driven by playwright-core against `vite preview` of
 * the built app. One file at a time, so two cores are enough.
 */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/setup/preview.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The machines are shared and noisy: a poll waits for what the page does, never races it.
    expect: { poll: { timeout: 15_000 } },
  },
});
