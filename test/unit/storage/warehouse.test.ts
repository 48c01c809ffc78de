import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countTableFromRows } from '../../../src/core/counts';
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

  it('round-trips a CountTable through Parquet', async () => {
    const t = countTableFromRows(rows(2, 5));
    const path = `${home}/rt.parquet`;
    await writeCountsParquet(t, path);
    expect(await readCountsParquet(path)).toEqual(t);
  });
});
