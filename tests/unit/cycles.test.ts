import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cruise, type ICruiseOptions } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

/** The import graph rule of ARCHITECTURE.md (no cycle, type-only imports included), as the gate runs it. */
const config = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as {
  forbidden: NonNullable<ICruiseOptions['ruleSet']>['forbidden'];
  options: ICruiseOptions;
};

async function cycles(paths: string[]): Promise<string[]> {
  const result = await cruise(paths, {
    ...config.options,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  });
  const output = result.output as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return output.summary.violations
    .filter((v) => v.rule.name === 'no-cycle')
    .map((v) => `${v.from} → ${v.to}`);
}

describe('cycle rule', () => {
  it('fires on a planted cycle of type-only imports, and in a Svelte component', async () => {
    mkdirSync('.test-results', { recursive: true });
    const dir = mkdtempSync(join('.test-results', 'cycle-'));
    writeFileSync(join(dir, 'a.ts'), "import type { B } from './b';\nexport type A = { b: B };\n");
    writeFileSync(join(dir, 'b.ts'), "import type { A } from './a';\nexport type B = { a: A };\n");
    writeFileSync(join(dir, 'c.ts'), "export { default as View } from './View.svelte';\n");
    writeFileSync(
      join(dir, 'View.svelte'),
      '<script lang="ts">\n  import { View } from \'./c\';\n  void View;\n</script>\n',
    );
    const found = await cycles([dir]);
    expect(found.some((c) => c.endsWith('a.ts → ' + join(dir, 'b.ts').replaceAll('\\', '/')))).toBe(
      true,
    );
    expect(found.some((c) => c.includes('View.svelte'))).toBe(true);
  }, 60_000);

  it('finds none in src and workers', async () => {
    expect(await cycles(['src', 'workers'])).toEqual([]);
  }, 60_000);
});
