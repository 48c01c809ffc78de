import type { CountTable } from '../core/counts';
import { lowerBound } from '../core/sorted';

/**
 * How many rows of `probe` are also rows of `keys`, joined on (counter id,
 * timestamp): the test that a test set holds no training row, counted on the
 * rows themselves rather than inferred from the windows that were cut.
 */
export function countSharedRows(keys: CountTable, probe: CountTable): number {
  if (keys.length === 0 || probe.length === 0) return 0;
  // The keys sorted in a typed array, probed by binary search: a Set of 131K numbers (test_baseline's
  // rows) took 90 ms to build in a weekly run, the sort 10.
  const counterIndex = new Map<string, number>();
  const sorted = new Float64Array(keys.length);
  let minMs = Infinity;
  let maxMs = -Infinity;
  let lastId: string | undefined;
  let c = -1;
  for (let i = 0; i < keys.length; i++) {
    const id = keys.counterId[i];
    if (id !== lastId) {
      const known = counterIndex.get(id);
      if (known === undefined) counterIndex.set(id, (c = counterIndex.size));
      else c = known;
      lastId = id;
    }
    const ts = keys.timestampMs[i];
    sorted[i] = rowKey(c, ts);
    if (ts < minMs) minMs = ts;
    if (ts > maxMs) maxMs = ts;
  }
  sorted.sort();
  let shared = 0;
  for (let i = 0; i < probe.length; i++) {
    // A row outside the keys' time span (widened by the key's rounding) cannot be one of them: most
    // probe rows (a year of training rows against a few test weeks) are skipped on one comparison,
    // before any string lookup.
    const ts = probe.timestampMs[i];
    if (ts < minMs - ROW_KEY_MS || ts > maxMs + ROW_KEY_MS) continue;
    const pc = counterIndex.get(probe.counterId[i]);
    if (pc !== undefined && holds(sorted, rowKey(pc, ts))) shared++;
  }
  return shared;
}

function holds(sorted: Float64Array, key: number): boolean {
  const at = lowerBound(sorted, key);
  return at < sorted.length && sorted[at] === key;
}

/** Exact below 2^53: minutes since 1970 stay under 1e9 until the year 3871, counters under 9e6. */
const ROW_KEY_MS = 60_000;

function rowKey(counter: number, timestampMs: number): number {
  return counter * 1e9 + Math.round(timestampMs / ROW_KEY_MS);
}
