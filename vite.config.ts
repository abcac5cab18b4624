/// <reference types="vitest/config" />
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import pkg from './package.json' with { type: 'json' };
import mlCart from './node_modules/ml-cart/package.json' with { type: 'json' };

/** The file extension and MIME type of Orpheus backups (see the backup screen). */
const BACKUP_MIME = 'application/x-orpheus';

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
    // The tree format and predictor every saved version names, for the environment check.
    __ML_CART_VERSION__: JSON.stringify(mlCart.version),
  },
  plugins: [
    svelte(),
    VitePWA({
      // A new version waits for the person to reload: a long training must not be killed.
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icons/icon.svg', 'icons/apple-touch-icon-180.png'],
      manifest: {
        name: 'Orpheus — model management in your browser',
        short_name: 'Orpheus',
        description:
          'Version datasets and models of ten families, search settings, compare and monitor them: offline, in the browser.',
        id: '/',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f7f7fb',
        theme_color: '#3b3486',
        categories: ['education', 'productivity', 'utilities'],
        icons: [
          { src: 'icons/icon-64.png', sizes: '64x64', type: 'image/png' },
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: 'icons/maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
          { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
        file_handlers: [{ action: '/', accept: { [BACKUP_MIME]: ['.orpheus'] } }],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest,csv,json}'],
        // The first visit is controlled at once, so it works offline without a reload;
        // later versions wait (no skipWaiting) until the person chooses to reload.
        clientsClaim: true,
        skipWaiting: false,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
      },
      devOptions: { enabled: false },
    }),
  ],
  worker: {
    format: 'es',
  },
  optimizeDeps: {
    include: ['ml-cart', 'comlink', 'idb'],
  },
  build: {
    target: 'es2022',
    sourcemap: true,
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    strictPort: true,
  },
});
