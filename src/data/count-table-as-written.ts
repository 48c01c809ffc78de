import { emptyCountTable, type CountTable } from '../core/counts';

/**
 * The table readCountsParquet would return for a file writeCountsParquet
 * wrote from `t`, built without the file: the same rows in the file's order
 * (timestamp, then counter id as DuckDB orders VARCHAR: byte by byte in
 * UTF-8, which is code-point order, not JS's UTF-16 order) and the same
 * values (missing names and sites read back as ''; NaN and ±Infinity
 * survive the round trip).
 *
 * null when that cannot be told exactly, so a caller falls back to reading:
 * - a timestamp that is not a whole millisecond (the writer rounds it);
 * - two rows with one (timestamp, counter id): their order in the file is DuckDB's;
 * - a string that is not well-formed UTF-16 (UTF-8 cannot hold it as is);
 * - a -0 or a NaN other than JS's own in a number column: DuckDB's Parquet
 *   writer stores equal values once (a dictionary, past a few rows), so 0
 *   and -0 (or two NaNs) in one column come back as whichever it met first.
 * Evaluation results depend on row order (the block bootstrap), so "close" is not enough.
 */
export function countTableAsWritten(t: CountTable): CountTable | null {
  const ids = new Set<string>();
  const texts = new Set<string>();
  for (let i = 0; i < t.length; i++) {
    if (!Number.isInteger(t.timestampMs[i])) return null;
    ids.add(t.counterId[i]);
    texts
      .add(t.counterId[i])
      .add(t.counterName[i] ?? '')
      .add(t.siteId[i] ?? '');
  }
  for (const s of texts) if (LONE_SURROGATE.test(s)) return null;
  if ([t.count, t.lat, t.lon].some(hasMergedNumbers)) return null;

  // Counter ids repeat on every row of a counter: rank the distinct ones once, then sort rows by numbers.
  const rankOf = new Map<string, number>();
  [...ids].sort(compareCodePoints).forEach((id, r) => rankOf.set(id, r));
  const rank = Int32Array.from(t.counterId, (id) => rankOf.get(id)!);
  const order = fileOrder(t.timestampMs, rank);
  if (!order) return null;

  const out = emptyCountTable(t.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    out.counterId[k] = t.counterId[i];
    out.counterName[k] = t.counterName[i] ?? '';
    out.siteId[k] = t.siteId[i] ?? '';
    // + 0: a -0 timestamp is epoch 0 in the file, read back as +0.
    out.timestampMs[k] = t.timestampMs[i] + 0;
    out.count[k] = t.count[i];
    out.lat[k] = t.lat[i];
    out.lon[k] = t.lon[i];
  }
  return out;
}

/**
 * Row indices by (timestamp, counter rank); null when two rows share both.
 * Tables usually come sorted already (read from a sorted snapshot, then
 * filtered): one pass tells, and the sort is skipped.
 */
function fileOrder(timestampMs: Float64Array, rank: Int32Array): Uint32Array | null {
  const n = timestampMs.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const before = (a: number, b: number) => timestampMs[a] - timestampMs[b] || rank[a] - rank[b];
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = before(i - 1, i) < 0;
  if (!sorted) order.sort(before);
  for (let k = 1; k < n; k++) if (before(order[k - 1], order[k]) === 0) return null;
  return order;
}

/**
 * Code-point order of two well-formed strings. UTF-16 units order the same
 * except where one string has a surrogate (a code point above U+FFFF) and
 * the other a unit in U+E000–U+FFFF: the surrogate's code point is the larger.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = isSurrogate(x);
    if (xs !== isSurrogate(y)) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Whether a column holds a -0 or a NaN with other bits than JS's NaN: values the Parquet dictionary may merge. */
function hasMergedNumbers(values: Float64Array): boolean {
  // Two 32-bit words per number, low word first (little-endian, as on every platform Node runs this on).
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === 0 && 1 / v < 0) return true;
    if (v !== v && (words[2 * i] !== CANONICAL_NAN[0] || words[2 * i + 1] !== CANONICAL_NAN[1])) return true;
  }
  return false;
}

const CANONICAL_NAN = new Uint32Array(new Float64Array([Number.NaN]).buffer);

/** A surrogate without its pair: not well-formed UTF-16 (String.prototype.isWellFormed is ES2024, the lib is ES2022). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
}
