import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rebuildRegistry } from '../../../src/champion/registry-rebuild';
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

describe('a registry that knows it is whole', () => {
  const setup = () => {
    const t = makeTmpHome();
    const registry = new ChampionRegistry(openRegistryDocument<RegistryDoc>(t.home), openArtifactStore(t.home));
    const path = join(t.home, 'artifacts', 'registry', 'registry.json');
    return { ...t, registry, path };
  };

  it('keeps a record of each version beside the models', async () => {
    const { home: h, cleanup: c, registry } = setup();
    try {
      await registry.promote({ candidate: candidate('r1'), expectedChampion: null, at: 't1' });
      await registry.promote({ candidate: candidate('r2'), expectedChampion: 1, at: 't2' });
      const record = JSON.parse(readFileSync(join(h, 'artifacts/models/versions/v000002.json'), 'utf8'));
      expect(record).toEqual({
        format: 'bike-retrain-model-version',
        version: { ...candidate('r2'), version: 2 },
        promotedOver: 1,
      });
    } finally {
      c();
    }
  });

  it('a missing document while summary.json and version records exist is an error naming the file and the way back; nothing restarts at v1', async () => {
    const { cleanup: c, registry, path } = setup();
    try {
      await registry.promote({ candidate: candidate('r1'), expectedChampion: null, at: 't1' });
      rmSync(path);
      const err = await registry.champion().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BadInputError);
      expect((err as Error).message).toMatch(
        /^registry document missing while artifacts\/registry\/summary\.json and 1 model version record\(s\) .* exist: recover with `bike-retrain registry rebuild` .*\(file .*registry\.json\)$/,
      );
      await expect(
        registry.promote({ candidate: candidate('r9'), expectedChampion: null, at: 't9' }),
      ).rejects.toBeInstanceOf(BadInputError);
    } finally {
      c();
    }
  });

  it('a truncated document names the file and the way back', async () => {
    const { cleanup: c, registry, path } = setup();
    try {
      await registry.promote({ candidate: candidate('r1'), expectedChampion: null, at: 't1' });
      writeFileSync(path, readFileSync(path, 'utf8').slice(0, 40));
      await expect(registry.snapshot()).rejects.toThrow(
        /^registry document: unreadable JSON .*`bike-retrain registry rebuild`.*\(file .*registry\.json\)$/,
      );
      expect(await registry.state()).toMatchObject({ state: 'unreadable' });
    } finally {
      c();
    }
  });

  it('a truly empty data folder is an empty registry; a first champion whose artifact was just written registers', async () => {
    const { home: h, cleanup: c, registry } = setup();
    try {
      expect(await registry.snapshot()).toEqual({ versions: [], aliases: {}, events: [] });
      expect(await registry.state()).toEqual({ state: 'missing' });
      const store = openArtifactStore(h);
      const uri = await store.put('models/champions/train-champion-x.brf', 'model bytes');
      const r = await registry.promote({
        candidate: { ...candidate('x'), modelUri: uri },
        expectedChampion: null,
        at: 't',
      });
      expect(r.version).toBe(1);
    } finally {
      c();
    }
  });

  it('a champion artifact nobody registered makes a missing document an error too', async () => {
    const { home: h, cleanup: c, registry } = setup();
    try {
      await openArtifactStore(h).put('models/champions/orphan.brf', 'model bytes');
      await expect(registry.champion()).rejects.toThrow(
        /1 champion model artifact\(s\) in artifacts\/models\/champions\//,
      );
    } finally {
      c();
    }
  });
});

describe('registry rebuild', () => {
  const setup = async () => {
    const t = makeTmpHome();
    const registry = new ChampionRegistry(openRegistryDocument<RegistryDoc>(t.home), openArtifactStore(t.home));
    await registry.promote({ candidate: candidate('r1'), expectedChampion: null, at: '2026-11-01T00:00:00.000Z' });
    await registry.promote({ candidate: candidate('r2'), expectedChampion: 1, at: '2026-11-08T00:00:00.000Z' });
    await registry.promote({ candidate: candidate('r3'), expectedChampion: 2, at: '2026-11-15T00:00:00.000Z' });
    await registry.rollback({ at: '2026-11-16T00:00:00.000Z', by: 'test' }); // champion 2, previous 3
    const deps = { registry, artifacts: openArtifactStore(t.home), clock: () => new Date('2026-12-01T00:00:00Z') };
    return {
      ...t,
      registry,
      deps,
      before: await registry.snapshot(),
      path: join(t.home, 'artifacts/registry/registry.json'),
    };
  };

  it('from the version records: every entry exactly, and the champion (after a rollback) from summary.json', async () => {
    const { cleanup: c, deps, before, path, registry } = await setup();
    try {
      rmSync(path);
      const r = await rebuildRegistry(deps, { by: 'test' });
      expect(r.sources).toEqual(['3 model version record(s)', 'artifacts/registry/summary.json (the champion)']);
      const after = await registry.snapshot();
      expect(after.versions).toEqual(before.versions);
      expect(after.aliases).toEqual({ champion: 2, previous_champion: 3 });
      expect(after.events).toEqual([
        { at: '2026-12-01T00:00:00.000Z', action: 'rebuild', version: 2, previous: 3, by: 'test' },
      ]);
      // And it works as a registry again.
      const p = await registry.promote({ candidate: candidate('r4'), expectedChampion: 2, at: 't' });
      expect(p).toEqual({ version: 4, previousChampion: 2, changed: true });
    } finally {
      c();
    }
  });

  it('from summary.json alone: versions, champion and metrics it keeps; the rest marked unknown', async () => {
    const { home: h, cleanup: c, deps, before, path, registry } = await setup();
    try {
      rmSync(path);
      rmSync(join(h, 'artifacts/models/versions'), { recursive: true });
      const r = await rebuildRegistry(deps, { by: 'test' });
      expect(r.sources).toEqual([
        'artifacts/registry/summary.json (3 version(s), completed from their model artifacts)',
      ]);
      expect(r.notes.join('\n')).toMatch(/model artifact file:\/\/\/models\/r1\.brf unreadable/);
      const after = await registry.snapshot();
      expect(after.aliases).toEqual({ champion: 2, previous_champion: 3 });
      expect(after.versions.map((v) => [v.version, v.modelUri, v.modelType, v.createdAt])).toEqual(
        before.versions.map((v) => [v.version, v.modelUri, v.modelType, v.createdAt]),
      );
      expect(after.versions[0].metrics.baseline).toMatchObject({ r2: 0.8, rmse: 10 });
      // The records are written again for the next time.
      expect(readFileSync(join(h, 'artifacts/models/versions/v000003.json'), 'utf8')).toContain('"version": 3');
    } finally {
      c();
    }
  });

  it('keeps an unreadable document aside, refuses a readable one, and says when there is nothing to rebuild from', async () => {
    const { cleanup: c, deps, path } = await setup();
    try {
      await expect(rebuildRegistry(deps, { by: 'test' })).rejects.toThrow(
        /is readable and holds 3 version\(s\): nothing to rebuild/,
      );
      writeFileSync(path, '{"generation": 4, "doc": ');
      const r = await rebuildRegistry(deps, { by: 'test' });
      expect(r.keptAs).toMatch(/registry\.json\..*\.bak$/);
      expect(readFileSync(r.keptAs!, 'utf8')).toBe('{"generation": 4, "doc": ');
      expect(r.notes.join('\n')).toMatch(/the damaged document was: unreadable JSON/);
    } finally {
      c();
    }
    const empty = makeTmpHome();
    try {
      const registry = new ChampionRegistry(
        openRegistryDocument<RegistryDoc>(empty.home),
        openArtifactStore(empty.home),
      );
      await expect(
        rebuildRegistry({ registry, artifacts: openArtifactStore(empty.home), clock: () => new Date() }, { by: 't' }),
      ).rejects.toThrow(/nothing to rebuild .* from: no model version records/);
    } finally {
      empty.cleanup();
    }
  });
});
