import { BadInputError } from '../core/errors';
import type { CountSink } from './count-table-builder';
import { parseInstant, type NaiveTimestampPolicy } from './parse-instant';

/** One source format's mapping from a CSV record to a count row. */
export interface RowReader {
  readonly format: CountFileFormat;
  readonly expectedFields: number;
  /** The indexes of the fields `read` looks at: the importer cuts only these out of a line. */
  readonly columns: readonly number[];
  /** Where `read` finds each value and how it reads them: what the line kernel needs (count-line-kernel.ts). */
  readonly layout: RowLayout;
  /** Appends the row to `out`, or says why it cannot (then nothing is appended). */
  read(record: string[], out: CountSink): RowProblem | undefined;
}

export type CountFileFormat = 'open-data' | 'raw-table';

/**
 * A reader's fields by role (indexes in the header, −1 when the file has none): coordinates as
 * "lat,lon" in one field (the export) or lat and lon apart (the raw table).
 */
export interface RowLayout {
  fields: number;
  counterId: number;
  counterName: number;
  siteId: number;
  count: number;
  timestamp: number;
  coordinates: number;
  lat: number;
  lon: number;
  naiveTimestamps: NaiveTimestampPolicy;
  /** A count above this is refused (Infinity: no limit). */
  maxCount: number;
}

export interface RowProblem {
  reason: string;
  column?: string;
}

/** The columns every format has, by role; a format adds its coordinate columns. */
export interface CountColumns {
  counterId: string;
  counterName: string;
  siteId: string;
  count: string;
  timestamp: string;
}

/**
 * What differs between the source formats (src/data/row-formats.ts): the
 * column names, how a timestamp without an offset reads, and where the
 * coordinates are. Everything else about a row is read the same way.
 */
export interface RowFormat<C extends CountColumns = CountColumns> {
  readonly format: CountFileFormat;
  /** The format's name in a refused header's message. */
  readonly label: string;
  readonly columns: C;
  readonly required: readonly string[];
  readonly naiveTimestamps: NaiveTimestampPolicy;
  /** Sets `out` to the row's coordinates, or says why it cannot. */
  coordinates(
    record: readonly string[],
    col: Record<Extract<keyof C, string>, number>,
    out: LatLon,
  ): RowProblem | undefined;
}

export interface LatLon {
  lat: number;
  lon: number;
}

/**
 * Reads rows of `format` from a file with this header (refused, naming the
 * first missing required column, when it lacks one). The site id falls back
 * to the counter id's part before "-" when the file has no site column or
 * leaves it empty.
 */
export function rowReader<C extends CountColumns>(
  format: RowFormat<C>,
  header: readonly string[],
  file: string,
  limits: CountLimits = {},
): RowReader {
  const names = format.columns;
  type Key = Extract<keyof C, string>;
  const col = locateColumns(header, names as Record<Key, string>, format.required, file, format.label);
  const at: LatLon = { lat: NaN, lon: NaN };
  const max = limits.maxHourlyCount ?? Infinity;
  const role = (name: string): number => (col as Record<string, number>)[name] ?? -1;
  return {
    format: format.format,
    expectedFields: header.length,
    columns: Object.values<number>(col).filter((i) => i >= 0),
    layout: {
      fields: header.length,
      counterId: col.counterId,
      counterName: col.counterName,
      siteId: col.siteId,
      count: col.count,
      timestamp: col.timestamp,
      coordinates: role('coordinates'),
      lat: role('lat'),
      lon: role('lon'),
      naiveTimestamps: format.naiveTimestamps,
      maxCount: max,
    },
    read(r: string[], out: CountSink): RowProblem | undefined {
      const counterId = r[col.counterId];
      if (!counterId) return { reason: 'empty counter id', column: names.counterId };
      const count = parseCount(r[col.count], names.count);
      if (typeof count !== 'number') return count;
      if (count > max) return implausibleCount(max, names.count);
      const ts = parseInstant(r[col.timestamp] ?? '', format.naiveTimestamps);
      if (Number.isNaN(ts)) return { reason: 'unparseable timestamp', column: names.timestamp };
      const bad = format.coordinates(r, col, at);
      if (bad) return bad;
      const site = col.siteId >= 0 ? r[col.siteId] : '';
      out.push(counterId, r[col.counterName] ?? '', site || siteIdOf(counterId), ts, count, at.lat, at.lon);
      return undefined;
    },
  };
}

/** What a count may be beyond a plain whole number: the physical bound (maxHourlyCount of the run config). */
export interface CountLimits {
  maxHourlyCount?: number;
}

/** A count above the physical bound: a sensor or export fault, not traffic. */
export function implausibleCount(max: number, column: string): RowProblem {
  return { reason: `count above maxHourlyCount ${max} (a sensor or export fault)`, column };
}

/** Header names compared trimmed, case-insensitively and in one Unicode form (é typed as e + accent matches é). */
export function normaliseHeaderName(s: string): string {
  return s
    .replace(/^\uFEFF/, '')
    .trim()
    .normalize('NFC')
    .toLowerCase();
}

/** Index of each required column in `header`; refuses the file naming the first missing one. */
export function locateColumns<K extends string>(
  header: readonly string[],
  wanted: Record<K, string>,
  required: readonly string[],
  file: string,
  format: string,
): Record<K, number> {
  const index = new Map(header.map((h, i) => [normaliseHeaderName(h), i] as const));
  const out = {} as Record<K, number>;
  for (const key of Object.keys(wanted) as K[]) out[key] = index.get(normaliseHeaderName(wanted[key])) ?? -1;
  for (const name of required)
    if (!index.has(normaliseHeaderName(name)))
      throw new BadInputError(`header lacks required column "${name}" (${format} format)`, {
        file,
        column: name,
        row: 1,
      });
  return out;
}

/**
 * An hourly count is a whole number of bicycles, written plainly: `3`, `03`,
 * `3.0`, `3.00` (a float column's export) and `-0`. Anything JS's Number()
 * would also take is refused: `+3`, `0x1F` (31), `2.5`, `1e12`, ` 3`.
 */
const PLAIN_COUNT = /^-?\d+(?:\.0+)?$/;

export function parseCount(s: string | undefined, column: string): number | RowProblem {
  if (s === undefined || s.trim() === '') return { reason: 'missing count', column };
  if (!PLAIN_COUNT.test(s))
    return { reason: Number.isFinite(Number(s)) ? 'count not a plain whole number' : 'non-numeric count', column };
  const v = Number(s);
  if (v < 0) return { reason: 'negative count', column };
  return v === 0 ? 0 : v; // -0 is 0
}

export function validLatLon(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
}

/** The export's site id is the counter id's part before "-": the fallback when a file has no site column. */
export function siteIdOf(counterId: string): string {
  const dash = counterId.indexOf('-');
  return dash > 0 ? counterId.slice(0, dash) : counterId;
}
