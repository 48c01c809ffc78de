/** Durations in milliseconds: the one home of these constants. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The UTC day number of an instant (days since the epoch). */
export function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}
