import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { countTableFromRows, type CountRow } from '../../../src/core/counts';
import { compareCodePoints, countTableAsWritten } from '../../../src/data/count-table-as-written';
import { SeededRandom } from '../../../src/stats/random';
import { readCountsParquet, writeCountsParquet } from '../../../src/storage/count-parquet';
import { countTableBits } from '../../support/count-table-bits';
import { makeTmpHome } from '../../support/tmp-home';

const { home, cleanup } = makeTmpHome('bike-retrain-as-written-');
afterAll(cleanup);
const T0 = Date.UTC(2026, 0, 1);
const H = 3_600_000;

/** Ids that JS's `<` and UTF-8 bytes order differently (U+FF21 vs an astral emoji), ASCII, a prefix of another. */
const IDS = ['100003096-353242251', 'b', 'ab', 'a', '\uFF21', '\u{1F600}', 'é', 'e'];
const ODD = [0, Number.NaN, Infinity, -Infinity, 1.5, 1e-300];

function shuffledRows(seed: number): CountRow[] {
  const rng = new SeededRandom(seed);
  const rows: CountRow[] = [];
  for (let h = 0; h < 30; h++)
    for (const id of IDS)
      rows.push({
        counterId: id,
        counterName: rng.int(4) === 0 ? (undefined as unknown as string) : `name ${id}`,
        siteId: rng.int(4) === 0 ? '' : `site ${id}`,
        timestampMs: T0 + (h - 10) * H,
        count: rng.int(3) === 0 ? ODD[rng.int(ODD.length)] : rng.int(400),
        lat: ODD[rng.int(ODD.length)],
        lon: 2.3 + rng.int(100) / 1000,
      });
  for (let i = rows.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}

async function roundTrip(rows: CountRow[], name: string) {
  const path = join(home, `${name}.parquet`);
  await writeCountsParquet(countTableFromRows(rows), path);
  return readCountsParquet(path);
}

describe('countTableAsWritten: what reading the written Parquet file returns, without the file', () => {
  it.each([1, 2, 3])('same rows, same order, same bits in every column (seed %i)', async (seed) => {
    const rows = shuffledRows(seed);
    const asWritten = countTableAsWritten(countTableFromRows(rows));
    expect(asWritten).not.toBeNull();
    expect(countTableBits(asWritten!)).toEqual(countTableBits(await roundTrip(rows, `seed-${seed}`)));
  });

  it('an empty table', async () => {
    expect(countTableBits(countTableAsWritten(countTableFromRows([]))!)).toEqual(
      countTableBits(await roundTrip([], 'empty')),
    );
  });

  it('none when the file order or values cannot be told exactly', () => {
    const row: CountRow = { counterId: 'a', counterName: 'n', siteId: 's', timestampMs: T0, count: 1, lat: 1, lon: 2 };
    // Two rows with one (timestamp, counter id): DuckDB orders them.
    expect(countTableAsWritten(countTableFromRows([row, { ...row, count: 2 }]))).toBeNull();
    // The writer rounds a timestamp that is not a whole millisecond.
    expect(countTableAsWritten(countTableFromRows([{ ...row, timestampMs: T0 + 0.5 }]))).toBeNull();
    // A lone surrogate is not UTF-8.
    expect(countTableAsWritten(countTableFromRows([{ ...row, counterName: 'x\uD800' }]))).toBeNull();
    // DuckDB's Parquet writer stores equal values once: of 0 and -0 in one column, whichever came first.
    expect(countTableAsWritten(countTableFromRows([{ ...row, lat: -0 }]))).toBeNull();
    const otherNaN = new Float64Array(new Uint32Array([1, 0x7ff80000]).buffer)[0];
    expect(countTableAsWritten(countTableFromRows([{ ...row, count: otherNaN }]))).toBeNull();
    expect(countTableAsWritten(countTableFromRows([row, { ...row, counterId: 'b' }]))).not.toBeNull();
  });

  it('compareCodePoints orders strings as their UTF-8 bytes do', () => {
    const utf8 = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const a of IDS) for (const b of IDS) expect(Math.sign(compareCodePoints(a, b))).toBe(utf8(a, b));
  });
});
