// npm start: install what is needed, build the app, and serve it on http://127.0.0.1:4173
import { ensureDependencies, run } from './deps.mjs';

ensureDependencies();
if (run('npx', ['vite', 'build']) !== 0) process.exit(1);
console.log('\nOrpheus is served at http://127.0.0.1:4173 — press Ctrl+C to stop.\n');
process.exit(
  run('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', '4173', '--strictPort']),
);
