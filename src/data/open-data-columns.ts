import type { CountTableBuilder } from './count-table-builder';
import { OPEN_DATA, OPEN_DATA_REQUIRED } from './open-data-format';
import { parseInstant } from './parse-instant';
import { locateColumns, parseCount, siteIdOf, validLatLon, type RowProblem, type RowReader } from './row-reader';

/** Reads rows of the Paris open-data export ("Comptage horaire", "Coordonnées géographiques" as "lat,lon"…). */
export function openDataRowReader(header: readonly string[], file: string): RowReader {
  const col = locateColumns(header, OPEN_DATA, OPEN_DATA_REQUIRED, file, 'Paris open-data');
  return {
    format: 'open-data',
    expectedFields: header.length,
    read(r: string[], out: CountTableBuilder): RowProblem | undefined {
      const counterId = r[col.counterId];
      if (!counterId) return { reason: 'empty counter id', column: OPEN_DATA.counterId };
      const count = parseCount(r[col.count], OPEN_DATA.count);
      if (typeof count !== 'number') return count;
      // The export always states the offset: a bare local time is ambiguous on the night clocks go back.
      const ts = parseInstant(r[col.timestamp] ?? '', 'reject');
      if (Number.isNaN(ts)) return { reason: 'unparseable timestamp', column: OPEN_DATA.timestamp };
      const coords = r[col.coordinates] ?? '';
      const comma = coords.indexOf(',');
      const lat = comma > 0 ? Number(coords.slice(0, comma)) : NaN;
      const lon = comma > 0 ? Number(coords.slice(comma + 1)) : NaN;
      if (
        comma <= 0 ||
        coords.indexOf(',', comma + 1) !== -1 ||
        !validLatLon(lat, lon) ||
        coords.slice(comma + 1).trim() === ''
      )
        return { reason: 'bad coordinates', column: OPEN_DATA.coordinates };
      out.push(counterId, r[col.counterName] ?? '', r[col.siteId] || siteIdOf(counterId), ts, count, lat, lon);
      return undefined;
    },
  };
}
