/**
 * The import graph of Orpheus must have no cycle, type-only imports included (`npm test` runs
 * `depcruise` with this file; tests/unit/cycles.test.ts proves the rule fires).
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'Modules import each other in a circle: move the shared part into a leaf module.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.app.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.svelte', '.svelte.ts'] },
  },
};
