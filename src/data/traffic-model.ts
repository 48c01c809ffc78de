import { PARIS_2020_WEEK_PROFILE } from './calibration/paris-2020';
import type { SimCounter } from './counter-roster';
import { hash3, unitFromHash } from './random';

/**
 * The expected hourly count of a counter, before noise: weekly rhythm from
 * the real 2020 Paris profile, a per-counter mix of commute and leisure
 * rhythm with direction asymmetry, seasons, holidays and rain.
 */

/** Row of the day-type tables used for public holidays (after the 7 weekdays). */
export const HOLIDAY_DAY_TYPE = 7;

const WEEKDAY_MEAN = (() => {
  let s = 0;
  for (let w = 0; w < 5; w++) for (let h = 0; h < 24; h++) s += PARIS_2020_WEEK_PROFILE[w][h];
  return s / 120;
})();

/** The real profile, scaled so an average weekday hour is 1. */
const NORMALISED = PARIS_2020_WEEK_PROFILE.map((day) => day.map((v) => v / WEEKDAY_MEAN));
/** Holidays ride like a slightly quieter Sunday. */
const HOLIDAY = NORMALISED[6].map((v) => 0.95 * v);
/** Leisure rhythm: the weekend hump, also present (smaller) on weekdays. */
const LEISURE_WEEKDAY = NORMALISED[6].map((v) => 0.8 * v);

const MORNING_PEAK = new Set([6, 7, 8, 9, 10]);
const EVENING_PEAK = new Set([16, 17, 18, 19, 20]);

/** 8 × 24 shape table of one counter (weekdays 0-6, then holidays), normalised to its own weekday mean 1. */
export function counterShape(c: SimCounter): Float64Array {
  const out = new Float64Array(8 * 24);
  for (let d = 0; d < 8; d++) {
    const base = d === HOLIDAY_DAY_TYPE ? HOLIDAY : NORMALISED[d];
    const leisure = d >= 5 ? base : LEISURE_WEEKDAY;
    for (let h = 0; h < 24; h++) {
      let v = (1 - c.leisureShare) * base[h] + c.leisureShare * leisure[h];
      if (d < 5 || d === HOLIDAY_DAY_TYPE) {
        if (MORNING_PEAK.has(h)) v *= 1 + c.commuteAsymmetry;
        else if (EVENING_PEAK.has(h)) v *= 1 - c.commuteAsymmetry;
      }
      out[d * 24 + h] = v;
    }
  }
  return out;
}

/**
 * Lockdown shape: what traffic remains is more leisure than commute, so the
 * weekday profile moves halfway to the Sunday one, rescaled to keep each
 * day's total (the -80 % is applied separately and stays exact).
 */
export function lockdownShape(shape: Float64Array): Float64Array {
  const out = new Float64Array(shape.length);
  for (let d = 0; d < 8; d++) {
    let total = 0;
    let sunday = 0;
    for (let h = 0; h < 24; h++) {
      total += shape[d * 24 + h];
      sunday += shape[6 * 24 + h];
    }
    for (let h = 0; h < 24; h++) out[d * 24 + h] = 0.5 * shape[d * 24 + h] + (0.5 * shape[6 * 24 + h] * total) / sunday;
  }
  return out;
}

/**
 * Month factors at mid-month, from Paris counts in ordinary years: a spring
 * rise, a June high, the August dip (Parisians leave), the September
 * rentrée peak, a winter low.
 */
const MONTH_FACTORS = [0.78, 0.82, 0.92, 1.02, 1.08, 1.18, 1.06, 0.62, 1.22, 1.08, 0.9, 0.76];
const MID_MONTH_DOY = [15, 45, 74, 105, 135, 166, 196, 227, 258, 288, 319, 349];

/** Season factor by day of year (1-366), linear between mid-months. */
export const SEASON_BY_DAY_OF_YEAR: Float64Array = (() => {
  const t = new Float64Array(367);
  for (let doy = 1; doy <= 366; doy++) {
    const i = MID_MONTH_DOY.findIndex((m) => m > doy) - 1;
    let x0: number, x1: number, y0: number, y1: number;
    if (i === -2 || i === -1) {
      // Before mid-January or after mid-December: wrap around the year end.
      const after = i === -1 ? doy : doy - 365;
      x0 = MID_MONTH_DOY[11] - 365;
      x1 = MID_MONTH_DOY[0];
      y0 = MONTH_FACTORS[11];
      y1 = MONTH_FACTORS[0];
      t[doy] = y0 + ((y1 - y0) * (after - x0)) / (x1 - x0);
      continue;
    }
    x0 = MID_MONTH_DOY[i];
    x1 = MID_MONTH_DOY[i + 1];
    y0 = MONTH_FACTORS[i];
    y1 = MONTH_FACTORS[i + 1];
    t[doy] = y0 + ((y1 - y0) * (doy - x0)) / (x1 - x0);
  }
  return t;
})();

/** Chance that a day is rainy, by month (Paris: drizzly winters, drier summers). */
const RAIN_CHANCE = [0.45, 0.4, 0.4, 0.38, 0.4, 0.33, 0.28, 0.28, 0.3, 0.4, 0.45, 0.45];
const WEATHER_SALT = 0x0ea7e500;

/**
 * City-wide rain factor for a local day and hour: rainy days come in spells
 * (a 3-day weather regime mixed with the day's own draw), and it rains in
 * some 3-hour blocks of a rainy day, lowering counts by up to 45 %.
 */
export function rainFactor(seed: number, dayNo: number, month: number, hour: number): number {
  const regime = unitFromHash(hash3(seed ^ WEATHER_SALT, Math.floor(dayNo / 3), 1));
  const own = unitFromHash(hash3(seed ^ WEATHER_SALT, dayNo, 2));
  if (0.5 * regime + 0.5 * own >= RAIN_CHANCE[month - 1] + 0.1) return 1;
  const block = Math.floor(hour / 3);
  const b = unitFromHash(hash3(seed ^ WEATHER_SALT, dayNo, 10 + block));
  if (b < 0.45) return 1;
  return 1 - 0.45 * ((b - 0.45) / 0.55);
}
