/**
 * The one internal shape of hourly counter data, whatever it was read from
 * (Paris open-data CSV, the production raw table, the simulator).
 *
 * Column-major on purpose: 660K rows as objects cost ~10x the memory and are
 * slow to scan; every consumer (features, drift, evaluation) reads columns.
 */
export interface CountRow {
  /** `Identifiant du compteur`, e.g. "100003096-353242251" */
  counterId: string;
  /** `Nom du compteur` */
  counterName: string;
  /** `Identifiant du site de comptage` */
  siteId: string;
  /** The counted hour's start as an instant, epoch milliseconds (UTC). */
  timestampMs: number;
  /** `Comptage horaire`: the target. */
  count: number;
  lat: number;
  lon: number;
}

export interface CountTable {
  readonly length: number;
  counterId: string[];
  counterName: string[];
  siteId: string[];
  timestampMs: Float64Array;
  count: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
}

export function emptyCountTable(length = 0): CountTable {
  return {
    length,
    counterId: new Array<string>(length),
    counterName: new Array<string>(length),
    siteId: new Array<string>(length),
    timestampMs: new Float64Array(length),
    count: new Float64Array(length),
    lat: new Float64Array(length),
    lon: new Float64Array(length),
  };
}

export function countTableFromRows(rows: readonly CountRow[]): CountTable {
  const t = emptyCountTable(rows.length);
  rows.forEach((r, i) => {
    t.counterId[i] = r.counterId;
    t.counterName[i] = r.counterName;
    t.siteId[i] = r.siteId;
    t.timestampMs[i] = r.timestampMs;
    t.count[i] = r.count;
    t.lat[i] = r.lat;
    t.lon[i] = r.lon;
  });
  return t;
}

export function rowAt(t: CountTable, i: number): CountRow {
  return {
    counterId: t.counterId[i],
    counterName: t.counterName[i],
    siteId: t.siteId[i],
    timestampMs: t.timestampMs[i],
    count: t.count[i],
    lat: t.lat[i],
    lon: t.lon[i],
  };
}

/** Rows `indices` of `t`, in that order. */
export function takeRows(t: CountTable, indices: ArrayLike<number>): CountTable {
  const out = emptyCountTable(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    out.counterId[k] = t.counterId[i];
    out.counterName[k] = t.counterName[i];
    out.siteId[k] = t.siteId[i];
    out.timestampMs[k] = t.timestampMs[i];
    out.count[k] = t.count[i];
    out.lat[k] = t.lat[i];
    out.lon[k] = t.lon[i];
  }
  return out;
}

/**
 * Rows [from, to) of `t`, without copying the numeric columns (they are
 * views on t's: tables are not written to once built); `t` itself for all
 * its rows. For a list of rows, `takeRows`.
 */
export function sliceRows(t: CountTable, from: number, to: number): CountTable {
  if (from === 0 && to === t.length) return t;
  return {
    length: to - from,
    counterId: t.counterId.slice(from, to),
    counterName: t.counterName.slice(from, to),
    siteId: t.siteId.slice(from, to),
    timestampMs: t.timestampMs.subarray(from, to),
    count: t.count.subarray(from, to),
    lat: t.lat.subarray(from, to),
    lon: t.lon.subarray(from, to),
  };
}

export function concatCountTables(parts: readonly CountTable[]): CountTable {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = emptyCountTable(n);
  let o = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      out.counterId[o + i] = p.counterId[i];
      out.counterName[o + i] = p.counterName[i];
      out.siteId[o + i] = p.siteId[i];
    }
    out.timestampMs.set(p.timestampMs, o);
    out.count.set(p.count, o);
    out.lat.set(p.lat, o);
    out.lon.set(p.lon, o);
    o += p.length;
  }
  return out;
}

/** First and last timestamps (epoch ms) of a non-empty table, in one pass (no spread: tables have 100K+ rows). */
export function timeSpan(t: CountTable): { minMs: number; maxMs: number } {
  let minMs = Infinity;
  let maxMs = -Infinity;
  for (let i = 0; i < t.length; i++) {
    const ts = t.timestampMs[i];
    if (ts < minMs) minMs = ts;
    if (ts > maxMs) maxMs = ts;
  }
  return { minMs, maxMs };
}

/**
 * Whether some (counter, timestamp) may occur twice in `t`: false means none does (the importer's
 * in-file conflicts and the warehouse's insert then skip looking for them). A file that lists each counter's hours in
 * ascending order (the export does, and most files repeat nothing) is told by one pass that checks
 * each counter's hours climb. Any other order sorts the keys packed into one double each (counter
 * index × 2^42 + ms from the earliest): a fraction of the time maps keyed by timestamp take at 660K
 * rows; the sort alone took 170 ms there, the pass 10 ms. True when the keys do not pack (over 2,048
 * counters or 139 years): the caller then looks the slow, exact way.
 */
export function mayRepeatAKey(t: CountTable): boolean {
  const n = t.length;
  if (n < 2) return false;
  const counters = new Map<string, number>();
  const counter = new Int32Array(n);
  const lastMs: number[] = [];
  let climbing = true;
  let minMs = Infinity;
  let maxMs = -Infinity;
  let prevId = '';
  let c = -1;
  for (let i = 0; i < n; i++) {
    const ms = t.timestampMs[i];
    if (Number.isNaN(ms)) return true;
    if (ms < minMs) minMs = ms;
    if (ms > maxMs) maxMs = ms;
    const id = t.counterId[i];
    if (id !== prevId || c === -1) {
      const known = counters.get(id);
      if (known === undefined) {
        counters.set(id, (c = counters.size));
        lastMs.push(-Infinity);
      } else c = known;
      prevId = id;
    }
    counter[i] = c;
    if (!(ms > lastMs[c])) climbing = false;
    lastMs[c] = ms;
  }
  if (climbing) return false;
  const SPAN = 2 ** 42;
  if (counters.size > 2048 || !(maxMs - minMs < SPAN)) return true;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = counter[i] * SPAN + (t.timestampMs[i] - minMs);
  keys.sort();
  for (let i = 1; i < n; i++) if (keys[i] === keys[i - 1]) return true;
  return false;
}
