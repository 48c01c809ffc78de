import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { makeWorld, TEST_RUN_CONFIG, type TestWorld } from '../support/world';
import { trainChampionFromBaseline } from '../../src/champion/train-champion';

const worlds: TestWorld[] = [];
afterAll(() => worlds.forEach((w) => w.cleanup()));

function cli(home: string, ...args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, '../../src/cli/main.ts'), ...args], {
    env: { ...process.env, BIKE_RETRAIN_HOME: home },
    encoding: 'utf8',
  });
}

it('rolls back to the previous champion through the CLI, and the rollback is audited', async () => {
  const w = await makeWorld('stable');
  worlds.push(w);
  const m = TEST_RUN_CONFIG.model;
  await trainChampionFromBaseline(
    w.deps,
    { modelType: m.modelType, nEstimators: 3, maxDepth: 6, minSamplesLeaf: 1, seed: 1 },
    { source: { workflowId: 'test', runId: 'second' } },
  );
  expect((await w.deps.registry.champion())!.version).toBe(2);

  expect(cli(w.home, 'registry', 'rollback')).toMatch(/champion is now v1 \(was v2\); audited/);
  expect((await w.deps.registry.champion())!.version).toBe(1);
  expect((await w.deps.registry.snapshot()).aliases).toEqual({ champion: 1, previous_champion: 2 });
  const list = cli(w.home, 'registry', 'list');
  expect(list).toMatch(/v1 .* champion/);
  expect(list).toMatch(/v2 .* previous_champion/);

  const audit = cli(w.home, 'audit');
  expect(audit).toMatch(/registry-rollback .* rollback/);
  expect(audit).toMatch(/1 runs: .* 1 rollbacks/);
  const [row] = await w.deps.warehouse.listAudit();
  expect(row).toMatchObject({ decision: 'rollback', championVersion: 2, challengerVersion: 1 });
}, 120_000);
