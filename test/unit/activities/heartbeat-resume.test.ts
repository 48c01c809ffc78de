import { MockActivityEnvironment } from '@temporalio/testing';
import { runActivity } from '../../support/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvaluateDouble } from '../../../src/activities/evaluate-double';
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
});
