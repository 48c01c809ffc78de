import { OPEN_DATA, OPEN_DATA_REQUIRED, RAW_TABLE, RAW_TABLE_REQUIRED } from './open-data-format';
import { validLatLon, type RowFormat } from './row-reader';

/**
 * The Paris open-data export ("Comptage horaire", "Coordonnées géographiques"
 * as "lat,lon"…). The export always states the offset: a bare local time is
 * ambiguous on the night clocks go back, so it is refused.
 */
export const OPEN_DATA_ROWS: RowFormat<typeof OPEN_DATA> = {
  format: 'open-data',
  label: 'Paris open-data',
  columns: OPEN_DATA,
  required: OPEN_DATA_REQUIRED,
  naiveTimestamps: 'reject',
  coordinates(r, col, out) {
    const coords = r[col.coordinates] ?? '';
    const comma = coords.indexOf(',');
    out.lat = comma > 0 ? Number(coords.slice(0, comma)) : NaN;
    out.lon = comma > 0 ? Number(coords.slice(comma + 1)) : NaN;
    if (
      comma <= 0 ||
      coords.indexOf(',', comma + 1) !== -1 ||
      !validLatLon(out.lat, out.lon) ||
      coords.slice(comma + 1).trim() === ''
    )
      return { reason: 'bad coordinates', column: OPEN_DATA.coordinates };
    return undefined;
  },
};

/**
 * Rows carrying the production raw table's columns (`comptage_horaire`,
 * `date_et_heure_de_comptage`, `identifiant_du_compteur`, `nom_du_compteur`,
 * `latitude`, `longitude`, optionally `identifiant_du_site_de_comptage`), as a
 * BigQuery export writes them. Timestamps without an offset are UTC: the
 * table's type is TIMESTAMP, an instant.
 */
export const RAW_TABLE_ROWS: RowFormat<typeof RAW_TABLE> = {
  format: 'raw-table',
  label: 'raw table',
  columns: RAW_TABLE,
  required: RAW_TABLE_REQUIRED,
  naiveTimestamps: 'utc',
  coordinates(r, col, out) {
    const latS = r[col.lat] ?? '';
    const lonS = r[col.lon] ?? '';
    out.lat = latS.trim() === '' ? NaN : Number(latS);
    out.lon = lonS.trim() === '' ? NaN : Number(lonS);
    if (!validLatLon(out.lat, out.lon))
      return { reason: 'bad coordinates', column: Number.isFinite(out.lat) ? RAW_TABLE.lon : RAW_TABLE.lat };
    return undefined;
  },
};
