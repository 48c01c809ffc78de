import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError, PromotionConflictError } from '../../../src/core/errors';
import {
  ChampionRegistry,
  REGISTRY_KEYS,
  versionRecordKey,
  type ModelVersion,
  type RegistryDoc,
} from '../../../src/registry/champion-registry';
import { gcsBackend, localBackend, type StorageBackend } from '../../support/storage-backends';

interface Doc {
  n: number;
  by?: string;
}

/**
 * What the champion registry relies on, checked unchanged against a local
 * file (lock + generation inside) and a Cloud Storage object (its own
 * generation, `ifGenerationMatch`).
 */
describe.each<StorageBackend>([localBackend(), gcsBackend()])('VersionedDocumentStore contract: $name', (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it('absent reads as null; the first write expects generation 0; each write raises the generation', async () => {
    const { store } = await backend.document<Doc>();
    expect(await store.read()).toBeNull();
    expect(await store.writeIfGeneration({ n: 1 }, 0)).toBe(true);
    const first = await store.read();
    expect(first?.doc).toEqual({ n: 1 });
    expect(first!.generation).toBeGreaterThan(0);
    expect(await store.writeIfGeneration({ n: 2 }, 0)).toBe(false);
    expect(await store.writeIfGeneration({ n: 2 }, first!.generation)).toBe(true);
    const second = await store.read();
    expect(second?.doc).toEqual({ n: 2 });
    expect(second!.generation).toBeGreaterThan(first!.generation);
    // A writer that read the first generation has lost.
    expect(await store.writeIfGeneration({ n: 3 }, first!.generation)).toBe(false);
    expect((await store.read())?.doc).toEqual({ n: 2 });
  });

  it('compare-and-swap racing from several clients: exactly one writer wins each generation', async () => {
    const { store, again } = await backend.document<Doc>();
    await store.writeIfGeneration({ n: 0 }, 0);
    const { generation } = (await store.read())!;
    const clients = [store, again(), again(), again()];
    const wins = await Promise.all(clients.map((c, i) => c.writeIfGeneration({ n: 1, by: `c${i}` }, generation)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect((await store.read())?.doc.by).toBe(`c${wins.indexOf(true)}`);
  });

  it('location names the document; unreadable JSON is a BadInputError naming it', async () => {
    const { store, writeRaw } = await backend.document<Doc>();
    expect(store.location).toMatch(/registry\.json$/);
    await writeRaw('{"n": 1, "trunc');
    const err = await store.read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as BadInputError).message).toMatch(/^unreadable JSON/);
    expect((err as BadInputError).location.file).toBe(store.location);
  });

  it('replace keeps the old document aside, even an unreadable one, and beats any earlier generation', async () => {
    const { store, writeRaw } = await backend.document<Doc>();
    expect(await store.replace({ n: 1 })).toEqual({ keptAs: null });
    const before = (await store.read())!;
    const { keptAs } = await store.replace({ n: 2 });
    expect(keptAs).toMatch(/\.bak$/);
    const after = (await store.read())!;
    expect(after.doc).toEqual({ n: 2 });
    expect(after.generation).toBeGreaterThan(before.generation);
    expect(await store.writeIfGeneration({ n: 9 }, before.generation)).toBe(false);

    await writeRaw('not json');
    const again = await store.replace({ n: 3 });
    expect(again.keptAs).toMatch(/\.bak$/);
    expect(again.keptAs).not.toBe(keptAs);
    expect((await store.read())?.doc).toEqual({ n: 3 });
  });
});

describe.each<StorageBackend>([localBackend(), gcsBackend()])('ChampionRegistry on $name storage', (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it('two runs promoting at once from two processes: exactly one wins; retries of both change nothing', async () => {
    const doc = await backend.document<RegistryDoc>();
    const artifacts = await backend.artifacts();
    const a = new ChampionRegistry(doc.store, artifacts.store);
    const b = new ChampionRegistry(doc.again(), artifacts.again());
    const request = (runId: string) => ({
      candidate: candidate(runId),
      expectedChampion: null,
      at: '2026-12-01T00:00:00Z',
    });

    const results = await Promise.allSettled([a.promote(request('run-a')), b.promote(request('run-b'))]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect((won[0] as PromiseFulfilledResult<unknown>).value).toEqual({
      version: 1,
      previousChampion: null,
      changed: true,
    });
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(PromotionConflictError);
    const winner = results[0].status === 'fulfilled' ? 'run-a' : 'run-b';
    const loser = winner === 'run-a' ? 'run-b' : 'run-a';

    // Retries (an activity attempt that timed out after its swap), from either process.
    for (const r of [a, b]) {
      expect(await r.promote(request(winner))).toEqual({ version: 1, previousChampion: null, changed: false });
      await expect(r.promote(request(loser))).rejects.toBeInstanceOf(PromotionConflictError);
    }
    const snapshot = await a.snapshot();
    expect(snapshot.versions.map((v) => v.source.runId)).toEqual([winner]);
    expect(snapshot.events).toHaveLength(1);
    expect(snapshot.aliases).toEqual({ champion: 1 });

    // What is derived from it, on the same storage.
    const s = artifacts.store;
    expect(await s.exists(s.uriFor(versionRecordKey(1)))).toBe(true);
    expect(await s.exists(s.uriFor(versionRecordKey(2)))).toBe(false);
    const summary = JSON.parse(await s.getText(s.uriFor(REGISTRY_KEYS.legacySummary))) as Record<string, unknown>[];
    expect(summary).toMatchObject([{ run_id: winner, is_champion: true, model_type: 'rf' }]);
    expect(await s.getText(s.uriFor(REGISTRY_KEYS.summary))).toBe(
      await s.getText(s.uriFor(REGISTRY_KEYS.legacySummary)),
    );
  });
});

function candidate(runId: string): Omit<ModelVersion, 'version'> {
  return {
    modelUri: `gs://elsewhere/models/${runId}.brf`,
    modelType: 'rf',
    createdAt: '2026-12-01T00:00:00.000Z',
    source: { workflowId: 'monitor-and-fine-tune', runId },
    featurePipelineVersion: 'v1',
    hyperparameters: {},
    trainingData: {},
    metrics: { baseline: { rmse: 10, mae: 5, r2: 0.8, rows: 100 }, current: { rmse: 9, mae: 4, r2: 0.82, rows: 50 } },
    env: 'test',
    testMode: false,
  };
}
