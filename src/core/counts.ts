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
