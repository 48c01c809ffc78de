import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CountTable } from '../../../src/core/counts';
import { ConfigError } from '../../../src/core/errors';
import { DAY_MS } from '../../../src/core/time';
import { ParisCalendar } from '../../../src/features/paris-time';
import {
  SCENARIO_EFFECTS,
  simulateCounts,
  simulateDefaults,
  SIMULATION_DEFAULTS,
  writeOpenDataCsv,
} from '../../../src/data/simulator';
import { realPreLockdownWeekdayShape } from './real-paris-data';

function pearson(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
const FROM = Date.parse('2024-01-01T00:00:00Z');

/** Sum of counts per local-day key, optionally only rows passing `keep`. */
function dailyTotals(
  t: CountTable,
  keep: (weekday: number, holiday: boolean) => boolean = () => true,
): Map<number, number> {
  const cal = new ParisCalendar();
  const out = new Map<number, number>();
  for (let i = 0; i < t.length; i++) {
    const { day } = cal.at(t.timestampMs[i]);
    if (!keep(day.weekday, day.isHoliday)) continue;
    out.set(day.dayNo, (out.get(day.dayNo) ?? 0) + t.count[i]);
  }
  return out;
}

function sumWhere(t: CountTable, pred: (i: number) => boolean): number {
  let s = 0;
  for (let i = 0; i < t.length; i++) if (pred(i)) s += t.count[i];
  return s;
}

describe('simulator calibration', () => {
  it('has the real 2020 pre-lockdown weekday hourly shape (Pearson r ≥ 0.9)', () => {
    const t = simulateDefaults();
    const cal = new ParisCalendar();
    const sum = new Array<number>(24).fill(0);
    for (let i = 0; i < t.length; i++) {
      const { hour, day } = cal.at(t.timestampMs[i]);
      if (day.weekday < 5 && !day.isHoliday) sum[hour] += t.count[i];
    }
    const r = pearson(sum, realPreLockdownWeekdayShape());
    console.log(`simulated vs real 2020 weekday hourly shape: Pearson r = ${r.toFixed(4)}`);
    expect(r).toBeGreaterThanOrEqual(0.9);
  });

  it('shows commute peaks on weekdays and a midday hump on weekends', () => {
    const t = simulateDefaults();
    const cal = new ParisCalendar();
    const wd = new Array<number>(24).fill(0);
    const we = new Array<number>(24).fill(0);
    for (let i = 0; i < t.length; i++) {
      const { hour, day } = cal.at(t.timestampMs[i]);
      (day.weekday < 5 && !day.isHoliday ? wd : day.weekday >= 5 ? we : [])[hour] += t.count[i];
    }
    const argmax = (a: number[], from: number, to: number) =>
      a.slice(from, to).indexOf(Math.max(...a.slice(from, to))) + from;
    expect([8, 9]).toContain(argmax(wd, 5, 12));
    expect([17, 18, 19]).toContain(argmax(wd, 12, 24));
    expect(wd[8]).toBeGreaterThan(2 * wd[13]);
    const weekendPeak = argmax(we, 0, 24);
    expect(weekendPeak).toBeGreaterThanOrEqual(11);
    expect(weekendPeak).toBeLessThanOrEqual(17);
  });

  it('dips in August, drops on public holidays, and gives counters different levels', () => {
    const year = simulateCounts({ scenario: 'stable', fromMs: FROM, toMs: FROM + 366 * DAY_MS, counters: 6, seed: 3 });
    const month = (i: number) => new Date(year.timestampMs[i]).getUTCMonth();
    const daysIn = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    const monthMean = (m: number) => sumWhere(year, (i) => month(i) === m) / daysIn[m];
    expect(monthMean(7)).toBeLessThan(0.75 * monthMean(5));
    expect(monthMean(7)).toBeLessThan(0.75 * monthMean(8));
    const weekdays = dailyTotals(year, (w, h) => w < 5 && !h);
    const typical = [...weekdays.values()].sort((a, b) => a - b)[Math.floor(weekdays.size / 2)];
    const holidays = dailyTotals(year, (w, h) => w < 5 && h);
    expect(holidays.size).toBeGreaterThanOrEqual(8);
    for (const v of holidays.values()) expect(v).toBeLessThan(0.8 * typical);

    const t = simulateDefaults();
    const perCounter = new Map<string, number>();
    for (let i = 0; i < t.length; i++)
      perCounter.set(t.counterId[i], (perCounter.get(t.counterId[i]) ?? 0) + t.count[i]);
    const levels = [...perCounter.values()];
    expect(Math.max(...levels) / Math.min(...levels)).toBeGreaterThan(2.5);
  });

  it('uses ids in the real "site-channel" shape and real site coordinates', () => {
    const t = simulateDefaults({ toMs: SIMULATION_DEFAULTS.fromMs + DAY_MS });
    expect(new Set(t.counterId).size).toBe(12);
    for (let i = 0; i < t.length; i++) {
      expect(t.counterId[i]).toMatch(/^\d{9}-\d{9}$/);
      expect(t.counterId[i].startsWith(`${t.siteId[i]}-`)).toBe(true);
      expect(t.lat[i]).toBeGreaterThan(48.8);
      expect(t.lat[i]).toBeLessThan(48.91);
      expect(t.lon[i]).toBeGreaterThan(2.25);
      expect(t.lon[i]).toBeLessThan(2.42);
    }
  });
});

describe('simulator scenarios', () => {
  const opts = { fromMs: FROM, toMs: FROM + 42 * DAY_MS, counters: 12, seed: 7 };
  const changeAt = FROM + 14 * DAY_MS;
  const stable = simulateCounts({ ...opts, scenario: 'stable' });

  it('equals stable before the change date, in every scenario', () => {
    for (const scenario of ['seasonal', 'lockdown', 'strike', 'new-counters', 'broken-sensors', 'bad-rows']) {
      const s = simulateCounts({ ...opts, scenario });
      const before = (t: CountTable) => Array.from(t.count.subarray(0, 14 * 24 * 12));
      expect(before(s), scenario).toEqual(before(stable));
    }
  });

  it('lockdown cuts weekly totals by about 80 %', () => {
    const lock = simulateCounts({ ...opts, scenario: 'lockdown' });
    for (let week = 2; week < 6; week++) {
      const inWeek = (t: CountTable) => (i: number) =>
        t.timestampMs[i] >= FROM + week * 7 * DAY_MS && t.timestampMs[i] < FROM + (week + 1) * 7 * DAY_MS;
      const ratio = sumWhere(lock, inWeek(lock)) / sumWhere(stable, inWeek(stable));
      expect(ratio).toBeGreaterThan(SCENARIO_EFFECTS.lockdownFactor - 0.03);
      expect(ratio).toBeLessThan(SCENARIO_EFFECTS.lockdownFactor + 0.03);
    }
    const firstWeek = (t: CountTable) => (i: number) => t.timestampMs[i] < FROM + 7 * DAY_MS;
    expect(sumWhere(lock, firstWeek(lock))).toBe(sumWhere(stable, firstWeek(stable)));
  });

  it('strike raises weekly totals: weekdays x1.6, weekends x1.2', () => {
    const strike = simulateCounts({ ...opts, scenario: 'strike' });
    const ratio = (keep: (w: number, h: boolean) => boolean) => {
      const a = [...dailyTotals(strike, keep)].filter(([d]) => d * DAY_MS >= changeAt).reduce((s, [, v]) => s + v, 0);
      const b = [...dailyTotals(stable, keep)].filter(([d]) => d * DAY_MS >= changeAt).reduce((s, [, v]) => s + v, 0);
      return a / b;
    };
    expect(ratio((w, h) => w < 5 && !h)).toBeCloseTo(SCENARIO_EFFECTS.strikeWeekdayFactor, 1);
    expect(ratio((w, h) => w >= 5 || h)).toBeCloseTo(SCENARIO_EFFECTS.strikeWeekendFactor, 1);
    const week = (t: CountTable) => (i: number) =>
      t.timestampMs[i] >= changeAt && t.timestampMs[i] < changeAt + 7 * DAY_MS;
    const weekly = sumWhere(strike, week(strike)) / sumWhere(stable, week(stable));
    expect(weekly).toBeGreaterThan(1.4);
    expect(weekly).toBeLessThan(1.6);
  });

  it('new-counters adds counters never seen before, from the change date only', () => {
    const t = simulateCounts({ ...opts, scenario: 'new-counters' });
    const known = new Set(stable.counterId);
    const fresh = new Map<string, number>();
    for (let i = 0; i < t.length; i++) {
      if (known.has(t.counterId[i])) continue;
      expect(t.timestampMs[i]).toBeGreaterThanOrEqual(changeAt);
      fresh.set(t.counterId[i], (fresh.get(t.counterId[i]) ?? 0) + 1);
    }
    expect(fresh.size).toBe(Math.max(2, Math.round(12 * SCENARIO_EFFECTS.newCounterShare)));
    for (const rows of fresh.values()) expect(rows).toBe(28 * 24);
  });

  it('broken-sensors makes some counters read zero and others a stuck value', () => {
    const t = simulateCounts({ ...opts, scenario: 'broken-sensors' });
    const after = new Map<string, Set<number>>();
    for (let i = 0; i < t.length; i++) {
      if (t.timestampMs[i] < changeAt) continue;
      const s = after.get(t.counterId[i]) ?? new Set<number>();
      s.add(t.count[i]);
      after.set(t.counterId[i], s);
    }
    const constant = [...after.values()].filter((s) => s.size === 1).map((s) => [...s][0]);
    expect(constant.length).toBe(Math.max(1, Math.round(12 * SCENARIO_EFFECTS.brokenSensorShare)));
    expect(constant).toContain(0);
    expect(constant.some((v) => v > 0)).toBe(true);
  });

  it('refuses an unknown scenario', () => {
    expect(() => simulateCounts({ ...opts, scenario: 'flood' })).toThrow(ConfigError);
  });
});

describe('simulator determinism', () => {
  it('gives the same bytes for the same seed, other bytes for another seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const o = {
      fromMs: FROM,
      toMs: FROM + 10 * DAY_MS,
      counters: 5,
      scenario: 'strike',
      changeAtMs: FROM + 5 * DAY_MS,
    };
    const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    await writeOpenDataCsv(simulateCounts({ ...o, seed: 1 }), join(dir, 'a.csv'));
    await writeOpenDataCsv(simulateCounts({ ...o, seed: 1 }), join(dir, 'b.csv'));
    await writeOpenDataCsv(simulateCounts({ ...o, seed: 2 }), join(dir, 'c.csv'));
    expect(sha(join(dir, 'a.csv'))).toBe(sha(join(dir, 'b.csv')));
    expect(sha(join(dir, 'a.csv'))).not.toBe(sha(join(dir, 'c.csv')));
  });

  it('simulates a window in pieces exactly as at once', () => {
    const whole = simulateCounts({ scenario: 'stable', fromMs: FROM, toMs: FROM + 20 * DAY_MS, counters: 4, seed: 9 });
    const a = simulateCounts({ scenario: 'stable', fromMs: FROM, toMs: FROM + 8 * DAY_MS, counters: 4, seed: 9 });
    const b = simulateCounts({
      scenario: 'stable',
      fromMs: FROM + 8 * DAY_MS,
      toMs: FROM + 20 * DAY_MS,
      counters: 4,
      seed: 9,
    });
    expect([...a.count, ...b.count]).toEqual(Array.from(whole.count));
    expect([...a.counterId, ...b.counterId]).toEqual(whole.counterId);
  });

  it('orders rows by timestamp then counter id', () => {
    const t = simulateDefaults({ toMs: SIMULATION_DEFAULTS.fromMs + 3 * DAY_MS });
    for (let i = 1; i < t.length; i++) {
      const ok =
        t.timestampMs[i] > t.timestampMs[i - 1] ||
        (t.timestampMs[i] === t.timestampMs[i - 1] && t.counterId[i] > t.counterId[i - 1]);
      expect(ok).toBe(true);
    }
  });
});
