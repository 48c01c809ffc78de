/**
 * The simulator's drift scenarios. Each one equals `stable` before its change
 * date and applies its effect from it on, so a run over [train, recent) can
 * concatenate a stable past with a shifted present.
 */
export const SCENARIOS = [
  'stable',
  'seasonal',
  'lockdown',
  'strike',
  'new-counters',
  'broken-sensors',
  'bad-rows',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export function isScenarioName(s: string): s is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(s);
}

/** Effect sizes, exported so tests and docs check against the intended amounts. */
export const SCENARIO_EFFECTS = {
  /** Lockdown: every hour at 20 % of normal (≈ -80 %), commute peaks flattened. */
  lockdownFactor: 0.2,
  /** Transport strike: people switch to bikes, mostly for commuting. */
  strikeWeekdayFactor: 1.6,
  strikeWeekendFactor: 1.2,
  /** `seasonal`: the yearly cycle as usual plus cycling's long-run growth, per year since the change. */
  seasonalGrowthPerYear: 0.1,
  /** `new-counters`: this share of the roster (at least 2) appears at the change date. */
  newCounterShare: 0.2,
  /** `broken-sensors`: this share of counters (at least 1) breaks at the change: half read 0, half stick. */
  brokenSensorShare: 0.2,
  /** `bad-rows` (CSV only): one malformed line in this many. */
  badRowEvery: 200,
} as const;

export const DEFAULT_CHANGE_AFTER_DAYS = 14;

export const SCENARIO_DESCRIPTIONS: Record<ScenarioName, string> = {
  stable: 'the ordinary world: weekly rhythm, seasons, holidays, rain, noise, rare sensor faults',
  seasonal: 'stable plus the long-run growth of cycling from the change date (+10 %/year): the months as they come',
  lockdown: 'traffic falls to about 20 % (-80 %) from the change date, commute peaks flattened',
  strike: 'a transport strike from the change date: weekday traffic x1.6, weekends x1.2',
  'new-counters': 'counters never seen before appear at the change date (20 % more, at least 2)',
  'broken-sensors': 'from the change date 20 % of counters (at least 1) fail: half report zeros, half a stuck value',
  'bad-rows': 'stable counts; written as CSV, one line in 200 is malformed (for the import path)',
};
