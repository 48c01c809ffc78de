import type { DuckDBConnection } from '@duckdb/node-api';
import type { InvalidCountRow } from '../core/validate-counts';
import { RAW } from './count-columns-sql';
import type { CountsSummary } from './warehouse';

/*
 * Summary and validation of a DuckDB table with the raw columns, shared by the
 * embedded warehouse and the BigQuery one (whose exports are staged in DuckDB
 * on their way to Parquet), so both backends judge rows by the same SQL.
 */

export async function summarize(c: DuckDBConnection, table: string): Promise<CountsSummary> {
  const r = await c.runAndReadAll(`SELECT count(*)::DOUBLE, count(DISTINCT ${RAW.counterId})::DOUBLE,
    epoch_ms(min(${RAW.timestamp}))::DOUBLE, epoch_ms(max(${RAW.timestamp}))::DOUBLE,
    count(DISTINCT date_trunc('day', ${RAW.timestamp}))::DOUBLE FROM ${table}`);
  const [rows, counters, minMs, maxMs, days] = r.getColumnsJS().map((col) => col[0] as number | null);
  return { rows: rows ?? 0, counters: counters ?? 0, minMs: minMs ?? null, maxMs: maxMs ?? null, days: days ?? 0 };
}

/**
 * The same checks as assertValidCounts, in SQL over a table in the export's
 * order (timestamp, counter id), so validating a window never reads its rows into JS.
 */
export async function firstInvalidRow(c: DuckDBConnection, table: string): Promise<InvalidCountRow | null> {
  const r = await c.runAndReadAll(`SELECT rn::DOUBLE AS rn, problem, value FROM (
      SELECT row_number() OVER (ORDER BY ${RAW.timestamp} NULLS LAST, ${RAW.counterId}) AS rn,
        CASE
          WHEN ${RAW.counterId} IS NULL OR ${RAW.counterId} = '' THEN 'empty counter id'
          WHEN ${RAW.timestamp} IS NULL THEN 'unparseable timestamp'
          WHEN ${RAW.count} IS NULL OR isnan(${RAW.count}) OR isinf(${RAW.count}) THEN 'non-numeric count'
          WHEN ${RAW.count} < 0 THEN 'negative count'
        END AS problem,
        CASE WHEN ${RAW.count} IS NULL THEN 'NaN' ELSE ${RAW.count}::VARCHAR END AS value
      FROM ${table})
    WHERE problem IS NOT NULL ORDER BY rn LIMIT 1`);
  const rows = r.getRowObjectsJS() as { rn: number; problem: InvalidCountRow['problem']; value: string }[];
  if (rows.length === 0) return null;
  const { rn, problem, value } = rows[0];
  return { row: rn, problem, ...(problem.endsWith('count') ? { value: jsNumberText(value) } : {}) };
}

/** DuckDB prints -3.0 where JS (and the in-memory check) prints -3: keep messages identical across paths. */
function jsNumberText(sqlText: string): string {
  const n = Number(sqlText);
  return Number.isNaN(n) && sqlText.toLowerCase() !== 'nan' ? sqlText : String(n);
}
