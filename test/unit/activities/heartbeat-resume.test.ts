import { MockActivityEnvironment } from '@temporalio/testing';
import { runActivity } from '../../support/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { makeEvaluateDouble } from '../../../src/activities/evaluate-double';
import { championPredictionsOnTestBaseline } from '../../../src/champion/baseline-predictions';
import { loadModelOnce, resolveChampionRef } from '../../../src/champion/champion-ref';
import { readBaselineManifest, readBaselineSet } from '../../../src/data/baseline-store';
import { predictCounts } from '../../../src/model/champion-model';
import { makeFetchRecentData } from '../../../src/activities/fetch-recent-data';
import { makeTrainChallenger } from '../../../src/activities/train-challenger';
import type { ChallengerRef } from '../../../src/core/domain';
import type { ModelMetrics } from '../../../src/core/domain';
import { makeWorld, TEST_RUN_CONFIG, WORLD_END_MS, type TestWorld } from '../../support/world';

let w: TestWorld;
let challenger: ChallengerRef;
const run = { workflowId: 'wf-resume', runId: 'run-1' };

beforeAll(async () => {
  w = await makeWorld('stable');
  const env = new MockActivityEnvironment();
  const recent = await runActivity(env, makeFetchRecentData(w.deps), {
    run,
    asOfMs: WORLD_END_MS,
    config: TEST_RUN_CONFIG,
  });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => heartbeats.push(d));
  challenger = await runActivity(env, makeTrainChallenger(w.deps), { run, recent, config: TEST_RUN_CONFIG });
  expect(heartbeats.some((h) => (h as { phase?: string }).phase === 'training')).toBe(true);
}, 120_000);
afterAll(() => w?.cleanup());

describe('long steps resume from heartbeat details', () => {
  it('trainChallenger: a retry returns what the finished attempt wrote, without retraining', async () => {
    const env = new MockActivityEnvironment();
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => heartbeats.push(d));
    const again = await runActivity(env, makeTrainChallenger(w.deps), {
      run,
      recent: { uri: 'unused', rows: 0, counters: 0, fromMs: 0, toMs: 0 },
      config: TEST_RUN_CONFIG,
    });
    expect(again).toEqual(challenger);
    expect(heartbeats).toEqual([]);
  });

  it('evaluateDouble: a test set finished before a worker restart is not recomputed', async () => {
    const champion = (await w.deps.registry.champion())!;
    const full = await runActivity(new MockActivityEnvironment(), makeEvaluateDouble(w.deps), {
      run,
      championUri: champion.modelUri,
      challenger,
    });
    expect(full.comparison!.current.blocks).toBeGreaterThan(10);
    const marker: ModelMetrics = { rmse: 1, mae: 1, r2: 0.5, rows: 1 };
    const comparison = { ...full.comparison!.baseline, rmseRatio: 0.5 };
    const env = new MockActivityEnvironment({
      heartbeatDetails: { sets: { baseline: { champion: marker, challenger: marker, comparison } } },
    });
    const heartbeats: { progress: string }[] = [];
    env.on('heartbeat', (d: { progress: string }) => heartbeats.push(d));
    const resumed = await runActivity(env, makeEvaluateDouble(w.deps), {
      run,
      championUri: champion.modelUri,
      challenger,
    });
    expect(resumed.champion.baseline).toEqual(marker);
    expect(resumed.comparison!.baseline.rmseRatio).toBe(0.5);
    expect(resumed.challenger.current).toEqual(full.challenger.current);
    expect(resumed.comparison!.current).toEqual(full.comparison!.current);
    expect(heartbeats.map((h) => h.progress)).toEqual(['2/2 test sets']);
  });

  it("evaluateDouble keeps the challenger's test_baseline predictions: promoted, it is not scored again", async () => {
    const champion = await resolveChampionRef(w.deps);
    await runActivity(new MockActivityEnvironment(), makeEvaluateDouble(w.deps), {
      run,
      championUri: champion.modelUri,
      champion,
      challenger,
    });
    const { artifacts } = w.deps;
    const digest = createHash('sha256')
      .update(await artifacts.get(challenger.modelUri))
      .digest('hex');
    const testBaseline = {
      table: await readBaselineSet(artifacts, 'test'),
      contentHash: (await readBaselineManifest(artifacts)).test.contentHash,
    };
    let loads = 0;
    const asChampion = { version: 2, modelUri: challenger.modelUri, modelSha256: digest };
    const cached = await championPredictionsOnTestBaseline(
      artifacts,
      asChampion,
      () => {
        loads++;
        return loadModelOnce(artifacts, challenger.modelUri);
      },
      testBaseline,
    );
    expect(loads).toBe(0); // read from the cache the evaluation wrote
    const fresh = await predictCounts(await loadModelOnce(artifacts, challenger.modelUri), testBaseline.table);
    expect(cached.yPred).toEqual(fresh.yPred);
  });
});
