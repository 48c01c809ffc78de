import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, STACK_FRAME } from '../support/cli';
import { makeTmpHome } from '../support/tmp-home';
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

describe('a registry that lost its document, through the CLI as a hostile user would', () => {
  const cliRun = (home: string, ...args: string[]) => runCli(home, args);

  it('refuses to list or show, names the file and how to recover; rebuild brings back every version and the rolled-back champion', async () => {
    const w = await makeWorld('stable');
    worlds.push(w);
    const m = TEST_RUN_CONFIG.model;
    await trainChampionFromBaseline(
      w.deps,
      { modelType: m.modelType, nEstimators: 3, maxDepth: 6, minSamplesLeaf: 1, seed: 1 },
      { source: { workflowId: 'test', runId: 'second' } },
    );
    expect((await cliRun(w.home, 'registry', 'rollback')).code).toBe(0);
    const before = await w.deps.registry.snapshot();
    expect(before.aliases).toEqual({ champion: 1, previous_champion: 2 });
    const doc = join(w.home, 'artifacts', 'registry', 'registry.json');

    // Deleted: an error naming the file and the way back, exit 1, no stack trace.
    rmSync(doc);
    for (const args of [
      ['registry', 'list'],
      ['registry', 'show'],
    ]) {
      const r = await cliRun(w.home, ...args);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^error: registry document missing while artifacts\/registry\/summary\.json and 2 model version record\(s\) .* and 2 champion model artifact\(s\) .* exist: recover with `bike-retrain registry rebuild`.*\(file .*registry\.json\)\n$/,
      );
      expect(r.stderr).not.toMatch(STACK_FRAME);
    }
    // Nothing may be promoted into the void meanwhile: a full retrain is refused before it trains.
    await expect(
      trainChampionFromBaseline(w.deps, { modelType: 'rf', nEstimators: 2, maxDepth: 4, minSamplesLeaf: 1, seed: 3 }),
    ).rejects.toThrow(/registry document missing/);

    const rebuilt = await cliRun(w.home, 'registry', 'rebuild');
    expect(rebuilt.stderr).toBe('');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(
      /^rebuilt .*registry\.json from 2 model version record\(s\) and artifacts\/registry\/summary\.json \(the champion\):\n {2}v1 .* champion\n {2}v2 .* previous_champion\n$/,
    );
    const after = await w.deps.registry.snapshot();
    expect(after.versions).toEqual(before.versions);
    expect(after.aliases).toEqual(before.aliases);
    expect((await cliRun(w.home, 'registry', 'list')).stdout).toMatch(/^v1 .* champion\nv2 .* previous_champion\n$/);

    // A readable registry is never replaced.
    const again = await cliRun(w.home, 'registry', 'rebuild');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^error: the registry document .*registry\.json is readable and holds 2 version\(s\): nothing to rebuild/,
    );

    // Truncated: named, kept aside by the rebuild.
    writeFileSync(doc, readFileSync(doc, 'utf8').slice(0, 100));
    const truncated = await cliRun(w.home, 'registry', 'list');
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(
      /^error: registry document: unreadable JSON .*`bike-retrain registry rebuild`.*\(file .*registry\.json\)\n$/,
    );
    const fromDamaged = await cliRun(w.home, 'registry', 'rebuild');
    expect(fromDamaged.code).toBe(0);
    expect(fromDamaged.stdout).toMatch(/^the damaged registry document is kept as .*registry\.json\..*\.bak\n/);
    expect((await w.deps.registry.snapshot()).versions).toEqual(before.versions);

    // summary.json alone: completed from the model artifacts' metadata.
    rmSync(doc);
    rmSync(join(w.home, 'artifacts', 'models', 'versions'), { recursive: true });
    const fromSummary = await cliRun(w.home, 'registry', 'rebuild');
    expect(fromSummary.code).toBe(0);
    expect(fromSummary.stdout).toContain(
      'from artifacts/registry/summary.json (2 version(s), completed from their model artifacts)',
    );
    const s = await w.deps.registry.snapshot();
    expect(s.aliases).toEqual({ champion: 1, previous_champion: 2 });
    s.versions.forEach((v, i) => {
      const b = before.versions[i];
      expect(v).toMatchObject({
        version: b.version,
        modelUri: b.modelUri,
        modelType: b.modelType,
        createdAt: b.createdAt,
        source: b.source,
        featurePipelineVersion: b.featurePipelineVersion,
        hyperparameters: b.hyperparameters,
        trainingSources: b.trainingSources,
        env: b.env,
      });
      expect(v.trainingData.baseline).toEqual(b.trainingData.baseline);
      expect(v.metrics.baseline!.r2).toBe(b.metrics.baseline!.r2);
    });

    // The model artifacts alone: numbered in the order they were written, the latest champion.
    rmSync(doc);
    rmSync(join(w.home, 'artifacts', 'models', 'versions'), { recursive: true });
    rmSync(join(w.home, 'artifacts', 'registry', 'summary.json'));
    const fromModels = await cliRun(w.home, 'registry', 'rebuild');
    expect(fromModels.code).toBe(0);
    expect(fromModels.stdout).toContain('from 2 champion model artifact(s), numbered in the order they were written');
    const fm = await w.deps.registry.snapshot();
    expect(fm.versions.map((v) => v.modelUri)).toEqual(before.versions.map((v) => v.modelUri));
    expect(fm.versions.map((v) => v.hyperparameters)).toEqual(before.versions.map((v) => v.hyperparameters));
    expect(fm.aliases).toEqual({ champion: 2, previous_champion: 1 });
  }, 180_000);

  it('a truly empty registry says so; rebuild says there is nothing to rebuild from', async () => {
    const { home, cleanup } = makeTmpHome();
    try {
      const list = await cliRun(home, 'registry', 'list');
      expect(list).toMatchObject({ code: 0, stderr: '' });
      expect(list.stdout).toMatch(/^no model versions yet/);
      const r = await cliRun(home, 'registry', 'rebuild');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: nothing to rebuild .*registry\.json from: no model version records/);
      expect(r.stderr).not.toMatch(STACK_FRAME);
    } finally {
      cleanup();
    }
  });
});
