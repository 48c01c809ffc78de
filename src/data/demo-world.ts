import type { ArtifactStore } from '../storage/artifact-store';
import type { Warehouse } from '../storage/warehouse';
import { takeRows, type CountTable } from '../core/counts';
import { ConfigError } from '../core/errors';
import { DAY_MS } from '../core/time';
import { buildBaselineSets, SIMULATION_SCALES, type SimulationScale } from './baseline';
import { readBaselineManifest, storeBaselineSets, type BaselineManifest } from './baseline-store';
import { simulateCounts } from './simulator';

/**
 * A data folder's simulated world: counts in the warehouse, the baseline sets
 * cut from them by time, and what a weekly run should look back from. The
 * recent weeks can carry a scenario (a strike, a lockdown…) so a fine-tune
 * has something to learn. Its sizes: SIMULATION_SCALES (src/data/baseline.ts).
 */

/** The demo's name for SimulationScale (src/cli/demo.ts imports it). */
export type ScaleName = SimulationScale;

export interface WorldSpec {
  scale: SimulationScale;
  /** End of the simulated data (exclusive) = the runs' default asOf. */
  endMs: number;
  seed: number;
  /** Scenario of the last `recentDays` (the baseline period is always 'stable'). */
  recentScenario: string;
}

export interface World extends WorldSpec {
  baseline: BaselineManifest;
  created: boolean;
}

/** Where a data folder records its demo world (ensureWorld) or its season (season-world.ts): one or the other. */
export const WORLD_KEY = 'world.json';
export const SEASON_KEY = 'season.json';

export interface WorldDeps {
  warehouse: Warehouse;
  artifacts: ArtifactStore;
  clock: () => Date;
}

export async function ensureWorld(
  deps: WorldDeps,
  spec: WorldSpec,
  log: (m: string) => void = () => undefined,
): Promise<World> {
  const uri = deps.artifacts.uriFor(WORLD_KEY);
  if (await deps.artifacts.exists(uri)) {
    const existing = JSON.parse(await deps.artifacts.getText(uri)) as WorldSpec;
    return { ...existing, baseline: await readBaselineManifest(deps.artifacts), created: false };
  }
  if (await deps.artifacts.exists(deps.artifacts.uriFor(SEASON_KEY)))
    throw new ConfigError(
      'this data folder holds a simulated season (season.json), not a demo world: use another folder',
    );
  const s = SIMULATION_SCALES[spec.scale];
  const recentFromMs = daysBefore(spec.endMs, s.recentDays);
  const testFromMs = daysBefore(recentFromMs, s.testDays);
  const trainFromMs = daysBefore(testFromMs, s.trainDays);
  log(
    `Simulating ${s.counters} counters from ${new Date(trainFromMs).toISOString().slice(0, 10)} to ${new Date(spec.endMs).toISOString().slice(0, 10)} (recent weeks: ${spec.recentScenario})…`,
  );
  const table = simulateCounts({
    scenario: spec.recentScenario,
    fromMs: trainFromMs,
    toMs: spec.endMs,
    counters: s.counters,
    seed: spec.seed,
    changeAtMs: recentFromMs,
  });
  const baseline = await loadSimulatedTable(deps, table, { testFromMs, baselineEndMs: recentFromMs }, log);
  await deps.artifacts.put(WORLD_KEY, JSON.stringify(spec, null, 2));
  return { ...spec, baseline, created: true };
}

/**
 * Loads a simulated history into a data folder: every row into the
 * warehouse, and the baseline sets cut from the rows before `baselineEndMs`
 * (train_baseline before `testFromMs`, test_baseline from it).
 */
export async function loadSimulatedTable(
  deps: WorldDeps,
  table: CountTable,
  cut: { testFromMs: number; baselineEndMs: number },
  log: (m: string) => void = () => undefined,
): Promise<BaselineManifest> {
  const inserted = await deps.warehouse.insertCounts(table);
  log(`Loaded ${inserted.inserted} rows into the warehouse.`);
  // The baseline sets end where the later weeks begin: test_baseline is a later period than train_baseline.
  const beforeEnd: number[] = [];
  for (let i = 0; i < table.length; i++) if (table.timestampMs[i] < cut.baselineEndMs) beforeEnd.push(i);
  const sets = buildBaselineSets({ table: takeRows(table, beforeEnd), testFromMs: cut.testFromMs });
  const baseline = await storeBaselineSets(deps.artifacts, sets, deps.clock());
  log(`Baseline sets: train_baseline ${baseline.train.rows} rows, test_baseline ${baseline.test.rows} rows.`);
  return baseline;
}

function daysBefore(ms: number, days: number): number {
  return ms - days * DAY_MS;
}
