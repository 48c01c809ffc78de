import type { CountTable } from '../core/counts';

/**
 * How many rows of `probe` are also rows of `keys`, joined on (counter id,
 * timestamp): the test that a test set holds no training row, counted on the
 * rows themselves rather than inferred from the windows that were cut.
 */
export function countSharedRows(keys: CountTable, probe: CountTable): number {
  if (keys.length === 0 || probe.length === 0) return 0;
  const counterIndex = new Map<string, number>();
  const set = new Set<number>();
  let minMs = Infinity;
  let maxMs = -Infinity;
  for (let i = 0; i < keys.length; i++) {
    let c = counterIndex.get(keys.counterId[i]);
    if (c === undefined) counterIndex.set(keys.counterId[i], (c = counterIndex.size));
    const ts = keys.timestampMs[i];
    set.add(rowKey(c, ts));
    if (ts < minMs) minMs = ts;
    if (ts > maxMs) maxMs = ts;
  }
  let shared = 0;
  for (let i = 0; i < probe.length; i++) {
    // A row outside the keys' time span (widened by the key's rounding) cannot be one of them: most
    // probe rows (a year of training rows against a few test weeks) are skipped on one comparison,
    // before any string lookup.
    const ts = probe.timestampMs[i];
    if (ts < minMs - ROW_KEY_MS || ts > maxMs + ROW_KEY_MS) continue;
    const c = counterIndex.get(probe.counterId[i]);
    if (c !== undefined && set.has(rowKey(c, ts))) shared++;
  }
  return shared;
}

/** Exact below 2^53: minutes since 1970 stay under 1e9 until the year 3871, counters under 9e6. */
const ROW_KEY_MS = 60_000;

function rowKey(counter: number, timestampMs: number): number {
  return counter * 1e9 + Math.round(timestampMs / ROW_KEY_MS);
}
