import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countTableFromRows } from '../../../src/core/counts';
import { readCountTable, readCountTableRowByRow } from '../../../src/storage/count-columns-sql';
import { sqlLiteral, withDuckDb } from '../../../src/storage/duckdb-handle';
import { writeCountsParquet } from '../../../src/storage';

const dir = mkdtempSync(join(tmpdir(), 'read-count-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readCountTable (one string conversion per counter)', () => {
  it('gives the same table as reading the strings row by row: order, names, missing values', async () => {
    const rows = [];
    for (let h = 0; h < 500; h++)
      for (const [id, name, site] of [
        ['c-1', 'Rue A N-S', 's-1'],
        ['c-2', 'Rue A S-N', 's-1'],
        ['c-3', '', ''],
        ['c-4', 'Quai B', 's-4'],
      ])
        rows.push({
          counterId: id,
          counterName: name,
          siteId: site,
          timestampMs: Date.UTC(2026, 0, 1) + h * 3_600_000,
          count: h % 17 === 0 ? Number.NaN : (h * 7) % 90,
          lat: id === 'c-4' ? Number.NaN : 48.85,
          lon: 2.35,
        });
    const path = join(dir, 'counts.parquet');
    await writeCountsParquet(countTableFromRows(rows), path);
    const from = `FROM read_parquet(${sqlLiteral(path)}) WHERE date_et_heure_de_comptage >= make_timestamp($from::BIGINT * 1000)`;
    const params = { from: Date.UTC(2026, 0, 3) };
    const [fast, plain] = await withDuckDb(':memory:', async (c) => [
      await readCountTable(c, from, params),
      await readCountTableRowByRow(c, from, params),
    ]);
    expect(fast.length).toBe(rows.length - 4 * 48);
    expect(fast).toEqual(plain);
    // Every row of a counter shares its strings: converted once, not per row.
    expect(new Set(fast.counterName).size).toBe(4);
  });

  it('reads an empty window', async () => {
    const path = join(dir, 'empty.parquet');
    await writeCountsParquet(countTableFromRows([]), path);
    const t = await withDuckDb(':memory:', (c) => readCountTable(c, `FROM read_parquet(${sqlLiteral(path)})`));
    expect(t.length).toBe(0);
  });
});
