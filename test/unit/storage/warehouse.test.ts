import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countTableFromRows, type CountRow } from '../../../src/core/counts';
import { openWarehouse, readCountsParquet, writeCountsParquet } from '../../../src/storage';
import { makeTmpHome } from '../../support/tmp-home';

// The Warehouse behaviour every backend shares is in
// test/integration/storage/warehouse.contract.test.ts; here, what only the embedded one does.
const { home, cleanup } = makeTmpHome();
afterAll(cleanup);

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

function rows(counters: number, hours: number): CountRow[] {
  const out: CountRow[] = [];
  for (let h = 0; h < hours; h++)
    for (let c = 0; c < counters; c++)
      out.push({
        counterId: `c${c}`,
        counterName: `Counter ${c}`,
        siteId: `s${c}`,
        timestampMs: T0 + h * H,
        count: (h * 7 + c) % 50,
        lat: 48.8 + c / 100,
        lon: 2.3 + c / 100,
      });
  return out;
}

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
