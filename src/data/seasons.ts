import type { CountTable } from '../core/counts';
import { ConfigError } from '../core/errors';
import { DAY_MS } from '../core/time';
import { SIMULATION_SCALES, type SimulationScale } from './baseline';
import type { EffectSchedule } from './effect-schedule';
import { simulateCounts, type SimulateOptions } from './simulator';

/**
 * Scenario seasons: complete simulated histories to backtest retraining
 * policies on. Each has a baseline period (train_baseline, then
 * test_baseline, cut by time) and then `weeksAfter` weeks on which the weekly
 * workflow is replayed, one run per Sunday (`weeklyAsOfs`), each scored on
 * the week after it. The effects ride on the ordinary world (`stable`:
 * weekly rhythm, the yearly curve with its August dip, public holidays, rain,
 * noise, rare sensor faults) as an effect schedule (effect-schedule.ts).
 *
 * The dates, effects and seeds below were fixed BEFORE any promotion rule was
 * tuned on them: do not edit them to make a rule look good. A new variant is
 * a new season.
 *
 * Calibration (the real 2020 hourly means over all Paris counters,
 * test/fixtures/paris/paris-2020-hourly-mean-count.csv, data © Ville de Paris,
 * ODbL). Levels of the lockdown and the reopening: weekday daily means
 * (public holidays left out) divided by the simulator's own yearly curve
 * (SEASON_BY_DAY_OF_YEAR), relative to the same over 27 January – 13 March
 * 2020 (the weekly profile's reference period):
 * - first lockdown (17 March – 11 May): 0.17–0.20 in its first three weeks
 *   (23 March – 10 April: 0.183), creeping up to 0.27 in late April and 0.33
 *   in its last week; 23 March – 8 May as a whole: 0.228;
 * - reopening (Monday 11 May): 0.69 on the first day, 0.97 by the Friday,
 *   1.07 the week after, 1.22 in the third week (25–29 May), 1.28 over June
 *   (and still rising, ~1.45 in late June and July: the 2020 cycling boom);
 * - commute peaks (Monday–Friday mean count at 08-09 h over 13-14 h): 2.54
 *   before, 1.69 in the lockdown, 2.12 in June, 2.40 in July, 2.75 in
 *   September;
 * - August (raw means, all days): 105.8 against 163.4 in June (×0.65, −35 %),
 *   157.3 in July (×0.67) and 178.6 in September (×0.59, −41 %); the deepest
 *   week, 10–16 August, 80.4 (×0.49 of June's mean). The simulator's yearly
 *   curve already has most of this dip; relative to the trend of the July and
 *   September weeks, the deseasonalised August weeks sit at 0.89, 0.74, 0.83
 *   and 0.94. The ordinary world alone gives August ×0.67 of June, ×0.66 of
 *   September, its 14–20 August week ×0.49 of June; the season's extra ×0.92
 *   over 5–20 August brings these to ×0.63, ×0.62 and ×0.45, between the real
 *   ratios. The weekday peak ratio barely moves in the real August (morning
 *   2.40 → 2.25, evening 2.75 → 2.94): the holiday shape shift is kept small
 *   (a 0.2 mix; simulated morning ratio 2.46 in July → 2.04);
 * - what the lockdown-reopening season gives (small scale, weekdays): 0.22 of
 *   the effect-free world over 23 March – 8 May (0.26 of 3 February – 13 March
 *   in the same table, the real raw ratio being 0.27), 1.25 in June; peak
 *   ratios before / lockdown / June 2.19 / 1.18 / 1.88 in the morning (real
 *   2.54 / 1.69 / 2.12), 2.42 / 1.64 / 2.16 in the evening (real 2.57 / 1.59 /
 *   2.48): a lockdown shape mix of 0.8 (the full `lockdownShape` flattens the
 *   morning peak to 0.99, more than Paris did);
 * - second lockdown (30 October – 15 December, schools open): ×0.78 of 5–23
 *   October, a much milder effect (not a season here).
 */

export const SEASON_NAMES = ['lockdown-reopening', 'summer-holidays', 'growth', 'stable'] as const;
export type SeasonName = (typeof SEASON_NAMES)[number];

export interface SeasonSpec {
  description: string;
  /**
   * End of the baseline period (exclusive), a Sunday 'YYYY-MM-DD' read as
   * 00:00 UTC: test_baseline ends here and the weekly runs follow it.
   */
  baselineEnd: string;
  /** train_baseline: this many days, ending where test_baseline starts. */
  trainDays: number;
  /** test_baseline: this many days, ending at `baselineEnd`. */
  testDays: number;
  /** Weeks of data after the baseline period (≥ 14): the weekly runs and the weeks they are scored on. */
  weeksAfter: number;
  /** The season's effects on the ordinary world, by local day (none: the ordinary world). */
  effects: EffectSchedule;
  seed: number;
}

/** Minimum weeks after the baseline period, and of weekly runs in them. */
export const MIN_WEEKS_AFTER = 14;
export const MIN_WEEKLY_RUNS = 12;

/** A year of training (the champion has seen every month once), then six weeks of test: all seasons alike. */
const TRAIN_DAYS = 365;
const TEST_DAYS = 42;

export const SEASONS: Record<SeasonName, SeasonSpec> = {
  'lockdown-reopening': {
    description:
      'Paris 2020: the lockdown of 17 March (traffic at 18 % of normal, commute peaks flattened, creeping up to ' +
      '32 % by 10 May), the reopening of 11 May (70 % on the first day, 97 % by the Friday, 125 % from 27 May: ' +
      'more cycling than before) and the commute rhythm back by 5 July',
    baselineEnd: '2020-03-01',
    trainDays: TRAIN_DAYS,
    testDays: TEST_DAYS,
    weeksAfter: 18,
    effects: {
      level: [
        ['2020-03-16', 1],
        ['2020-03-17', 0.18],
        ['2020-04-10', 0.18],
        ['2020-05-10', 0.32],
        ['2020-05-11', 0.7],
        ['2020-05-15', 0.97],
        ['2020-05-27', 1.25],
      ],
      shapeMix: [
        ['2020-03-16', 0],
        ['2020-03-17', 0.8],
        ['2020-05-24', 0.8],
        ['2020-06-14', 0.2],
        ['2020-07-05', 0],
      ],
    },
    seed: 20200317,
  },
  'summer-holidays': {
    description:
      'Summer 2023: the August dip of the ordinary world, deepened ×0.92 from 5 to 20 August (August ≈ 0.63 × ' +
      'June), with a holiday rhythm (a 0.2 mix of the leisure shape through August, ramping over the school ' +
      'holidays of 8 July – 4 September), then the September rentrée',
    baselineEnd: '2023-06-04',
    trainDays: TRAIN_DAYS,
    testDays: TEST_DAYS,
    weeksAfter: 18,
    effects: {
      level: [
        ['2023-07-26', 1],
        ['2023-08-05', 0.92],
        ['2023-08-20', 0.92],
        ['2023-08-31', 1],
      ],
      shapeMix: [
        ['2023-07-08', 0],
        ['2023-08-01', 0.2],
        ['2023-08-23', 0.2],
        ['2023-09-04', 0],
      ],
    },
    seed: 20230801,
  },
  growth: {
    description:
      'Cycling grows +35 %/year from the baseline end (2 October 2022), with a +10 % step on Monday 14 November ' +
      '(a new cycle-lane axis opens): +25 % by the end, masked by the autumn and winter fall of the ordinary world',
    baselineEnd: '2022-10-02',
    trainDays: TRAIN_DAYS,
    testDays: TEST_DAYS,
    weeksAfter: 20,
    effects: {
      // Linear +35 %/year: 1 + 0.35 × 42/365 = 1.040 on 13 November; × 1.1 from the 14th (1.145); 1.248 on 19 February.
      level: [
        ['2022-10-02', 1],
        ['2022-11-13', 1.04],
        ['2022-11-14', 1.145],
        ['2023-02-19', 1.248],
      ],
    },
    seed: 20221002,
  },
  stable: {
    description:
      'The ordinary world, late winter to June 2023: weekly rhythm, spring rise, Easter and May holidays, rain',
    baselineEnd: '2023-02-26',
    trainDays: TRAIN_DAYS,
    testDays: TEST_DAYS,
    weeksAfter: 16,
    effects: {},
    seed: 20230226,
  },
};

export function isSeasonName(s: string): s is SeasonName {
  return (SEASON_NAMES as readonly string[]).includes(s);
}

export function resolveSeason(name: string): SeasonName {
  if (!isSeasonName(name))
    throw new ConfigError(`unknown season "${name}": expected one of ${SEASON_NAMES.join(', ')}`);
  return name;
}

/** Where a season's data starts, where the baseline sets are cut, and where it ends (epoch ms). */
export interface SeasonPeriods {
  /** First instant of train_baseline (and of the data). */
  trainFromMs: number;
  /** First instant of test_baseline. */
  testFromMs: number;
  /** End of test_baseline (exclusive) = the start of the weeks after the baseline. */
  baselineEndMs: number;
  /** End of the data (exclusive). */
  endMs: number;
}

export function seasonPeriods(name: SeasonName): SeasonPeriods {
  const s = SEASONS[name];
  const baselineEndMs = Date.parse(`${s.baselineEnd}T00:00:00Z`);
  if (!Number.isFinite(baselineEndMs) || new Date(baselineEndMs).getUTCDay() !== 0)
    throw new ConfigError(`season ${name}: baselineEnd ${s.baselineEnd} must be a Sunday (YYYY-MM-DD)`);
  if (!(s.weeksAfter >= MIN_WEEKS_AFTER))
    throw new ConfigError(`season ${name}: weeksAfter must be at least ${MIN_WEEKS_AFTER}`);
  const testFromMs = baselineEndMs - s.testDays * DAY_MS;
  return {
    trainFromMs: testFromMs - s.trainDays * DAY_MS,
    testFromMs,
    baselineEndMs,
    endMs: baselineEndMs + s.weeksAfter * 7 * DAY_MS,
  };
}

/**
 * The weekly runs' asOf instants: every Sunday 00:00 UTC strictly after the
 * baseline end (so each run has at least a week of post-baseline data) whose
 * following week is wholly in the data (so the week can be scored).
 */
export function weeklyAsOfs(name: SeasonName): number[] {
  const p = seasonPeriods(name);
  const out: number[] = [];
  for (let t = p.baselineEndMs + 7 * DAY_MS; t + 7 * DAY_MS <= p.endMs; t += 7 * DAY_MS) out.push(t);
  return out;
}

/** The simulator options of a season at a scale (the scale sets only the number of counters). */
export function seasonSimulateOptions(name: SeasonName, scale: SimulationScale): SimulateOptions {
  const s = SEASONS[name];
  const p = seasonPeriods(name);
  return {
    scenario: 'stable',
    fromMs: p.trainFromMs,
    toMs: p.endMs,
    counters: SIMULATION_SCALES[scale].counters,
    seed: s.seed,
    effects: s.effects,
  };
}

export interface SimulatedSeason extends SeasonPeriods {
  name: SeasonName;
  scale: SimulationScale;
  seed: number;
  /** The whole history, ordered by (timestamp, counter id). */
  table: CountTable;
  /** The weekly runs' asOf instants (see `weeklyAsOfs`). */
  asOfs: number[];
}

/** A season's whole table at a scale, where its baseline sets are cut, and its weekly runs. */
export function simulateSeason(name: SeasonName, scale: SimulationScale): SimulatedSeason {
  return {
    name,
    scale,
    seed: SEASONS[name].seed,
    ...seasonPeriods(name),
    table: simulateCounts(seasonSimulateOptions(name, scale)),
    asOfs: weeklyAsOfs(name),
  };
}
