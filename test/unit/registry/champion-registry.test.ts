import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BadInputError, PromotionConflictError } from '../../../src/core/errors';
import { ChampionRegistry, type ModelVersion, type RegistryDoc } from '../../../src/registry/champion-registry';
import { openArtifactStore, openRegistryDocument } from '../../../src/storage';
import { makeTmpHome } from '../../support/tmp-home';

const { home, cleanup } = makeTmpHome();
afterAll(cleanup);

function candidate(runId: string): Omit<ModelVersion, 'version'> {
  return {
    modelUri: `file:///models/${runId}.brf`,
    modelType: 'rf',
    createdAt: '2026-11-01T00:00:00.000Z',
    source: { workflowId: 'wf', runId },
    featurePipelineVersion: 'v1',
    hyperparameters: {},
    trainingData: {},
    metrics: { baseline: { rmse: 10, mae: 5, r2: 0.8, rows: 100 } },
    env: 'test',
    testMode: false,
  };
}

describe('ChampionRegistry', () => {
  const registry = new ChampionRegistry(openRegistryDocument<RegistryDoc>(home), openArtifactStore(home));

  it('promotes atomically, keeps the previous champion, and is idempotent per source run', async () => {
    const first = await registry.promote({ candidate: candidate('r1'), expectedChampion: null, at: 't1' });
    expect(first).toEqual({ version: 1, previousChampion: null, changed: true });
    const second = await registry.promote({ candidate: candidate('r2'), expectedChampion: 1, at: 't2' });
    expect(second).toEqual({ version: 2, previousChampion: 1, changed: true });
    const retry = await registry.promote({ candidate: candidate('r2'), expectedChampion: 1, at: 't3' });
    expect(retry).toEqual({ version: 2, previousChampion: 1, changed: false });
    const d = await registry.snapshot();
    expect(d.aliases).toEqual({ champion: 2, previous_champion: 1 });
    expect(d.versions).toHaveLength(2);
    const summary = JSON.parse(readFileSync(join(home, 'artifacts/registry/summary.json'), 'utf8')) as {
      is_champion: boolean;
    }[];
    expect(summary.filter((e) => e.is_champion)).toHaveLength(1);
  });

  it('lets exactly one of two racing promotions win', async () => {
    const champion = (await registry.champion())!.version;
    const results = await Promise.allSettled([
      registry.promote({ candidate: candidate('race-a'), expectedChampion: champion, at: 't' }),
      registry.promote({ candidate: candidate('race-b'), expectedChampion: champion, at: 't' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(PromotionConflictError);
    expect((await registry.snapshot()).versions).toHaveLength(3);
  });

  it('rolls back to the previous champion', async () => {
    const before = await registry.snapshot();
    const r = await registry.rollback({ at: 't9', by: 'test' });
    expect(r.version).toBe(before.aliases.previous_champion);
    expect((await registry.champion())!.version).toBe(before.aliases.previous_champion);
    expect((await registry.snapshot()).events.at(-1)).toMatchObject({ action: 'rollback', by: 'test' });
  });
});

describe('a damaged registry document', () => {
  it('is an error naming the file, whether truncated or not a versioned document', async () => {
    const { home: h, cleanup: c } = makeTmpHome();
    try {
      const registry = new ChampionRegistry(openRegistryDocument<RegistryDoc>(h), openArtifactStore(h));
      await registry.promote({ candidate: candidate('r1'), expectedChampion: null, at: '2026-11-01T00:00:00.000Z' });
      const path = join(h, 'artifacts', 'registry', 'registry.json');
      const text = readFileSync(path, 'utf8');
      writeFileSync(path, text.slice(0, text.length / 2));
      await expect(registry.champion()).rejects.toThrow(/unreadable JSON .*\(file .*registry\.json\)/);
      writeFileSync(path, '{"versions": []}');
      await expect(registry.champion()).rejects.toThrow(BadInputError);
    } finally {
      c();
    }
  });
});
