import type { ImportOptions, ImportResult } from '../../src/data/open-data-import';

/**
 * What an import of `path` gave, for comparing two readers with toEqual: the result with the
 * table's number columns as plain arrays (each value compared, -0 apart from 0), or the error's
 * message and location.
 */
export async function importOutcome(
  read: (path: string, options: ImportOptions) => Promise<ImportResult>,
  path: string,
  options: ImportOptions,
): Promise<unknown> {
  try {
    const r = await read(path, options);
    const t = r.table;
    return {
      ...r,
      table: { ...t, timestampMs: [...t.timestampMs], count: [...t.count], lat: [...t.lat], lon: [...t.lon] },
    };
  } catch (e) {
    return { error: String(e), location: (e as { location?: unknown }).location };
  }
}
