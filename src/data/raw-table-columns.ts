import type { CountTableBuilder } from './count-table-builder';
import { RAW_TABLE, RAW_TABLE_REQUIRED } from './open-data-format';
import { parseInstant } from './parse-instant';
import { locateColumns, parseCount, siteIdOf, validLatLon, type RowProblem, type RowReader } from './row-reader';

/**
 * Reads rows carrying the production raw table's columns (`comptage_horaire`,
 * `date_et_heure_de_comptage`, `identifiant_du_compteur`, `nom_du_compteur`,
 * `latitude`, `longitude`, optionally `identifiant_du_site_de_comptage`), as a
 * BigQuery export writes them. Timestamps without an offset are UTC: the
 * table's type is TIMESTAMP, an instant.
 */
export function rawTableRowReader(header: readonly string[], file: string): RowReader {
  const col = locateColumns(header, RAW_TABLE, RAW_TABLE_REQUIRED, file, 'raw table');
  return {
    format: 'raw-table',
    expectedFields: header.length,
    read(r: string[], out: CountTableBuilder): RowProblem | undefined {
      const counterId = r[col.counterId];
      if (!counterId) return { reason: 'empty counter id', column: RAW_TABLE.counterId };
      const count = parseCount(r[col.count], RAW_TABLE.count);
      if (typeof count !== 'number') return count;
      const ts = parseInstant(r[col.timestamp] ?? '', 'utc');
      if (Number.isNaN(ts)) return { reason: 'unparseable timestamp', column: RAW_TABLE.timestamp };
      const latS = r[col.lat] ?? '';
      const lonS = r[col.lon] ?? '';
      const lat = latS.trim() === '' ? NaN : Number(latS);
      const lon = lonS.trim() === '' ? NaN : Number(lonS);
      if (!validLatLon(lat, lon))
        return { reason: 'bad coordinates', column: Number.isFinite(lat) ? RAW_TABLE.lon : RAW_TABLE.lat };
      const site = col.siteId >= 0 ? r[col.siteId] : '';
      out.push(counterId, r[col.counterName] ?? '', site || siteIdOf(counterId), ts, count, lat, lon);
      return undefined;
    },
  };
}
