import { emptyCountTable, type CountTable } from '../core/counts';
import { ConfigError } from '../core/errors';
import { DAY_MS, HOUR_MS } from '../core/time';
import { ParisCalendar } from '../features/paris-time';
import { simRoster, type SimCounter } from './counter-roster';
import { dailyEffects, type EffectSchedule } from './effect-schedule';
import { hash3, RowRandom, unitFromHash } from './random';
import { DEFAULT_CHANGE_AFTER_DAYS, isScenarioName, SCENARIO_EFFECTS, SCENARIOS, type ScenarioName } from './scenarios';
import { counterShape, HOLIDAY_DAY_TYPE, lockdownShape, rainFactor, SEASON_BY_DAY_OF_YEAR } from './traffic-model';

export { writeOpenDataCsv } from './open-data-writer';
export { SCENARIOS, SCENARIO_EFFECTS, type ScenarioName } from './scenarios';

export interface SimulateOptions {
  scenario: ScenarioName | string;
  /** Inclusive start; rounded up to a whole hour. */
  fromMs: number;
  /** Exclusive end. */
  toMs: number;
  /** Roster size before any scenario adds counters (default 12). */
  counters?: number;
  seed: number;
  /** When the scenario's effect starts (default: fromMs + 14 days). */
  changeAtMs?: number;
  /**
   * A time-varying level and shape mix by local day, on top of the scenario
   * (the seasons use it with `stable`: seasons.ts). None: the scenario alone,
   * the same table as before schedules existed.
   */
  effects?: EffectSchedule;
}

/**
 * Count noise: Poisson around a gamma-distributed mean (a negative binomial),
 * as real counts are over-dispersed; the shape sets the hour-to-hour wobble
 * (coefficient of variation ≈ 1/√12 ≈ 0.29 on top of Poisson).
 */
const NOISE_SHAPE = 12;
/** Everyday sensor faults, per counter-day, in every scenario. */
const ZERO_DAY_CHANCE = 0.002;
const STUCK_DAY_CHANCE = 0.001;
const FAULT_SALT = 0xfa017000;
const NOISE_SALT = 0x0015e000;

type Fault = 'none' | 'zero' | 'stuck';

export function resolveScenario(name: string): ScenarioName {
  if (!isScenarioName(name))
    throw new ConfigError(`unknown scenario "${name}": expected one of ${SCENARIOS.join(', ')}`);
  return name;
}

/**
 * Simulated hourly counts, rows ordered by (timestamp, counter id) like the
 * warehouse returns them. Same options, same table, bit for bit.
 */
export function simulateCounts(options: SimulateOptions): CountTable {
  const scenario = resolveScenario(options.scenario);
  const nCounters = options.counters ?? 12;
  if (!Number.isInteger(nCounters) || nCounters < 1)
    throw new ConfigError(`counters must be a positive integer, got ${options.counters}`);
  if (!Number.isFinite(options.fromMs) || !Number.isFinite(options.toMs))
    throw new ConfigError('simulation window needs finite from/to instants');
  const seed = options.seed >>> 0;
  const fromMs = Math.ceil(options.fromMs / HOUR_MS) * HOUR_MS;
  const toMs = options.toMs;
  const changeAtMs = options.changeAtMs ?? fromMs + DEFAULT_CHANGE_AFTER_DAYS * DAY_MS;
  const E = SCENARIO_EFFECTS;

  const extra = scenario === 'new-counters' ? Math.max(2, Math.round(nCounters * E.newCounterShare)) : 0;
  // Sorted by id so each hour's rows come in counter-id order.
  const roster = simRoster(0, nCounters + extra).sort((a, b) => (a.counterId < b.counterId ? -1 : 1));
  const isNew = roster.map((c) => c.index >= nCounters);
  const shapes = roster.map(counterShape);
  const lockShapes = scenario === 'lockdown' ? shapes.map(lockdownShape) : shapes;
  const broken = brokenSensors(scenario, roster, nCounters, seed);
  const cal = new ParisCalendar();
  const eff =
    options.effects && toMs > fromMs
      ? dailyEffects(options.effects, cal.at(fromMs).day.dayNo, cal.at(toMs - 1).day.dayNo)
      : undefined;
  // The leisure shapes a schedule's shape mix moves towards (commute peaks flattened, day totals kept).
  const leisureShapes = eff?.mixes ? shapes.map(lockdownShape) : shapes;

  const nHours = Math.max(0, Math.ceil((toMs - fromMs) / HOUR_MS));
  const hoursBeforeChange = Math.min(nHours, Math.max(0, Math.ceil((changeAtMs - fromMs) / HOUR_MS)));
  const rows = nHours * nCounters + (nHours - hoursBeforeChange) * extra;
  const t = emptyCountTable(rows);
  const rng = new RowRandom();
  const faultToday = new Array<Fault>(roster.length).fill('none');
  let faultDay = NaN;
  let o = 0;

  for (let k = 0; k < nHours; k++) {
    const ts = fromMs + k * HOUR_MS;
    const hourNo = ts / HOUR_MS;
    const { hour, day } = cal.at(ts);
    const changed = ts >= changeAtMs;
    const dayType = day.isHoliday ? HOLIDAY_DAY_TYPE : day.weekday;
    let level = SEASON_BY_DAY_OF_YEAR[day.dayOfYear] * rainFactor(seed, day.dayNo, day.month, hour);
    if (changed) level *= scenarioFactor(scenario, day.weekday >= 5 || day.isHoliday, ts - changeAtMs);
    let mix = 0;
    if (eff) {
      level *= eff.level[day.dayNo - eff.firstDayNo];
      mix = eff.shapeMix[day.dayNo - eff.firstDayNo];
    }
    if (day.dayNo !== faultDay) {
      faultDay = day.dayNo;
      for (let c = 0; c < roster.length; c++) faultToday[c] = everydayFault(seed, roster[c].index, day.dayNo);
    }
    const slot = dayType * 24 + hour;

    for (let c = 0; c < roster.length; c++) {
      if (isNew[c] && !changed) continue;
      const sc = roster[c];
      let fault = faultToday[c];
      if (changed && broken.has(c)) fault = broken.get(c)!;
      let count: number;
      if (fault === 'zero') count = 0;
      else if (fault === 'stuck') count = Math.round(sc.baseLevel);
      else {
        const shape = changed ? lockShapes[c] : shapes[c];
        const s = mix > 0 ? (1 - mix) * shape[slot] + mix * leisureShapes[c][slot] : shape[slot];
        const mean = sc.baseLevel * s * level;
        rng.reseed(hash3(seed ^ NOISE_SALT, sc.index, hourNo));
        count = rng.poisson(mean * rng.gammaMeanOne(NOISE_SHAPE));
      }
      t.counterId[o] = sc.counterId;
      t.counterName[o] = sc.counterName;
      t.siteId[o] = sc.siteId;
      t.timestampMs[o] = ts;
      t.count[o] = count;
      t.lat[o] = sc.lat;
      t.lon[o] = sc.lon;
      o++;
    }
  }
  if (o !== rows) throw new Error(`simulator row count mismatch: ${o} != ${rows}`);
  return t;
}

function scenarioFactor(scenario: ScenarioName, restDay: boolean, sinceChangeMs: number): number {
  const E = SCENARIO_EFFECTS;
  switch (scenario) {
    case 'lockdown':
      return E.lockdownFactor;
    case 'strike':
      return restDay ? E.strikeWeekendFactor : E.strikeWeekdayFactor;
    case 'seasonal':
      return 1 + (E.seasonalGrowthPerYear * sinceChangeMs) / (365.25 * DAY_MS);
    default:
      return 1;
  }
}

/** Rare everyday faults: a sensor reads zero, or repeats one value, for a whole day. */
function everydayFault(seed: number, counterIndex: number, dayNo: number): Fault {
  const u = unitFromHash(hash3(seed ^ FAULT_SALT, counterIndex, dayNo));
  return u < ZERO_DAY_CHANCE ? 'zero' : u < ZERO_DAY_CHANCE + STUCK_DAY_CHANCE ? 'stuck' : 'none';
}

/** `broken-sensors`: which roster positions fail from the change date, and how. */
function brokenSensors(
  scenario: ScenarioName,
  roster: SimCounter[],
  nCounters: number,
  seed: number,
): Map<number, Fault> {
  const out = new Map<number, Fault>();
  if (scenario !== 'broken-sensors') return out;
  const n = Math.max(1, Math.round(nCounters * SCENARIO_EFFECTS.brokenSensorShare));
  const picked = roster
    .map((c, pos) => ({ pos, key: hash3(seed ^ FAULT_SALT, c.index, -1) }))
    .sort((a, b) => a.key - b.key)
    .slice(0, n);
  picked.forEach((p, i) => out.set(p.pos, i % 2 === 0 ? 'zero' : 'stuck'));
  return out;
}

/** Defaults that simulate quickly (12 counters × 120 days ≈ 35K rows) for tests and examples. */
export const SIMULATION_DEFAULTS = {
  scenario: 'stable',
  fromMs: Date.parse('2024-01-01T00:00:00Z'),
  toMs: Date.parse('2024-04-30T00:00:00Z'),
  counters: 12,
  seed: 42,
} as const satisfies SimulateOptions;

export function simulateDefaults(overrides: Partial<SimulateOptions> = {}): CountTable {
  return simulateCounts({ ...SIMULATION_DEFAULTS, ...overrides });
}
