import type { CountTable } from '../core/counts';
import { appendCountTable, RAW, RAW_COLUMNS_DDL, readCountTable } from './count-columns-sql';
import { sqlLiteral, withDuckDb } from './duckdb-handle';

/**
 * Datasets and snapshots are Parquet files with the raw table's columns:
 * compact, typed, readable by DuckDB, BigQuery and pandas alike.
 */
export async function writeCountsParquet(t: CountTable, path: string): Promise<void> {
  await withDuckDb(':memory:', async (c) => {
    await c.run(`CREATE OR REPLACE TEMP TABLE _parquet_out (${RAW_COLUMNS_DDL})`);
    await appendCountTable(c, '_parquet_out', t);
    // ORDER BY keeps the file's bytes a function of the rows, not of insertion order.
    await c.run(`COPY (SELECT * FROM _parquet_out ORDER BY ${RAW.timestamp}, ${RAW.counterId})
      TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`);
    await c.run('DROP TABLE _parquet_out');
  });
}

/** Reads a count Parquet file, optionally only the rows with fromMs <= timestamp < toMs (filtered in DuckDB). */
export async function readCountsParquet(path: string, window?: { fromMs: number; toMs: number }): Promise<CountTable> {
  const where = window
    ? ` WHERE ${RAW.timestamp} >= make_timestamp($from::BIGINT * 1000) AND ${RAW.timestamp} < make_timestamp($to::BIGINT * 1000)`
    : '';
  const params = window ? { from: Math.trunc(window.fromMs), to: Math.trunc(window.toMs) } : undefined;
  return withDuckDb(':memory:', (c) => readCountTable(c, `FROM read_parquet(${sqlLiteral(path)})${where}`, params));
}
