import { DAY_MS, HOUR_MS } from '../core/time';
import { isFrenchHolidayDay } from './french-holidays';

/**
 * Europe/Paris local calendar fields for instants, without `Intl` per row
 * (Intl formatting costs microseconds a call: seconds at 660K rows).
 *
 * Paris follows the EU rule since 1996: summer time (UTC+2) from the last
 * Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC, UTC+1
 * otherwise. Earlier years are outside the data this project sees.
 */

/** Last Sunday of `month` (1-12) of `year`, at 01:00 UTC: when EU clocks change. */
function lastSundayAt0100Utc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month, 0));
  const back = lastDay.getUTCDay(); // 0 = Sunday
  return Date.UTC(year, month - 1, lastDay.getUTCDate() - back, 1);
}

export interface DstWindow {
  /** First instant of summer time (UTC+2). */
  startMs: number;
  /** First instant back on winter time (UTC+1). */
  endMs: number;
}

const dstWindows = new Map<number, DstWindow>();

export function euDstWindow(year: number): DstWindow {
  let w = dstWindows.get(year);
  if (!w) {
    w = { startMs: lastSundayAt0100Utc(year, 3), endMs: lastSundayAt0100Utc(year, 10) };
    dstWindows.set(year, w);
  }
  return w;
}

const yearStarts = new Map<number, number>();
function yearStartMs(year: number): number {
  let s = yearStarts.get(year);
  if (s === undefined) {
    s = Date.UTC(year, 0, 1);
    yearStarts.set(year, s);
  }
  return s;
}

/** UTC calendar year of an instant, by arithmetic plus a one-step correction (no Date allocation). */
export function utcYear(ms: number): number {
  let y = 1970 + Math.floor(ms / (365.2425 * DAY_MS));
  if (ms < yearStartMs(y)) y--;
  else if (ms >= yearStartMs(y + 1)) y++;
  return y;
}

/** Paris offset from UTC at an instant: 1 h or 2 h, in ms. */
export function parisOffsetMs(utcMs: number): number {
  const w = euDstWindow(utcYear(utcMs));
  return utcMs >= w.startMs && utcMs < w.endMs ? 2 * HOUR_MS : HOUR_MS;
}

/** The local calendar day a Paris instant falls on. */
export interface ParisDay {
  /** Days since 1970-01-01 of the local date. */
  dayNo: number;
  year: number;
  /** 1-12 */
  month: number;
  /** 1-31 */
  dayOfMonth: number;
  /** 1-366 */
  dayOfYear: number;
  /** ISO weekday, 0 = Monday … 6 = Sunday. */
  weekday: number;
  isWeekend: boolean;
  isHoliday: boolean;
}

function computeDay(dayNo: number): ParisDay {
  const d = new Date(dayNo * DAY_MS);
  const year = d.getUTCFullYear();
  const weekday = (d.getUTCDay() + 6) % 7;
  return {
    dayNo,
    year,
    month: d.getUTCMonth() + 1,
    dayOfMonth: d.getUTCDate(),
    dayOfYear: dayNo - Math.round(yearStartMs(year) / DAY_MS) + 1,
    weekday,
    isWeekend: weekday >= 5,
    isHoliday: isFrenchHolidayDay(year, dayNo),
  };
}

/**
 * Per-day cache: rows come mostly in time order, so the last day answers most
 * look-ups and the map the rest. One instance per batch keeps memory bounded.
 */
export class ParisCalendar {
  private readonly days = new Map<number, ParisDay>();
  private last: ParisDay | undefined;

  day(dayNo: number): ParisDay {
    if (this.last && this.last.dayNo === dayNo) return this.last;
    let d = this.days.get(dayNo);
    if (!d) {
      d = computeDay(dayNo);
      this.days.set(dayNo, d);
    }
    this.last = d;
    return d;
  }

  /** Local wall-clock ms (the UTC fields of this number read as Paris local time). */
  localMs(utcMs: number): number {
    return utcMs + parisOffsetMs(utcMs);
  }

  /** Local hour 0-23 and local day of an instant. */
  at(utcMs: number): { hour: number; day: ParisDay } {
    const local = this.localMs(utcMs);
    const dayNo = Math.floor(local / DAY_MS);
    return { hour: Math.floor((local - dayNo * DAY_MS) / HOUR_MS), day: this.day(dayNo) };
  }
}

/** `2021-09-01T03:00:00+02:00`: the open-data export's local time with its offset. */
export function formatParisIso(utcMs: number): string {
  const off = parisOffsetMs(utcMs);
  const local = new Date(utcMs + off).toISOString().slice(0, 19);
  return `${local}+0${off / HOUR_MS}:00`;
}
