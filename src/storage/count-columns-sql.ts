import type { DuckDBConnection } from '@duckdb/node-api';
import { emptyCountTable, type CountTable } from '../core/counts';

/**
 * Column names of the production raw table (BigQuery), used by the embedded
 * warehouse and the Parquet snapshots too, so one schema holds everywhere.
 */
export const RAW = {
  counterId: 'identifiant_du_compteur',
  counterName: 'nom_du_compteur',
  siteId: 'identifiant_du_site_de_comptage',
  timestamp: 'date_et_heure_de_comptage',
  count: 'comptage_horaire',
  lat: 'latitude',
  lon: 'longitude',
} as const;

export const RAW_COLUMNS_DDL = `
  ${RAW.counterId} VARCHAR NOT NULL,
  ${RAW.counterName} VARCHAR,
  ${RAW.siteId} VARCHAR,
  ${RAW.timestamp} TIMESTAMP NOT NULL,
  ${RAW.count} DOUBLE,
  ${RAW.lat} DOUBLE,
  ${RAW.lon} DOUBLE`;

/** Select list that reads a raw-columns relation back into CountTable order. */
export const SELECT_COUNT_COLUMNS = `${RAW.counterId}, ${RAW.counterName}, ${RAW.siteId},
  epoch_ms(${RAW.timestamp})::DOUBLE AS ts_ms, ${RAW.count}, ${RAW.lat}, ${RAW.lon}`;

/**
 * Appends a CountTable to `table` (created by the caller with RAW_COLUMNS_DDL; with `rowIndex`, plus a
 * last column `_row BIGINT` that receives each row's index in `t`).
 */
export async function appendCountTable(
  c: DuckDBConnection,
  table: string,
  t: CountTable,
  options: { rowIndex?: boolean } = {},
): Promise<void> {
  // Timestamps go in as epoch ms and are converted in SQL: the appender's
  // timestamp type wants BigInt microseconds, which costs more per row.
  await c.run(`CREATE OR REPLACE TEMP TABLE _append_stage (
    counter_id VARCHAR, counter_name VARCHAR, site_id VARCHAR, ts_ms DOUBLE, cnt DOUBLE, lat DOUBLE, lon DOUBLE, ix DOUBLE)`);
  const appender = await c.createAppender('_append_stage');
  for (let i = 0; i < t.length; i++) {
    appender.appendVarchar(t.counterId[i]);
    appender.appendVarchar(t.counterName[i] ?? '');
    appender.appendVarchar(t.siteId[i] ?? '');
    appender.appendDouble(t.timestampMs[i]);
    appender.appendDouble(t.count[i]);
    appender.appendDouble(t.lat[i]);
    appender.appendDouble(t.lon[i]);
    appender.appendDouble(i);
    appender.endRow();
  }
  appender.closeSync();
  await c.run(`INSERT INTO ${table} SELECT counter_id, counter_name, site_id,
    epoch_ms(ts_ms::BIGINT), cnt, lat, lon${options.rowIndex ? ', ix::BIGINT' : ''} FROM _append_stage`);
  await c.run('DROP TABLE _append_stage');
}

/** Runs a query whose select list is SELECT_COUNT_COLUMNS and returns its rows as a CountTable. */
export async function readCountTable(
  c: DuckDBConnection,
  sql: string,
  params?: Record<string, string | number | boolean | bigint>,
): Promise<CountTable> {
  const reader = await c.runAndReadAll(sql, params as never);
  const cols = reader.getColumnsJS() as unknown[][];
  const n = reader.currentRowCount;
  const t = emptyCountTable(n);
  if (n === 0) return t;
  const [ids, names, sites, ts, counts, lats, lons] = cols;
  for (let i = 0; i < n; i++) {
    t.counterId[i] = ids[i] as string;
    t.counterName[i] = (names[i] as string | null) ?? '';
    t.siteId[i] = (sites[i] as string | null) ?? '';
    t.timestampMs[i] = ts[i] as number;
    t.count[i] = (counts[i] as number | null) ?? Number.NaN;
    t.lat[i] = (lats[i] as number | null) ?? Number.NaN;
    t.lon[i] = (lons[i] as number | null) ?? Number.NaN;
  }
  return t;
}
