import type { ActivityDeps } from '../../src/activities';
import { ensureWorld, type World } from '../../src/data/demo-world';
import { trainChampionFromBaseline } from '../../src/champion/train-champion';
import { DEFAULT_RUN_CONFIG, type RunConfig } from '../../src/config/run-config';
import { embeddedDeps } from '../../src/worker';
import { makeTmpHome } from './tmp-home';

/** Fixed end of the simulated data: every test run sees the same world. */
export const WORLD_END_MS = Date.UTC(2026, 9, 5);
export const WORLD_END = new Date(WORLD_END_MS).toISOString();

/** Small, fast model settings for tests. */
export const TEST_RUN_CONFIG: RunConfig = {
  ...DEFAULT_RUN_CONFIG,
  model: { ...DEFAULT_RUN_CONFIG.model, nEstimators: 12, maxDepth: 12 },
};

export interface TestWorld {
  home: string;
  deps: ActivityDeps;
  world: World;
  cleanup: () => void;
}

/**
 * A fresh data folder with simulated counts, baseline sets and a trained
 * champion (v1). Built per test (a second or two at the tiny scale): artifact
 * URIs are absolute, so a copied folder would still point at its original.
 */
export async function makeWorld(recentScenario: string): Promise<TestWorld> {
  const { home, cleanup } = makeTmpHome(`bike-retrain-test-${recentScenario}-`);
  const deps = embeddedDeps({ home, env: 'test', runDefaults: TEST_RUN_CONFIG });
  const world = await ensureWorld(deps, { scale: 'tiny', endMs: WORLD_END_MS, seed: 7, recentScenario });
  const m = TEST_RUN_CONFIG.model;
  await trainChampionFromBaseline(
    deps,
    {
      modelType: m.modelType,
      nEstimators: m.nEstimators,
      maxDepth: m.maxDepth,
      minSamplesLeaf: m.minSamplesLeaf,
      seed: m.seed,
    },
    {
      source: { workflowId: 'test', runId: 'initial-champion' },
    },
  );
  return { home, world, deps, cleanup };
}
