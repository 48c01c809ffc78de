import { ConfigError } from '../core/errors';
import { SIMULATION_SCALES, type SimulationScale } from './baseline';
import { readBaselineManifest, type BaselineManifest } from './baseline-store';
import { loadSimulatedTable, SEASON_KEY, WORLD_KEY, type WorldDeps } from './demo-world';
import {
  resolveSeason,
  SEASONS,
  simulateSeason,
  weeklyAsOfs,
  seasonPeriods,
  type SeasonName,
  type SeasonPeriods,
} from './seasons';

/**
 * A data folder holding one simulated season (seasons.ts): its whole history
 * in the warehouse and its baseline sets stored, like `ensureWorld` does for
 * the demo world, for a backtest to replay the weekly runs on.
 */

export interface SeasonWorldSpec {
  season: SeasonName;
  scale: SimulationScale;
}

/** What season.json records. */
interface SeasonRecord extends SeasonWorldSpec {
  seed: number;
  counters: number;
  trainFrom: string;
  testFrom: string;
  baselineEnd: string;
  end: string;
}

export interface SeasonWorld extends SeasonWorldSpec, SeasonPeriods {
  seed: number;
  /** The weekly runs' asOf instants (epoch ms): `weeklyAsOfs(season)`. */
  asOfs: number[];
  baseline: BaselineManifest;
  created: boolean;
}

/**
 * Loads a season into a data folder once; later calls with the same season
 * and scale return what is there. A folder holds one world: another season,
 * another scale or a demo world there is an error.
 */
export async function ensureSeason(
  deps: WorldDeps,
  spec: SeasonWorldSpec,
  log: (m: string) => void = () => undefined,
): Promise<SeasonWorld> {
  const season = resolveSeason(spec.season);
  const scale = spec.scale;
  if (!(scale in SIMULATION_SCALES)) throw new ConfigError(`unknown scale "${String(scale)}"`);
  const world = () => ({
    season,
    scale,
    seed: SEASONS[season].seed,
    ...seasonPeriods(season),
    asOfs: weeklyAsOfs(season),
  });
  const uri = deps.artifacts.uriFor(SEASON_KEY);
  if (await deps.artifacts.exists(uri)) {
    const existing = JSON.parse(await deps.artifacts.getText(uri)) as SeasonRecord;
    if (existing.season !== season || existing.scale !== scale)
      throw new ConfigError(
        `this data folder holds season ${existing.season} at scale ${existing.scale}, not ${season} at ${scale}: use another folder`,
      );
    return { ...world(), baseline: await readBaselineManifest(deps.artifacts), created: false };
  }
  if (await deps.artifacts.exists(deps.artifacts.uriFor(WORLD_KEY)))
    throw new ConfigError('this data folder holds a demo world (world.json), not a season: use another folder');
  const sim = simulateSeason(season, scale);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  log(
    `Simulated season ${season}: ${sim.table.length} rows, ${SIMULATION_SCALES[scale].counters} counters, ${day(sim.trainFromMs)} to ${day(sim.endMs)} (baseline ends ${day(sim.baselineEndMs)}, ${sim.asOfs.length} weekly runs).`,
  );
  const baseline = await loadSimulatedTable(
    deps,
    sim.table,
    { testFromMs: sim.testFromMs, baselineEndMs: sim.baselineEndMs },
    log,
  );
  const record: SeasonRecord = {
    season,
    scale,
    seed: sim.seed,
    counters: SIMULATION_SCALES[scale].counters,
    trainFrom: day(sim.trainFromMs),
    testFrom: day(sim.testFromMs),
    baselineEnd: day(sim.baselineEndMs),
    end: day(sim.endMs),
  };
  await deps.artifacts.put(SEASON_KEY, JSON.stringify(record, null, 2));
  return { ...world(), baseline, created: true };
}
