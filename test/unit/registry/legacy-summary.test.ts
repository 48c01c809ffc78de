import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ChampionRegistry,
  REGISTRY_KEYS,
  type ModelVersion,
  type RegistryDoc,
} from '../../../src/registry/champion-registry';
import { openRegistryDocument } from '../../../src/storage';
import { LocalArtifactStore } from '../../../src/storage/local-artifact-store';
import { makeTmpHome } from '../../support/tmp-home';

/** A real local store whose writes to one key fail while `failing` is set (a storage outage mid-promotion). */
class OutageAt extends LocalArtifactStore {
  failing = false;
  constructor(
    root: string,
    private readonly key: string,
  ) {
    super(root);
  }
  override async put(key: string, data: Uint8Array | string): Promise<string> {
    if (this.failing && key === this.key) throw new Error(`storage unavailable writing ${key}`);
    return super.put(key, data);
  }
}

const { home, cleanup } = makeTmpHome();
afterAll(cleanup);

/** One entry of the Airflow system's `models/summary.json` (its `update_summary`), as its readers use it. */
interface OldSummaryEntry {
  timestamp: string;
  model_type: string;
  env: string;
  test_mode: boolean;
  run_id: string;
  model_uri: string;
  is_champion: boolean;
  rmse: number | null;
  r2: number | null;
}

function candidate(runId: string, rmse: number): Omit<ModelVersion, 'version'> {
  return {
    modelUri: `file:///models/${runId}.brf`,
    modelType: 'rf',
    createdAt: `2026-11-0${runId.length % 9}T00:00:00.000Z`,
    source: { workflowId: 'wf', runId },
    featurePipelineVersion: 'v1',
    hyperparameters: {},
    trainingData: {},
    metrics: {
      baseline: { rmse: rmse + 1, mae: 5, r2: 0.8, rows: 100 },
      current: { rmse, mae: 4, r2: 0.85, rows: 40 },
    },
    env: 'prod',
    testMode: false,
  };
}

function readSummary(h: string, key: string): OldSummaryEntry[] {
  return JSON.parse(readFileSync(join(h, 'artifacts', key), 'utf8')) as OldSummaryEntry[];
}

describe('summary.json for the replaced Airflow system', () => {
  const store = new OutageAt(join(home, 'artifacts'), REGISTRY_KEYS.legacySummary);
  const registry = new ChampionRegistry(openRegistryDocument<RegistryDoc>(home), store);

  it('is written where the old system kept it (models/summary.json), in its format, after each promotion and rollback', async () => {
    await registry.promote({ candidate: candidate('r1', 20), expectedChampion: null, at: 't1' });
    await registry.promote({ candidate: candidate('r2', 15), expectedChampion: 1, at: 't2' });
    let summary = readSummary(home, 'models/summary.json');
    expect(summary).toHaveLength(2);
    expect(summary[1]).toMatchObject({
      model_type: 'rf',
      env: 'prod',
      test_mode: false,
      run_id: 'r2',
      model_uri: 'file:///models/r2.brf',
      is_champion: true,
      rmse: 15, // test_current's, as the old double evaluation reported it
      r2: 0.85,
    });
    expect(typeof summary[1].timestamp).toBe('string');
    // The old readers take the first entry with is_champion for (model_type, env, test_mode).
    expect(summary.filter((e) => e.is_champion).map((e) => e.run_id)).toEqual(['r2']);

    await registry.rollback({ at: 't3', by: 'test' });
    summary = readSummary(home, 'models/summary.json');
    expect(summary.filter((e) => e.is_champion).map((e) => e.run_id)).toEqual(['r1']);
    expect(readSummary(home, REGISTRY_KEYS.summary)).toEqual(summary);
  });

  it('an export that fails after the swap fails the call, saying the registry changed; the retry completes it', async () => {
    store.failing = true;
    const champion = (await registry.champion())!.version;
    await expect(
      registry.promote({ candidate: candidate('r3', 12), expectedChampion: champion, at: 't4' }),
    ).rejects.toThrow(/registry .*registry\.json changed \(champion: version 3\).*summary\.json.*again completes it/);
    expect((await registry.champion())!.source.runId).toBe('r3');
    expect(readSummary(home, 'models/summary.json').find((e) => e.is_champion)?.run_id).toBe('r1'); // stale

    store.failing = false;
    const retry = await registry.promote({ candidate: candidate('r3', 12), expectedChampion: champion, at: 't5' });
    expect(retry).toEqual({ version: 3, previousChampion: champion, changed: false });
    const summary = readSummary(home, 'models/summary.json');
    expect(summary.filter((e) => e.is_champion).map((e) => e.run_id)).toEqual(['r3']);
    expect(readSummary(home, REGISTRY_KEYS.summary)).toEqual(summary);
  });
});
