/**
 * Fast parsing of the timestamps found in counter files, by character codes:
 * `Date.parse` is slow enough to matter at 660K rows, and too lenient
 * (it accepts "2021-02-30", which must be refused, not rolled over).
 *
 * Accepted: `YYYY-MM-DD[T| ]HH:MM[:SS[.fff]]` followed by `Z`, `±HH:MM`,
 * `±HHMM`, `±HH`, ` UTC`, or nothing. What nothing means is the caller's
 * choice: the open-data export always carries an offset (a bare local time
 * is ambiguous on the autumn night), the raw table holds UTC instants.
 */

export type NaiveTimestampPolicy = 'utc' | 'reject';

const dayCache = new Map<number, number>();

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function daysInMonth(y: number, m: number): number {
  return m === 2
    ? y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
      ? 29
      : 28
    : [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Epoch ms of the instant, or NaN when `s` is not a valid timestamp under `naive`. */
export function parseInstant(s: string, naive: NaiveTimestampPolicy): number {
  const len = s.length;
  if (len < 16 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58) return NaN;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 32 && sep !== 116) return NaN;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59) return NaN;
  if (d > daysInMonth(y, mo)) return NaN;
  let i = 16;
  let sec = 0;
  let ms = 0;
  if (s.charCodeAt(i) === 58) {
    sec = digits(s, i + 1, 2);
    if (sec < 0 || sec > 59) return NaN;
    i += 3;
    if (s.charCodeAt(i) === 46) {
      let j = i + 1;
      let scale = 100;
      while (j < len && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) {
        ms += (s.charCodeAt(j) - 48) * scale;
        scale /= 10;
        j++;
      }
      if (j === i + 1) return NaN;
      ms = Math.floor(ms);
      i = j;
    }
  }
  let offsetMin: number;
  if (i === len) {
    if (naive === 'reject') return NaN;
    offsetMin = 0;
  } else {
    const c = s.charCodeAt(i);
    const rest = len - i;
    if ((c === 90 || c === 122) && rest === 1) offsetMin = 0;
    else if (c === 32 && s.slice(i + 1) === 'UTC') offsetMin = 0;
    else if (c === 43 || c === 45) {
      const oh = digits(s, i + 1, 2);
      let om: number;
      if (rest === 3) om = 0;
      else if (rest === 6 && s.charCodeAt(i + 3) === 58) om = digits(s, i + 4, 2);
      else if (rest === 5) om = digits(s, i + 3, 2);
      else return NaN;
      if (oh < 0 || oh > 14 || om < 0 || om > 59) return NaN;
      offsetMin = (c === 45 ? -1 : 1) * (oh * 60 + om);
    } else return NaN;
  }
  const dayKey = y * 10000 + mo * 100 + d;
  let dayMs = dayCache.get(dayKey);
  if (dayMs === undefined) {
    dayMs = Date.UTC(y, mo - 1, d);
    if (dayCache.size > 100_000) dayCache.clear();
    dayCache.set(dayKey, dayMs);
  }
  return dayMs + ((h * 60 + mi - offsetMin) * 60 + sec) * 1000 + ms;
}
