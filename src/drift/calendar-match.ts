import type { DriftConfig } from './config';

/**
 * A week against a year: month and day-of-year always "drift", hour and
 * weekday never do, and the count itself differs by season. So the
 * reference is first brought to the current window's calendar:
 *
 * - `seasonal-match`: only reference rows within ±N days of the current days
 *   of the year (the same weeks of another year, or of the same year when the
 *   reference contains them), then reweighted to the current weekday × hour mix;
 * - `weekday-hour-mix`: the whole reference reweighted to the current
 *   weekday × hour mix (when the reference does not cover those weeks);
 * - `exclude`: the whole reference as is; hour and weekday signals left out.
 *
 * Reweighting keeps every matched row and scales it by current share /
 * reference share of its weekday × hour cell, so the two windows have the
 * same hours and weekdays in the same proportions before anything is compared.
 */
export type CalendarPolicy = 'seasonal-match' | 'weekday-hour-mix' | 'exclude';

export interface CalendarMatch {
  requested: DriftConfig['calendar']['policy'];
  policy: CalendarPolicy;
  /** One sentence for the report: what was done and why. */
  reason: string;
  seasonalWindowDays: number;
  /** Reference rows with a non-zero weight. */
  matchedReferenceRows: number;
  /** Share of current days of the year with a reference day within the window. */
  coveredDayShare: number;
  /** Share of current rows in weekday × hour cells the matched reference lacks. */
  unmatchedCurrentShare: number;
}

export interface CalendarColumns {
  dayOfYear: Float32Array;
  weekday: Float32Array;
  hour: Float32Array;
}

const YEAR_DAYS = 365;
const CELLS = 7 * 24;

function circularDayDistance(a: number, b: number): number {
  const d = Math.abs(a - b);
  return Math.min(d, YEAR_DAYS - d);
}

export function matchCalendar(
  ref: CalendarColumns,
  cur: CalendarColumns,
  config: DriftConfig,
): { match: CalendarMatch; referenceWeights: Float64Array | null } {
  const c = config.calendar;
  const W = c.seasonalWindowDays;
  const base = { requested: c.policy, seasonalWindowDays: W };
  if (c.policy === 'exclude') {
    return {
      match: {
        ...base,
        policy: 'exclude',
        reason: 'calendar left out by configuration: whole reference compared as is; hour and weekday not compared',
        matchedReferenceRows: ref.hour.length,
        coveredDayShare: NaN,
        unmatchedCurrentShare: 0,
      },
      referenceWeights: null,
    };
  }

  const curDays = new Uint8Array(367);
  for (let i = 0; i < cur.dayOfYear.length; i++) curDays[cur.dayOfYear[i]] = 1;
  const refRowsByDay = new Float64Array(367);
  for (let i = 0; i < ref.dayOfYear.length; i++) refRowsByDay[ref.dayOfYear[i]]++;
  const inSeason = new Uint8Array(367);
  let curDayCount = 0;
  let covered = 0;
  for (let s = 1; s <= 366; s++) {
    if (!curDays[s]) continue;
    curDayCount++;
    let hasRef = false;
    for (let d = 1; d <= 366; d++) {
      if (circularDayDistance(d, s) <= W) {
        inSeason[d] = 1;
        if (refRowsByDay[d] > 0) hasRef = true;
      }
    }
    if (hasRef) covered++;
  }
  let seasonalRows = 0;
  for (let d = 1; d <= 366; d++) if (inSeason[d]) seasonalRows += refRowsByDay[d];
  const coveredDayShare = curDayCount ? covered / curDayCount : 0;
  const seasonalPossible = seasonalRows >= c.minMatchedRows && coveredDayShare >= c.minCoveredDayShare;

  let policy: CalendarPolicy;
  let reason: string;
  if (seasonalPossible) {
    policy = 'seasonal-match';
    reason = `reference restricted to the same weeks of the year (±${W} days of the current days: ${seasonalRows} rows) and reweighted to the current weekday × hour mix; month and day of year not compared`;
  } else {
    policy = 'weekday-hour-mix';
    const why = `the reference covers ${(coveredDayShare * 100).toFixed(0)}% of the current days within ±${W} days (${seasonalRows} rows; needs ${(c.minCoveredDayShare * 100).toFixed(0)}% and ${c.minMatchedRows})`;
    reason = `${c.policy === 'seasonal-match' ? 'seasonal match requested but impossible' : 'no seasonal match'}: ${why}; whole reference reweighted to the current weekday × hour mix, so seasonal level differences remain in the count; month and day of year not compared`;
  }

  const refCell = new Float64Array(CELLS);
  const curCell = new Float64Array(CELLS);
  const keep = policy === 'seasonal-match' ? inSeason : null;
  for (let i = 0; i < ref.hour.length; i++)
    if (!keep || keep[ref.dayOfYear[i]]) refCell[ref.weekday[i] * 24 + ref.hour[i]]++;
  for (let i = 0; i < cur.hour.length; i++) curCell[cur.weekday[i] * 24 + cur.hour[i]]++;
  let refTotal = 0;
  for (let k = 0; k < CELLS; k++) refTotal += refCell[k];
  const factor = new Float64Array(CELLS);
  let unmatched = 0;
  for (let k = 0; k < CELLS; k++) {
    if (refCell[k] > 0) factor[k] = curCell[k] / cur.hour.length / (refCell[k] / refTotal);
    else unmatched += curCell[k];
  }
  const weights = new Float64Array(ref.hour.length);
  let matched = 0;
  for (let i = 0; i < ref.hour.length; i++) {
    if (keep && !keep[ref.dayOfYear[i]]) continue;
    const w = factor[ref.weekday[i] * 24 + ref.hour[i]];
    weights[i] = w;
    if (w > 0) matched++;
  }
  return {
    match: {
      ...base,
      policy,
      reason,
      matchedReferenceRows: matched,
      coveredDayShare,
      unmatchedCurrentShare: cur.hour.length ? unmatched / cur.hour.length : 0,
    },
    referenceWeights: weights,
  };
}
