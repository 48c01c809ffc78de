import { BadInputError } from '../core/errors';
import type { CountTableBuilder } from './count-table-builder';

/** One source format's mapping from a CSV record to a count row. */
export interface RowReader {
  readonly format: CountFileFormat;
  readonly expectedFields: number;
  /** Appends the row to `out`, or says why it cannot (then nothing is appended). */
  read(record: string[], out: CountTableBuilder): RowProblem | undefined;
}

export type CountFileFormat = 'open-data' | 'raw-table';

export interface RowProblem {
  reason: string;
  column?: string;
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

/** Count cell → number, or the problem: empty, not a number, negative. */
export function parseCount(s: string | undefined, column: string): number | RowProblem {
  if (s === undefined || s.trim() === '') return { reason: 'missing count', column };
  const v = Number(s);
  if (!Number.isFinite(v)) return { reason: 'non-numeric count', column };
  if (v < 0) return { reason: 'negative count', column };
  return v;
}

export function validLatLon(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
}

/** The export's site id is the counter id's part before "-": the fallback when a file has no site column. */
export function siteIdOf(counterId: string): string {
  const dash = counterId.indexOf('-');
  return dash > 0 ? counterId.slice(0, dash) : counterId;
}
