// The lint gate: zero warnings. Besides the usual rules it enforces the layer rule of
// ARCHITECTURE.md: arrows only point down (ui → app → store/workers → core).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

/** Import patterns a layer may not use. */
const forbid = (message, ...groups) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
});

const CORE_MESSAGE =
  'src/core is the pure domain: it imports npm libraries only, never the store, app, ui, workers, Svelte, Comlink or idb.';
const UI_MESSAGE =
  'src/ui talks to use cases in src/app (and core types); it never reaches the store or the workers directly.';
const STORE_MESSAGE = 'src/store sits under the app: it may import src/core only.';
const WORKER_MESSAGE =
  'workers/ are thin endpoints over src/core; they never import the store, app or ui.';

export default ts.config(
  { ignores: ['dist/', 'dev-dist/', 'node_modules/', '.test-results/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: { globals: { ...globals.browser, __APP_VERSION__: 'readonly' } },
    rules: {
      'no-console': ['error', { allow: ['warn', 'error'] }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['src/core/**'],
    rules: forbid(
      CORE_MESSAGE,
      '**/store/**',
      '**/app/**',
      '**/ui/**',
      '**/workers/**',
      'svelte',
      'svelte/*',
      'comlink',
      'idb',
      '*.svelte',
    ),
  },
  {
    files: ['src/store/**'],
    rules: forbid(STORE_MESSAGE, '**/app/**', '**/ui/**', '**/workers/**', 'svelte', 'comlink'),
  },
  {
    files: ['workers/**'],
    rules: forbid(WORKER_MESSAGE, '**/store/**', '**/app/**', '**/ui/**', 'svelte', 'idb'),
  },
  {
    files: ['src/ui/**'],
    rules: forbid(UI_MESSAGE, '**/store/**', '**/workers/**', 'idb', 'comlink'),
  },
  {
    files: ['scripts/**', 'tests/**', '*.config.*', '.dependency-cruiser.cjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: { 'no-console': 'off' },
  },
);
