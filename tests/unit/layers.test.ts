import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layer rule of ARCHITECTURE.md, as the lint gate enforces it. */
const eslint = new ESLint({ cwd: process.cwd() });

async function ruleMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('layer rule', () => {
  it('keeps src/core free of the store, the app, Svelte, Comlink and idb', async () => {
    const code = [
      "import { Store } from '../store/db';",
      "import { mount } from 'svelte';",
      "import { wrap } from 'comlink';",
      "import { openDB } from 'idb';",
      'export const all = [Store, mount, wrap, openDB];',
    ].join('\n');
    expect(await ruleMessages('src/core/example.ts', code)).toHaveLength(4);
  });

  it('keeps src/ui away from the store and the workers', async () => {
    const code = [
      "import { Store } from '../../store/db';",
      "import { WorkerPool } from '../../../workers/pool';",
      'export const all = [Store, WorkerPool];',
    ].join('\n');
    expect(await ruleMessages('src/ui/settings/example.ts', code)).toHaveLength(2);
  });

  it('lets each layer import the layers below it', async () => {
    expect(
      await ruleMessages(
        'src/ui/example.ts',
        "import { Orpheus } from '../app/orpheus.svelte';\nexport { Orpheus };",
      ),
    ).toEqual([]);
    expect(
      await ruleMessages(
        'src/app/example.ts',
        "import { Store } from '../store/db';\nexport { Store };",
      ),
    ).toEqual([]);
    expect(
      await ruleMessages(
        'workers/example.worker.ts',
        "import { countPrimes } from '../src/core/smoke';\nexport { countPrimes };",
      ),
    ).toEqual([]);
  });
});
