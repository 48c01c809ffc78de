import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselinePredictionsKey, championPredictionsOnTestBaseline } from '../../../src/champion/baseline-predictions';
import { loadModelOnce, resolveChampionRef } from '../../../src/champion/champion-ref';
import type { ChampionRef } from '../../../src/core/domain';
import { readBaselineManifest, readBaselineSet } from '../../../src/data/baseline-store';
import { predictCounts } from '../../../src/model/champion-model';
import { makeWorld, type TestWorld } from '../../support/world';

describe("the champion's test_baseline predictions", () => {
  let w: TestWorld;
  let champion: ChampionRef;
  let testBaseline: Awaited<ReturnType<typeof baselineOf>>;
  const baselineOf = async (artifacts: TestWorld['deps']['artifacts']) => ({
    table: await readBaselineSet(artifacts, 'test'),
    contentHash: (await readBaselineManifest(artifacts)).test.contentHash,
  });
  beforeAll(async () => {
    w = await makeWorld('stable');
    champion = await resolveChampionRef(w.deps);
    testBaseline = await baselineOf(w.deps.artifacts);
  });
  afterAll(() => w?.cleanup());

  const counted = () => {
    const model = () => {
      model.loads++;
      return loadModelOnce(w.deps.artifacts, champion.modelUri);
    };
    model.loads = 0;
    return model;
  };
  const fresh = async () => predictCounts(await loadModelOnce(w.deps.artifacts, champion.modelUri), testBaseline.table);

  it('are kept by the full retrain that made the champion, and equal a fresh scoring', async () => {
    const { artifacts } = w.deps;
    expect(champion.modelSha256).toMatch(/^[0-9a-f]{64}$/);
    const key = baselinePredictionsKey(champion.modelSha256, testBaseline.contentHash);
    expect(await artifacts.exists(artifacts.uriFor(key))).toBe(true); // written by trainChampionFromBaseline
    const model = counted();
    const cached = await championPredictionsOnTestBaseline(artifacts, champion, model, testBaseline);
    expect(model.loads).toBe(0); // the first weekly run after the promotion reads them
    const f = await fresh();
    expect(cached.yPred).toEqual(f.yPred);
    expect(cached.yTrue).toEqual(f.yTrue);
  });

  it('are computed once on a miss, then read from the artifact', async () => {
    const { artifacts } = w.deps;
    const unseen = { ...champion, modelSha256: 'e'.repeat(64) }; // same bytes, a key nothing wrote yet
    const model = counted();
    const first = await championPredictionsOnTestBaseline(artifacts, unseen, model, testBaseline); // miss
    const second = await championPredictionsOnTestBaseline(artifacts, unseen, model, testBaseline); // hit
    expect(model.loads).toBe(1);
    expect(second.yPred).toEqual(first.yPred);
    expect(first.yPred).toEqual((await fresh()).yPred);
    expect(
      await artifacts.exists(artifacts.uriFor(baselinePredictionsKey(unseen.modelSha256, testBaseline.contentHash))),
    ).toBe(true);
  });

  it('change key with the model, the feature pipeline and test_baseline, never with a version number', () => {
    const k = baselinePredictionsKey('a'.repeat(64), 'h1', 'p1');
    expect(baselinePredictionsKey('b'.repeat(64), 'h1', 'p1')).not.toBe(k);
    expect(baselinePredictionsKey('a'.repeat(64), 'h2', 'p1')).not.toBe(k);
    expect(baselinePredictionsKey('a'.repeat(64), 'h1', 'p2')).not.toBe(k);
  });

  it('miss on another model or test set, and fall back to computing on a corrupt or truncated entry', async () => {
    const { artifacts } = w.deps;
    const expected = (await fresh()).yPred;
    // A different sha256 (a new champion): nothing cached for it yet, so it is scored.
    const other = { ...champion, modelSha256: 'f'.repeat(64) };
    const m1 = counted();
    expect((await championPredictionsOnTestBaseline(artifacts, other, m1, testBaseline)).yPred).toEqual(expected);
    expect(m1.loads).toBe(1);
    // Same rows under another content hash (a rebuilt manifest): a miss too.
    const m2 = counted();
    await championPredictionsOnTestBaseline(artifacts, champion, m2, { ...testBaseline, contentHash: 'rebuilt' });
    expect(m2.loads).toBe(1);
    // A flipped byte and a truncated entry, written where the cache would be: computed, never read as predictions.
    for (const [i, corrupt] of [
      (b: Uint8Array) => {
        const c = b.slice();
        c[c.length - 3] ^= 0xff;
        return c;
      },
      (b: Uint8Array) => b.subarray(0, b.length - 8),
    ].entries()) {
      const sha = `${i}`.repeat(64);
      const good = await artifacts.get(
        artifacts.uriFor(baselinePredictionsKey(champion.modelSha256, testBaseline.contentHash)),
      );
      await artifacts.putIfAbsent(baselinePredictionsKey(sha, testBaseline.contentHash), corrupt(good));
      const m = counted();
      const r = await championPredictionsOnTestBaseline(artifacts, { ...champion, modelSha256: sha }, m, testBaseline);
      expect(m.loads).toBe(1);
      expect(r.yPred).toEqual(expected);
      // The corrupt entry stays (write-once) and keeps missing: still the right answer.
      const again = counted();
      expect(
        (await championPredictionsOnTestBaseline(artifacts, { ...champion, modelSha256: sha }, again, testBaseline))
          .yPred,
      ).toEqual(expected);
      expect(again.loads).toBe(1);
    }
  });
});
