import bindings from '@duckdb/node-bindings';
import { DOUBLE, DuckDBDataChunk, INTEGER, type DuckDBConnection } from '@duckdb/node-api';
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
 * last column `_row BIGINT` that receives each row's index in `t`). Rows keep `t`'s order.
 */
export async function appendCountTable(
  c: DuckDBConnection,
  table: string,
  t: CountTable,
  options: { rowIndex?: boolean } = {},
): Promise<void> {
  const staged = await stageCountTable(c, t);
  await c.run(`INSERT INTO ${table} SELECT * ${options.rowIndex ? '' : 'EXCLUDE (_row)'} FROM ${staged} ORDER BY _row`);
  await dropStagedCountTable(c);
}

/**
 * Puts a CountTable where SQL can read it: returns a temp view with the raw columns and `_row` (each
 * row's index in `t`), until dropStagedCountTable.
 *
 * Ids and names repeat on every row of a counter, so each distinct (id, name, site) goes in once and
 * the rows go in as numbers, a data chunk of 2,048 rows at a time (one copy per column, where
 * appending value by value made a native call per value: 1.1 s of a 660K-row import). The view joins
 * them back when read, so 660K copies of the strings are never materialised. Timestamps go in as
 * epoch ms and are converted in SQL: the timestamp type wants BigInt microseconds.
 */
export async function stageCountTable(c: DuckDBConnection, t: CountTable): Promise<string> {
  // Keyed by the id, then the name and site compared: a table's strings are shared by the rows of a
  // counter (CountTableBuilder, readCountTable), so the lookup hashes a string it has hashed before,
  // where joining the three into one key per row made and hashed a new string each time.
  const byId = new Map<string, number[]>();
  const key = new Int32Array(t.length);
  const dict: [string, string, string][] = [];
  for (let i = 0; i < t.length; i++) {
    const id = t.counterId[i];
    const name = t.counterName[i] ?? '';
    const site = t.siteId[i] ?? '';
    let ks = byId.get(id);
    if (ks === undefined) byId.set(id, (ks = []));
    let v = -1;
    for (const k of ks)
      if (dict[k][1] === name && dict[k][2] === site) {
        v = k;
        break;
      }
    if (v === -1) {
      v = dict.length;
      ks.push(v);
      dict.push([id, name, site]);
    }
    key[i] = v;
  }
  await c.run(
    'CREATE OR REPLACE TEMP TABLE _stage_names (k INTEGER, counter_id VARCHAR, counter_name VARCHAR, site_id VARCHAR)',
  );
  const names = await c.createAppender('_stage_names');
  dict.forEach(([id, name, site], k) => {
    names.appendInteger(k);
    names.appendVarchar(id);
    names.appendVarchar(name);
    names.appendVarchar(site);
    names.endRow();
  });
  names.closeSync();

  await c.run(
    'CREATE OR REPLACE TEMP TABLE _stage_rows (k INTEGER, ts_ms DOUBLE, cnt DOUBLE, lat DOUBLE, lon DOUBLE, ix DOUBLE)',
  );
  const rows = await c.createAppender('_stage_rows');
  // The row index as a column of its own (the batch's first row of a key wins, conflicts name their row).
  const ix = new Float64Array(t.length);
  for (let i = 0; i < ix.length; i++) ix[i] = i;
  // Copied from plain ArrayBuffers (a table built on shared memory is copied once first).
  const plain = <A extends Int32Array | Float64Array>(a: A): A =>
    a.buffer instanceof ArrayBuffer ? a : (a.slice() as A);
  const columns = [key, t.timestampMs, t.count, t.lat, t.lon, ix].map(plain);
  const types = [INTEGER, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE];
  for (let from = 0; from < t.length; from += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, t.length - from);
    const chunk = DuckDBDataChunk.create(types, n);
    // Each column's values copied into its vector in one call (the C API's duckdb_vector data, through
    // node-bindings): setItem per value also wrote each value's validity bit, a BigInt operation, and
    // staged 350K rows in 0.35 s on the Intel Xeon host. A new chunk's vectors are all valid, and a
    // typed array holds no null (a NaN count is a value, as setItem stored it).
    columns.forEach((values, j) => {
      const vector = bindings.data_chunk_get_vector(chunk.chunk, j);
      const bytes = values.BYTES_PER_ELEMENT;
      bindings.copy_data_to_vector(
        vector,
        0,
        values.buffer as ArrayBuffer,
        values.byteOffset + from * bytes,
        n * bytes,
      );
    });
    rows.appendDataChunk(chunk);
  }
  rows.closeSync();
  await c.run(`CREATE OR REPLACE TEMP VIEW _staged AS SELECT n.counter_id AS ${RAW.counterId},
    n.counter_name AS ${RAW.counterName}, n.site_id AS ${RAW.siteId}, epoch_ms(s.ts_ms::BIGINT) AS ${RAW.timestamp},
    s.cnt AS ${RAW.count}, s.lat AS ${RAW.lat}, s.lon AS ${RAW.lon}, s.ix::BIGINT AS _row
    FROM _stage_rows s JOIN _stage_names n ON n.k = s.k`);
  return '_staged';
}

export async function dropStagedCountTable(c: DuckDBConnection): Promise<void> {
  await c.run('DROP VIEW _staged');
  await c.run('DROP TABLE _stage_rows');
  await c.run('DROP TABLE _stage_names');
}

/** DuckDB's vector size: a data chunk holds at most this many rows. */
const CHUNK_ROWS = 2048;

/**
 * Reads the rows of `fromSql` (everything after a select list: `FROM … [WHERE …] [ORDER BY …]`, over a
 * relation with the raw columns) as a CountTable, in the relation's order.
 *
 * A counter's id, name and site repeat on every one of its rows, and converting a VARCHAR to a JS string
 * costs far more than a number (reading a 657K-row baseline took 2.3 s, most of it in string decoding).
 * So the rows come back with a 53-bit hash of (id, name, site) in place of the strings, and one small
 * query reads each distinct triple once: every row of a counter then shares the same JS strings. Two
 * triples with one hash (never seen; checked on every read) fall back to reading the strings row by row.
 */
export async function readCountTable(
  c: DuckDBConnection,
  fromSql: string,
  params?: Record<string, string | number | boolean | bigint>,
): Promise<CountTable> {
  const key = `hash(${RAW.counterId}, ${RAW.counterName}, ${RAW.siteId})::DOUBLE`;
  const dict = await c.runAndReadAll(
    `SELECT DISTINCT ${key} AS k, ${RAW.counterId}, ${RAW.counterName}, ${RAW.siteId} ${fromSql}`,
    params as never,
  );
  if (dict.currentRowCount === 0) return emptyCountTable(0);
  const [keys, ids, names, sites] = dict.getColumnsJS() as [number[], string[], (string | null)[], (string | null)[]];
  const counters = new Map<number, number>();
  keys.forEach((k, i) => counters.set(k, i));
  if (counters.size < keys.length) return readCountTableRowByRow(c, fromSql, params);

  const result = await c.run(
    `SELECT ${key} AS k, epoch_ms(${RAW.timestamp})::DOUBLE, ${RAW.count}, ${RAW.lat}, ${RAW.lon} ${fromSql}`,
    params as never,
  );
  const t = emptyCountTable(Number(result.rowCount));
  const numbers = [t.timestampMs, t.count, t.lat, t.lon];
  let row = 0;
  for (let ci = 0; ci < result.chunkCount; ci++) {
    const chunk = result.getChunk(ci);
    const n = chunk.rowCount;
    const k = chunk.getColumnVector(0);
    for (let i = 0; i < n; i++) {
      const d = counters.get(k.getItem(i) as number)!;
      t.counterId[row + i] = ids[d];
      t.counterName[row + i] = names[d] ?? '';
      t.siteId[row + i] = sites[d] ?? '';
    }
    numbers.forEach((out, j) => {
      const v = chunk.getColumnVector(j + 1);
      for (let i = 0; i < n; i++) out[row + i] = (v.getItem(i) as number | null) ?? Number.NaN;
    });
    row += n;
  }
  return t;
}

/** The plain reader: strings converted row by row (the fallback, and the reference the tests compare with). */
export async function readCountTableRowByRow(
  c: DuckDBConnection,
  fromSql: string,
  params?: Record<string, string | number | boolean | bigint>,
): Promise<CountTable> {
  const reader = await c.runAndReadAll(`SELECT ${SELECT_COUNT_COLUMNS} ${fromSql}`, params as never);
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
