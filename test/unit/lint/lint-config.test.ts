import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'lint');

/**
 * The lint configuration is part of the architecture: these fixtures prove it
 * refuses what it claims to refuse (fixtures are outside the normal lint run).
 */
describe('the lint configuration', () => {
  it('ESLint refuses an import cycle', async () => {
    const { ESLint } = await import('eslint');
    const eslint = new ESLint({ cwd: ROOT, ignore: false });
    const [result] = await eslint.lintFiles([join(FIXTURES, 'cycle', 'a.ts')]);
    expect(result.messages.map((m) => m.ruleId)).toContain('import-x/no-cycle');
  });

  it('ESLint refuses node:fs and storage implementations in activities', async () => {
    const { ESLint } = await import('eslint');
    const eslint = new ESLint({ cwd: ROOT });
    const code = [
      "import { readFile } from 'node:fs/promises';",
      "import { DuckDbWarehouse } from '../storage/duckdb-warehouse';",
      "import type { Warehouse } from '../storage/warehouse';",
      'export const x = [readFile, DuckDbWarehouse] as unknown as Warehouse;',
    ].join('\n');
    // Linted as if it were an activity's source (the path must belong to the TypeScript project).
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, 'src', 'activities', 'write-audit.ts') });
    const restricted = result.messages.filter((m) => m.ruleId === 'no-restricted-imports');
    expect(restricted.map((m) => m.line)).toEqual([1, 2]);
  });

  it('dependency-cruiser refuses a cycle made of type-only imports', () => {
    const run = spawnSync(
      join(ROOT, 'node_modules', '.bin', 'depcruise'),
      ['test/fixtures/lint/type-cycle', '--config', 'test/fixtures/lint/type-cycle/dependency-cruiser.cjs'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(run.status).not.toBe(0);
    expect(run.stdout).toMatch(/error no-cycle: test\/fixtures\/lint\/type-cycle\/a\.ts/);
  });
});
