import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/** Unit tests: Node, with fake-indexeddb standing in for the browser's IndexedDB. */
export default defineConfig({
  plugins: [svelte()],
  define: { __APP_VERSION__: JSON.stringify('test'), __ML_CART_VERSION__: JSON.stringify('test') },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['fake-indexeddb/auto'],
    // The machines are shared and noisy: a test that takes 4.6 s alone (the hostile-backup one)
    // must not fail at vitest's default of 5 s when the machine is busy. No test times itself.
    testTimeout: 30_000,
  },
});
