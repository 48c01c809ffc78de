/**
 * French public holidays (metropolitan France), computed for any year: the
 * movable ones follow Easter, so a hard-coded year list would silently stop
 * being right the year after it was written.
 */
import { DAY_MS } from '../core/time';

export interface PublicHoliday {
  /** Local calendar date, `YYYY-MM-DD`. */
  date: string;
  name: string;
}

/** Easter Sunday of the Gregorian calendar (anonymous Gregorian computus, a.k.a. Meeus/Jones/Butcher). */
export function easterSunday(year: number): { month: number; day: number } {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

/** Day number (days since 1970-01-01) of a calendar date; the calendar is zone-free here. */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

function isoDate(dayNo: number): string {
  return new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
}

export function frenchPublicHolidays(year: number): PublicHoliday[] {
  const easter = easterSunday(year);
  const e = dayNumber(year, easter.month, easter.day);
  const fixed = (m: number, d: number) => dayNumber(year, m, d);
  const days: [number, string][] = [
    [fixed(1, 1), "Jour de l'an"],
    [e + 1, 'Lundi de Pâques'],
    [fixed(5, 1), 'Fête du Travail'],
    [fixed(5, 8), 'Victoire 1945'],
    [e + 39, 'Ascension'],
    // Still a public holiday in law; the "journée de solidarité" changes pay, not traffic, for most commuters.
    [e + 50, 'Lundi de Pentecôte'],
    [fixed(7, 14), 'Fête nationale'],
    [fixed(8, 15), 'Assomption'],
    [fixed(11, 1), 'Toussaint'],
    [fixed(11, 11), 'Armistice 1918'],
    [fixed(12, 25), 'Noël'],
  ];
  return days.sort((x, y) => x[0] - y[0]).map(([d, name]) => ({ date: isoDate(d), name }));
}

const holidayDaysByYear = new Map<number, Set<number>>();

/** Whether the local calendar day `dayNo` (days since 1970-01-01) of `year` is a French public holiday. */
export function isFrenchHolidayDay(year: number, dayNo: number): boolean {
  let set = holidayDaysByYear.get(year);
  if (!set) {
    set = new Set(frenchPublicHolidays(year).map((h) => Math.round(Date.parse(`${h.date}T00:00:00Z`) / DAY_MS)));
    holidayDaysByYear.set(year, set);
  }
  return set.has(dayNo);
}
