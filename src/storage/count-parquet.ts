import type { CountTable } from '../core/counts';
import { appendCountTable, RAW, RAW_COLUMNS_DDL, readCountTable, SELECT_COUNT_COLUMNS } from './count-columns-sql';
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

export async function readCountsParquet(path: string): Promise<CountTable> {
  return withDuckDb(':memory:', (c) =>
    readCountTable(c, `SELECT ${SELECT_COUNT_COLUMNS} FROM read_parquet(${sqlLiteral(path)})`),
  );
}
