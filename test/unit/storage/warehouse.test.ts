import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { countTableFromRows } from '../../../src/core/counts';
import { RAW, RAW_COLUMNS_DDL } from '../../../src/storage/count-columns-sql';
import { openWarehouse, readCountsParquet, writeCountsParquet } from '../../../src/storage';
import { makeTmpHome } from '../../support/tmp-home';
import { hourlyRows } from '../../support/count-rows';

// The Warehouse behaviour every backend shares is in
// test/integration/storage/warehouse.contract.test.ts; here, what only the embedded one does.
const { home, cleanup } = makeTmpHome();
afterAll(cleanup);

const rows = hourlyRows;

describe('DuckDbWarehouse', () => {
  it('keeps its tables in one DuckDB file in the data folder, created on first use', async () => {
    const wh = openWarehouse(home);
    expect(existsSync(join(home, 'warehouse.duckdb'))).toBe(false);
    expect((await wh.insertCounts(countTableFromRows(rows(2, 3)))).inserted).toBe(6);
    await wh.close();
    expect(existsSync(join(home, 'warehouse.duckdb'))).toBe(true);
    expect((await openWarehouse(home).summarizeCounts()).rows).toBe(6);
  });

  it('keeps one row per counter and hour under concurrent imports, without a primary key', async () => {
    const { home: h, cleanup: done } = makeTmpHome();
    try {
      const wh = openWarehouse(h);
      // Overlapping batches at once: each key lands once; the rest are duplicates or (another count) conflicts.
      const other = rows(3, 6).map((r) => ({ ...r, count: r.count + 1 }));
      const results = await Promise.all([
        wh.insertCounts(countTableFromRows(rows(3, 6))),
        wh.insertCounts(countTableFromRows(rows(3, 8))),
        wh.insertCounts(countTableFromRows(other)),
      ]);
      expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(24);
      expect(results.reduce((n, r) => n + r.inserted + r.duplicates + r.conflicts.length, 0)).toBe(18 + 24 + 18);
      expect(results.reduce((n, r) => n + r.conflicts.length, 0)).toBe(18);
      expect((await wh.summarizeCounts()).rows).toBe(24);
      await wh.close();
    } finally {
      done();
    }
  });

  it('rebuilds a counts table made with a primary key (earlier versions) without it, rows kept', async () => {
    const { home: h, cleanup: done } = makeTmpHome();
    try {
      const file = join(h, 'warehouse.duckdb');
      const db = await DuckDBInstance.create(file);
      const c = await db.connect();
      await c.run(`CREATE TABLE raw_counts (${RAW_COLUMNS_DDL}, PRIMARY KEY (${RAW.counterId}, ${RAW.timestamp}))`);
      await c.run(`INSERT INTO raw_counts VALUES ('c0', 'Counter 0', 's0', TIMESTAMP '2025-01-01 00:00', 4, 48.8, 2.3),
        ('c1', 'Counter 1', 's1', TIMESTAMP '2025-01-01 00:00', 7, 48.81, 2.31)`);
      c.closeSync();
      db.closeSync();
      const wh = openWarehouse(h);
      expect((await wh.summarizeCounts()).rows).toBe(2);
      const again = await wh.insertCounts(
        countTableFromRows([
          {
            counterId: 'c0',
            counterName: 'Counter 0',
            siteId: 's0',
            timestampMs: Date.UTC(2025, 0, 1),
            count: 4,
            lat: 48.8,
            lon: 2.3,
          },
          {
            counterId: 'c1',
            counterName: 'Counter 1',
            siteId: 's1',
            timestampMs: Date.UTC(2025, 0, 1),
            count: 9,
            lat: 48.81,
            lon: 2.31,
          },
        ]),
      );
      expect(again).toMatchObject({ inserted: 0, duplicates: 1, conflicts: [{ row: 1, storedCount: 7 }] });
      await wh.close();
      const check = await DuckDBInstance.create(file);
      const cc = await check.connect();
      const keys = await cc.runAndReadAll(
        `SELECT count(*)::INTEGER FROM duckdb_constraints() WHERE table_name = 'raw_counts' AND constraint_type = 'PRIMARY KEY'`,
      );
      expect(keys.getColumnsJS()[0][0]).toBe(0);
      const notNull = await cc.runAndReadAll(
        `SELECT count(*)::INTEGER FROM duckdb_constraints() WHERE table_name = 'raw_counts' AND constraint_type = 'NOT NULL'`,
      );
      expect(notNull.getColumnsJS()[0][0]).toBe(2);
      cc.closeSync();
      check.closeSync();
    } finally {
      done();
    }
  });

  it('round-trips a CountTable through Parquet', async () => {
    const t = countTableFromRows(rows(2, 5));
    const path = `${home}/rt.parquet`;
    await writeCountsParquet(t, path);
    expect(await readCountsParquet(path)).toEqual(t);
  });
});
