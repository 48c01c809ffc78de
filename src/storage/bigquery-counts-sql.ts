import type { RowMetadata } from '@google-cloud/bigquery';
import { emptyCountTable, type CountTable } from '../core/counts';
import { BadInputError, ConfigError } from '../core/errors';
import type { CountSource } from '../core/validate-counts';
import { RAW } from './count-columns-sql';
import type { CountWindowQuery } from './warehouse';

/* The counts table's SQL (GoogleSQL) and the rows' way in and out of it. */

/** BigQuery's TIMESTAMP range, in epoch ms: open windows are clamped to it. */
export const MIN_MS = -62_135_596_800_000;
export const MAX_MS = 253_402_300_799_999;
/** The select list every count read uses: the key, the count and the descriptive columns, time as epoch ms. */
const COUNT_SELECT = `${RAW.counterId}, ${RAW.counterName}, ${RAW.siteId},
  UNIX_MILLIS(${RAW.timestamp}) AS ts_ms, ${RAW.count}, ${RAW.lat}, ${RAW.lon}`;

/** The staging table's columns (a load job's schema): timestamps travel as epoch ms, `row_index` is the batch index. */
export const STAGING_FIELDS = [
  { name: 'counter_id', type: 'STRING', mode: 'REQUIRED' },
  { name: 'counter_name', type: 'STRING' },
  { name: 'site_id', type: 'STRING' },
  { name: 'ts_ms', type: 'INT64', mode: 'REQUIRED' },
  { name: 'count', type: 'FLOAT64' },
  { name: 'lat', type: 'FLOAT64' },
  { name: 'lon', type: 'FLOAT64' },
  { name: 'row_index', type: 'INT64', mode: 'REQUIRED' },
];

export const IN_WINDOW = `${RAW.timestamp} >= TIMESTAMP_MILLIS(@fromMs) AND ${RAW.timestamp} < TIMESTAMP_MILLIS(@toMs)`;

export function clampMs(ms: number): number {
  return Math.max(MIN_MS, Math.min(MAX_MS, Math.trunc(ms)));
}

export function windowParams(q: CountWindowQuery): Record<string, unknown> {
  const params: Record<string, unknown> = { fromMs: clampMs(q.fromMs), toMs: clampMs(q.toMs) };
  if (q.limit !== undefined) {
    if (!Number.isInteger(q.limit) || q.limit < 0)
      throw new ConfigError(`row cap must be a whole number ≥ 0, got ${q.limit}`);
    params.limit = q.limit;
    params.seed = String(q.seed ?? 0);
  }
  return params;
}

/**
 * The window's rows in (timestamp, counter id) order. With a cap, the DuckDB
 * backend's rule: each UTC day keeps its lowest-hash rows up to an equal
 * quota, then the lowest hashes overall up to the cap; the hash is md5 of
 * (seed, counter, epoch ms), so a rerun sees exactly the same rows.
 */
export function windowSql(table: string, q: CountWindowQuery): string {
  const order = `ORDER BY ts_ms, ${RAW.counterId}`;
  if (q.limit === undefined) return `SELECT ${COUNT_SELECT} FROM ${table} WHERE ${IN_WINDOW} ${order}`;
  return `WITH w AS (
      SELECT ${COUNT_SELECT}, DATE(${RAW.timestamp}) AS day,
        TO_HEX(MD5(CONCAT(@seed, '|', ${RAW.counterId}, '|', CAST(UNIX_MILLIS(${RAW.timestamp}) AS STRING)))) AS h
      FROM ${table} WHERE ${IN_WINDOW}),
    quota AS (SELECT CAST(CEIL(@limit / GREATEST(COUNT(DISTINCT day), 1)) AS INT64) AS per_day FROM w),
    ranked AS (SELECT w.*, ROW_NUMBER() OVER (PARTITION BY day ORDER BY h) AS rn FROM w),
    picked AS (SELECT ranked.* FROM ranked CROSS JOIN quota WHERE rn <= quota.per_day ORDER BY h LIMIT @limit)
    SELECT ${RAW.counterId}, ${RAW.counterName}, ${RAW.siteId}, ts_ms, ${RAW.count}, ${RAW.lat}, ${RAW.lon}
    FROM picked ${order}`;
}

export function countTableFromRows(rows: RowMetadata[]): CountTable {
  const t = emptyCountTable(rows.length);
  const num = (v: unknown) => (v === null || v === undefined ? Number.NaN : Number(v));
  rows.forEach((r, i) => {
    t.counterId[i] = String(r[RAW.counterId]);
    t.counterName[i] = (r[RAW.counterName] as string | null) ?? '';
    t.siteId[i] = (r[RAW.siteId] as string | null) ?? '';
    t.timestampMs[i] = num(r.ts_ms);
    t.count[i] = num(r[RAW.count]);
    t.lat[i] = num(r[RAW.lat]);
    t.lon[i] = num(r[RAW.lon]);
  });
  return t;
}

/** A key as one string: counter id, "|", epoch ms (the digits come last, so distinct keys stay distinct). */
const STAGED_KEY = `CONCAT(counter_id, '|', CAST(ts_ms AS STRING))`;
const STORED_KEY = `CONCAT(${RAW.counterId}, '|', CAST(UNIX_MILLIS(${RAW.timestamp}) AS STRING))`;
const STORED_IN_SPAN = `${RAW.timestamp} BETWEEN TIMESTAMP_MILLIS(@minMs) AND TIMESTAMP_MILLIS(@maxMs)`;
const COUNT_TEXT = (column: string) => `IFNULL(CAST(${column} AS STRING), 'null')`;

/**
 * The statements of one insert. `IFNULL(… NOT IN …, FALSE)` is plain NOT IN
 * (no key is NULL): the emulator evaluates a bare NOT IN over a subquery that
 * uses a query parameter as always true inside DML.
 */
export function insertSql(counts: string, staging: string) {
  const storedKeys = `SELECT ${STORED_KEY} FROM ${counts} WHERE ${STORED_IN_SPAN}`;
  const insertNew = `INSERT INTO ${counts} (${RAW.counterId}, ${RAW.counterName}, ${RAW.siteId}, ${RAW.timestamp},
      ${RAW.count}, ${RAW.lat}, ${RAW.lon})
    SELECT counter_id, counter_name, site_id, TIMESTAMP_MILLIS(ts_ms), count, lat, lon FROM ${staging}
    WHERE IFNULL(${STAGED_KEY} NOT IN (${storedKeys}), FALSE)`;
  return {
    /** Every batch key already stored: its row, the stored count, whether it differs; `matched` on each row. */
    matched: `WITH both_sides AS (
        SELECT counter_id AS k_id, ts_ms AS k_ms, count, row_index, TRUE AS incoming FROM ${staging}
        UNION ALL
        SELECT ${RAW.counterId}, UNIX_MILLIS(${RAW.timestamp}), ${RAW.count}, NULL, FALSE FROM ${counts} WHERE ${STORED_IN_SPAN}),
      keys AS (
        SELECT MAX(row_index) AS row_index, MAX(IF(incoming, count, NULL)) AS incoming_count,
          MAX(IF(incoming, NULL, count)) AS stored
        FROM both_sides GROUP BY k_id, k_ms HAVING COUNTIF(incoming) > 0 AND COUNTIF(NOT incoming) > 0),
      flagged AS (
        SELECT row_index, stored, stored IS DISTINCT FROM incoming_count AS differs,
          COUNT(*) OVER () AS matched, ROW_NUMBER() OVER (ORDER BY row_index) AS rn FROM keys)
      SELECT row_index, stored, differs, matched FROM flagged WHERE differs OR rn = 1 ORDER BY row_index`,
    insertNew,
    /** The stored rows whose key is in the batch with another count go, then every key not stored comes in. */
    replaceThenInsert: `BEGIN TRANSACTION;
      DELETE FROM ${counts} WHERE ${STORED_IN_SPAN}
        AND ${STORED_KEY} IN (SELECT ${STAGED_KEY} FROM ${staging})
        AND IFNULL(CONCAT(${STORED_KEY}, '|', ${COUNT_TEXT(RAW.count)})
          NOT IN (SELECT CONCAT(${STAGED_KEY}, '|', ${COUNT_TEXT('count')}) FROM ${staging}), FALSE);
      ${insertNew};
      COMMIT TRANSACTION;`,
  };
}

/**
 * Indices of the first row of each (counter id, timestamp) in the batch: a key
 * repeated in a batch keeps its first row, as in the embedded warehouse.
 */
export function firstRowOfEachKey(t: CountTable, source: CountSource): number[] {
  const seen = new Set<string>();
  const first: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (!t.counterId[i])
      throw new BadInputError('empty counter id', {
        file: 'the inserted batch',
        column: source.columns.counterId,
        row: i + 1,
      });
    if (!Number.isFinite(t.timestampMs[i]))
      throw new BadInputError('unparseable timestamp', {
        file: 'the inserted batch',
        column: source.columns.timestamp,
        row: i + 1,
      });
    const key = `${t.counterId[i]}\u0000${t.timestampMs[i]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    first.push(i);
  }
  return first;
}

/** Newline-delimited JSON for the load job; JSON has no NaN, so non-finite numbers load as NULL. */
export function stagingJson(t: CountTable, indices: number[]): string {
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  const lines = indices.map((i) =>
    JSON.stringify({
      counter_id: t.counterId[i],
      counter_name: t.counterName[i] ?? '',
      site_id: t.siteId[i] ?? '',
      ts_ms: Math.round(t.timestampMs[i]),
      count: finite(t.count[i]),
      lat: finite(t.lat[i]),
      lon: finite(t.lon[i]),
      row_index: i,
    }),
  );
  return `${lines.join('\n')}\n`;
}
