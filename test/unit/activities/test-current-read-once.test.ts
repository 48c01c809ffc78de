import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeEvaluateDouble } from '../../../src/activities/evaluate-double';
import type * as EvaluateDoubleModule from '../../../src/activities/evaluate-double';
import { makeFetchRecentData } from '../../../src/activities/fetch-recent-data';
import { makeTrainChallenger } from '../../../src/activities/train-challenger';
import { resolveChampionRef } from '../../../src/champion/champion-ref';
import type { ChallengerRef, ChampionRef, DoubleEvaluation } from '../../../src/core/domain';
import { readCountTableArtifact } from '../../../src/data/count-artifacts';
import { forgetKeptCountTables, readCountTableArtifactKept } from '../../../src/data/kept-count-tables';
import { runActivity } from '../../support/activity';
import { countTableBits, valueBits } from '../../support/count-table-bits';
import { makeWorld, TEST_RUN_CONFIG, WORLD_END_MS, type TestWorld } from '../../support/world';

let w: TestWorld;
let champion: ChampionRef;
let challenger: ChallengerRef;
let testCurrentReads: () => number;
const run = { workflowId: 'wf-read-once', runId: 'run-1' };

beforeAll(async () => {
  w = await makeWorld('stable');
  forgetKeptCountTables();
  champion = await resolveChampionRef(w.deps);
  const env = new MockActivityEnvironment();
  const recent = await runActivity(env, makeFetchRecentData(w.deps), {
    run,
    asOfMs: WORLD_END_MS,
    config: TEST_RUN_CONFIG,
  });
  challenger = await runActivity(env, makeTrainChallenger(w.deps), { run, recent, config: TEST_RUN_CONFIG, champion });
  // Every read of an artifact's rows goes through localPath (readCountTableArtifact).
  const localPath = vi.spyOn(w.deps.artifacts, 'localPath');
  testCurrentReads = () => localPath.mock.calls.filter(([uri]) => uri === challenger.testCurrentUri).length;
}, 120_000);
afterAll(() => {
  vi.restoreAllMocks();
  w?.cleanup();
});

function evaluate(evaluateDouble = makeEvaluateDouble(w.deps)): Promise<DoubleEvaluation> {
  return runActivity(new MockActivityEnvironment(), evaluateDouble, {
    run,
    championUri: champion.modelUri,
    champion,
    challenger,
    config: TEST_RUN_CONFIG,
  });
}

describe('a weekly run reads test_current once: evaluateDouble in the training process uses the kept copy', () => {
  let kept: DoubleEvaluation;

  it('written by trainChallenger with its sha256; the kept copy is, bit for bit, what reading returns', async () => {
    expect(challenger.testCurrentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(challenger.testCurrentRows).toBeGreaterThan(100);
    const keptTable = await readCountTableArtifactKept(
      w.deps.artifacts,
      challenger.testCurrentUri,
      challenger.testCurrentSha256,
    );
    expect(testCurrentReads()).toBe(0);
    const read = await readCountTableArtifact(w.deps.artifacts, challenger.testCurrentUri);
    expect(countTableBits(keptTable)).toEqual(countTableBits(read));
  });

  it('in the process that trained: test_current is not read again', async () => {
    const before = testCurrentReads();
    kept = await evaluate();
    expect(testCurrentReads() - before).toBe(0);
    expect(kept.comparison!.current.blocks).toBeGreaterThan(10);
  });

  it('in a fresh process (a fresh module graph, as on another worker): read once, the same evaluation', async () => {
    // This process still keeps the table (not forgotten yet): only a module graph of its own reads it.
    vi.resetModules();
    const fresh = await vi.importActual<typeof EvaluateDoubleModule>('../../../src/activities/evaluate-double');
    const before = testCurrentReads();
    const read = await evaluate(fresh.makeEvaluateDouble(w.deps));
    expect(testCurrentReads() - before).toBe(1);
    expect(valueBits(read)).toEqual(valueBits(kept));
  });

  it('after forgetting the kept tables: read once, and the same evaluation bit for bit', async () => {
    forgetKeptCountTables();
    const before = testCurrentReads();
    const read = await evaluate();
    expect(testCurrentReads() - before).toBe(1);
    expect(valueBits(read)).toEqual(valueBits(kept));
  });
});
