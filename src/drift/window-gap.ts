import { timeSpan, type CountTable } from '../core/counts';
import { DAY_MS } from '../core/time';

/** Beyond this, the two windows sit in different seasons of different years: their differences are not drift. */
export const MAX_WINDOW_GAP_DAYS = 300;

/**
 * A warning when the current window starts more than MAX_WINDOW_GAP_DAYS
 * after the reference ends (or ends before it starts): a week of another year
 * compared with a reference shows the calendar, not a change in traffic.
 */
export function windowGapWarning(reference: CountTable, current: CountTable): string | null {
  if (reference.length === 0 || current.length === 0) return null;
  const ref = timeSpan(reference);
  const cur = timeSpan(current);
  const after = (cur.minMs - ref.maxMs) / DAY_MS;
  const before = (ref.minMs - cur.maxMs) / DAY_MS;
  const gap = Math.max(after, before);
  if (gap <= MAX_WINDOW_GAP_DAYS) return null;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return (
    `the current window (${day(cur.minMs)} to ${day(cur.maxMs)}) is ${Math.round(gap)} days ` +
    `${after > 0 ? 'after' : 'before'} the reference (${day(ref.minMs)} to ${day(ref.maxMs)}), ` +
    `more than ${MAX_WINDOW_GAP_DAYS}: seasonal and year-to-year differences will read as drift`
  );
}
