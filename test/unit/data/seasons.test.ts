import { describe, expect, it } from 'vitest';
import type { CountTable } from '../../../src/core/counts';
import { ConfigError } from '../../../src/core/errors';
import { DAY_MS, HOUR_MS } from '../../../src/core/time';
import { countTableContentHash, SIMULATION_SCALES } from '../../../src/data/baseline';
import {
  MIN_WEEKLY_RUNS,
  MIN_WEEKS_AFTER,
  resolveSeason,
  SEASON_NAMES,
  SEASONS,
  seasonPeriods,
  seasonSimulateOptions,
  simulateSeason,
  weeklyAsOfs,
  type SeasonName,
} from '../../../src/data/seasons';
import { simulateCounts } from '../../../src/data/simulator';
import { ParisCalendar } from '../../../src/features/paris-time';

const cal = new ParisCalendar();
const utc = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** Mean count per local day over [from, to), weekdays that are not public holidays only if asked. */
function dailyMean(t: CountTable, from: string, to: string, weekdaysOnly = false): number {
  const [f, e] = [utc(from), utc(to)];
  let sum = 0;
  const days = new Set<number>();
  for (let i = 0; i < t.length; i++) {
    const ts = t.timestampMs[i];
    if (ts < f || ts >= e) continue;
    const { day } = cal.at(ts);
    if (weekdaysOnly && (day.weekday >= 5 || day.isHoliday)) continue;
    sum += t.count[i];
    days.add(day.dayNo);
  }
  return sum / days.size;
}

/** Weekday (not holiday) 08-09 h count over 13-14 h count: how strong the morning commute peak is. */
function morningPeak(t: CountTable, from: string, to: string): number {
  const [f, e] = [utc(from), utc(to)];
  let peak = 0;
  let midday = 0;
  for (let i = 0; i < t.length; i++) {
    const ts = t.timestampMs[i];
    if (ts < f || ts >= e) continue;
    const { hour, day } = cal.at(ts);
    if (day.weekday >= 5 || day.isHoliday) continue;
    if (hour === 8) peak += t.count[i];
    else if (hour === 13) midday += t.count[i];
  }
  return peak / midday;
}

const seasonTable = new Map<SeasonName, CountTable>();
const ordinaryTable = new Map<SeasonName, CountTable>();
/** A season at the tiny scale (memoised). */
const season = (n: SeasonName) => seasonTable.get(n) ?? seasonTable.set(n, simulateSeason(n, 'tiny').table).get(n)!;
/** The same dates, counters and seed without the season's effects: the ordinary world. */
const ordinary = (n: SeasonName) =>
  ordinaryTable.get(n) ??
  ordinaryTable.set(n, simulateCounts({ ...seasonSimulateOptions(n, 'tiny'), effects: undefined })).get(n)!;

/** Rows before an instant (the tables are ordered by time). */
function before(t: CountTable, ms: number): number[] {
  let n = 0;
  while (n < t.length && t.timestampMs[n] < ms) n++;
  return Array.from(t.count.subarray(0, n));
}

describe('seasons: dates and weekly runs', () => {
  it.each(SEASON_NAMES)('%s: a baseline period, then ≥ 14 weeks with ≥ 12 Sunday runs each followed by a week', (n) => {
    const s = SEASONS[n];
    const p = seasonPeriods(n);
    expect(s.weeksAfter).toBeGreaterThanOrEqual(MIN_WEEKS_AFTER);
    expect(p.testFromMs - p.trainFromMs).toBe(s.trainDays * DAY_MS);
    expect(p.baselineEndMs - p.testFromMs).toBe(s.testDays * DAY_MS);
    const asOfs = weeklyAsOfs(n);
    expect(asOfs.length).toBeGreaterThanOrEqual(MIN_WEEKLY_RUNS);
    expect(asOfs.length).toBe(s.weeksAfter - 1);
    asOfs.forEach((t, i) => {
      expect(new Date(t).getUTCDay()).toBe(0);
      expect(t % DAY_MS).toBe(0);
      expect(t).toBeGreaterThan(p.baselineEndMs);
      expect(t + 7 * DAY_MS).toBeLessThanOrEqual(p.endMs);
      if (i > 0) expect(t - asOfs[i - 1]).toBe(7 * DAY_MS);
    });
    // The data really holds a whole week after the last run.
    const t = season(n);
    expect(t.timestampMs[t.length - 1]).toBe(p.endMs - HOUR_MS);
    expect(t.timestampMs[0]).toBe(p.trainFromMs);
    expect(p.endMs - asOfs[asOfs.length - 1]).toBeGreaterThanOrEqual(7 * DAY_MS);
  });

  it('has one row per counter and hour at each scale', () => {
    for (const n of SEASON_NAMES) {
      const p = seasonPeriods(n);
      const hours = (p.endMs - p.trainFromMs) / HOUR_MS;
      expect(season(n).length).toBe(hours * SIMULATION_SCALES.tiny.counters);
      expect(new Set(season(n).counterId).size).toBe(SIMULATION_SCALES.tiny.counters);
    }
    const small = simulateSeason('stable', 'small');
    expect(small.table.length).toBe(((small.endMs - small.trainFromMs) / HOUR_MS) * SIMULATION_SCALES.small.counters);
  });

  it('refuses an unknown season', () => {
    expect(() => resolveSeason('monsoon')).toThrow(ConfigError);
    expect(resolveSeason('growth')).toBe('growth');
  });
});

describe('seasons: determinism and the baseline period', () => {
  it.each(SEASON_NAMES)('%s: the same table for the same seed, bit for bit', (n) => {
    expect(countTableContentHash(simulateSeason(n, 'tiny').table)).toBe(countTableContentHash(season(n)));
    const otherSeed = simulateCounts({ ...seasonSimulateOptions(n, 'tiny'), seed: SEASONS[n].seed + 1 });
    expect(countTableContentHash(otherSeed)).not.toBe(countTableContentHash(season(n)));
  });

  it.each(SEASON_NAMES)('%s: the baseline period is the ordinary world (effects start after it)', (n) => {
    const end = seasonPeriods(n).baselineEndMs;
    const a = before(season(n), end);
    expect(a.length).toBeGreaterThan(0);
    expect(a).toEqual(before(ordinary(n), end));
  });

  it('stable is the ordinary world throughout', () => {
    expect(countTableContentHash(season('stable'))).toBe(countTableContentHash(ordinary('stable')));
  });
});

describe('seasons: intended effects', () => {
  it('lockdown-reopening: weekdays at ≈ 0.2 of before, flattened peaks, then back above the old level', () => {
    const t = season('lockdown-reopening');
    const o = ordinary('lockdown-reopening');
    const weeksBefore = dailyMean(t, '2020-02-03', '2020-03-14', true);
    const lockdown = dailyMean(t, '2020-03-23', '2020-05-09', true);
    const firstWeeks = dailyMean(t, '2020-03-23', '2020-04-11', true);
    console.log(
      `lockdown-reopening: lockdown/before ${(lockdown / weeksBefore).toFixed(3)} (first 3 weeks ${(firstWeeks / weeksBefore).toFixed(3)})`,
    );
    // The same ratio in the real 2020 data is 0.27 (raw weekday means, 23 March – 8 May over 27 January – 13 March).
    expect(lockdown / weeksBefore).toBeGreaterThan(0.2);
    expect(lockdown / weeksBefore).toBeLessThan(0.32);
    expect(firstWeeks / weeksBefore).toBeGreaterThan(0.16);
    expect(firstWeeks / weeksBefore).toBeLessThan(0.25);
    // Against the effect-free world of the same days (real, deseasonalised: 0.228; June 1.28).
    const effect = (from: string, to: string) => dailyMean(t, from, to, true) / dailyMean(o, from, to, true);
    expect(effect('2020-03-23', '2020-05-09')).toBeCloseTo(0.22, 1);
    expect(effect('2020-06-01', '2020-07-01')).toBeGreaterThan(1.18);
    expect(effect('2020-06-01', '2020-07-01')).toBeLessThan(1.32);
    // Commute peaks flattened in the lockdown (real morning peak ratio 2.54 → 1.69), mostly back in June.
    const peakBefore = morningPeak(t, '2020-02-03', '2020-03-14');
    expect(morningPeak(t, '2020-03-23', '2020-05-09')).toBeLessThan(0.75 * peakBefore);
    expect(morningPeak(t, '2020-06-01', '2020-07-01')).toBeGreaterThan(0.75 * peakBefore);
  });

  it('summer-holidays: August ≈ 0.6 × June with fewer commute peaks, then the September return', () => {
    const t = season('summer-holidays');
    const o = ordinary('summer-holidays');
    const [june, july, august, september] = [
      dailyMean(t, '2023-06-01', '2023-07-01'),
      dailyMean(t, '2023-07-01', '2023-08-01'),
      dailyMean(t, '2023-08-01', '2023-09-01'),
      dailyMean(t, '2023-09-01', '2023-10-01'),
    ];
    console.log(
      `summer-holidays: August/June ${(august / june).toFixed(3)}, August/July ${(august / july).toFixed(3)}, August/September ${(august / september).toFixed(3)}`,
    );
    // Real 2020: August/June 0.65, August/September 0.59.
    expect(august / june).toBeGreaterThan(0.55);
    expect(august / june).toBeLessThan(0.7);
    expect(august / september).toBeGreaterThan(0.55);
    expect(august / september).toBeLessThan(0.7);
    expect(dailyMean(t, '2023-09-04', '2023-10-01', true)).toBeGreaterThan(
      1.5 * dailyMean(t, '2023-08-07', '2023-08-26', true),
    );
    // The season's own part: ×0.92 over 5–20 August on the ordinary dip, and a flatter weekday rhythm.
    const deep = dailyMean(t, '2023-08-05', '2023-08-21') / dailyMean(o, '2023-08-05', '2023-08-21');
    expect(deep).toBeCloseTo(0.92, 1);
    expect(morningPeak(t, '2023-08-01', '2023-08-24')).toBeLessThan(0.92 * morningPeak(t, '2023-07-01', '2023-07-08'));
    expect(morningPeak(t, '2023-08-01', '2023-08-24')).toBeLessThan(0.92 * morningPeak(o, '2023-08-01', '2023-08-24'));
    // Before the school holidays: the ordinary world, bit for bit.
    expect(before(t, utc('2023-07-07'))).toEqual(before(o, utc('2023-07-07')));
  });

  it('growth: the last month is ≈ 1.2 × the first against the ordinary world', () => {
    const t = season('growth');
    const o = ordinary('growth');
    const p = seasonPeriods('growth');
    const month = (fromMs: number) => {
      const [f, e] = [new Date(fromMs), new Date(fromMs + 28 * DAY_MS)].map((d) => d.toISOString().slice(0, 10));
      return dailyMean(t, f, e) / dailyMean(o, f, e);
    };
    const first = month(p.baselineEndMs);
    const last = month(p.endMs - 28 * DAY_MS);
    console.log(`growth: first month ×${first.toFixed(3)}, last month ×${last.toFixed(3)} of the ordinary world`);
    expect(first).toBeGreaterThan(0.98);
    expect(first).toBeLessThan(1.05);
    expect(last / first).toBeGreaterThan(1.15);
    expect(last / first).toBeLessThan(1.3);
  });
});
