// A checkout's `npm run build` output for benchmarks that run the CLI compiled, as the installed bin and the
// Docker image do (bench/import.ts, bench/weekly.ts), never into the tree's own dist/ (which would switch
// bin/bike-retrain.js of that checkout to it).
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** This checkout: its node_modules and TypeScript compile every tree. */
const ROOT = join(__dirname, '..');

/**
 * Compiles `tree` with its own tsconfig.build.json into <tmpdir>/bike-retrain-bench/compiled-<label>/dist, beside
 * a link to node_modules (where the compiled modules look for their packages); rebuilt on each call (the new tree
 * changes between runs). Returns the compiled CLI's entry (dist/cli/main.js).
 */
export function compileTree(tree: string, label: string): string {
  const dir = join(tmpdir(), 'bike-retrain-bench', `compiled-${label}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules'));
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', join(dir, 'dist')],
    { cwd: tree, stdio: 'inherit' },
  );
  return join(dir, 'dist', 'cli', 'main.js');
}
