import { afterAll, describe, expect, it } from 'vitest';
import { championPredictionsOnTestBaseline } from '../../../src/champion/baseline-predictions';
import { loadModelOnce, resolveChampionRef } from '../../../src/champion/champion-ref';
import { readBaselineManifest, readBaselineSet } from '../../../src/data/baseline-store';
import { predictCounts } from '../../../src/model/champion-model';
import { makeWorld, type TestWorld } from '../../support/world';

describe("the champion's test_baseline predictions", () => {
  let w: TestWorld;
  afterAll(() => w?.cleanup());

  it('are computed once, kept under the model sha256, pipeline and test-set hash, and equal a fresh scoring', async () => {
    w = await makeWorld('stable');
    const { artifacts } = w.deps;
    const champion = await resolveChampionRef(w.deps);
    expect(champion.modelSha256).toMatch(/^[0-9a-f]{64}$/);
    const table = await readBaselineSet(artifacts, 'test');
    const testBaseline = { table, contentHash: (await readBaselineManifest(artifacts)).test.contentHash };
    let loads = 0;
    const model = () => {
      loads++;
      return loadModelOnce(artifacts, champion.modelUri);
    };
    const first = await championPredictionsOnTestBaseline(artifacts, champion, model, testBaseline);
    const second = await championPredictionsOnTestBaseline(artifacts, champion, model, testBaseline);
    expect(loads).toBe(1); // the second call read the cached artifact
    expect(second.yPred).toEqual(first.yPred);
    const fresh = await predictCounts(await loadModelOnce(artifacts, champion.modelUri), table);
    expect(first.yPred).toEqual(fresh.yPred);
    expect(first.yTrue).toEqual(fresh.yTrue);
  });
});
