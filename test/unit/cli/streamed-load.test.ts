import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addSlice, emptyTotals, StreamedLoad, type LoadTotals } from '../../../src/cli/streamed-load';
import { sliceRows, type CountTable } from '../../../src/core/counts';
import { importCountsFile } from '../../../src/data/open-data-import';
import { IN_FILE_CONFLICT } from '../../../src/data/quarantine';
import { openWarehouse, type InsertCountsOptions } from '../../../src/storage';

/**
 * `data import` loads a big file's first slices while it reads the rest (one transaction, rolled back
 * when the file turns out to dispute a key): the warehouse and the totals must be those of the
 * slices inserted after the parse, as before. Small slices here, so a small file streams.
 */
const dir = mkdtempSync(join(tmpdir(), 'streamed-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SLICE = 40;
const HEADER = 'identifiant_du_compteur,nom_du_compteur,comptage_horaire,date_et_heure_de_comptage,latitude,longitude';
const T0 = Date.UTC(2025, 2, 3);
const H = 3_600_000;
const line = (id: string, h: number, count: number | string) =>
  `${id},Counter ${id},${count},${new Date(T0 + h * H).toISOString()},48.8,2.3`;

/** 3 counters × 60 hours, a few bad rows, a repeated row; `dispute` gives one key a second count. */
function file(name: string, dispute = false): string {
  const rows = [HEADER];
  for (let h = 0; h < 60; h++)
    for (const id of ['c-1', 'c-2', 'c-3']) rows.push(line(id, h, h % 17 === 5 && id === 'c-2' ? 'x' : (h * 3) % 50));
  rows.splice(100, 0, line('c-1', 7, 21)); // repeats line 23's row, same count: a duplicate
  if (dispute) rows.push(line('c-3', 2, 999));
  const p = join(dir, name);
  writeFileSync(p, rows.join('\n') + '\n');
  return p;
}

/** Rows already stored: some as in the file, some with another count (conflicts). */
async function prefilled(name: string): Promise<string> {
  const home = join(dir, name);
  const p = join(dir, `${name}-pre.csv`);
  const rows = [HEADER];
  for (let h = 10; h < 30; h++) rows.push(line('c-1', h, h % 4 === 0 ? 77 : (h * 3) % 50));
  writeFileSync(p, rows.join('\n') + '\n');
  const w = openWarehouse(home);
  await w.insertCounts((await importCountsFile(p)).table);
  await w.close();
  return home;
}

async function contents(home: string): Promise<CountTable> {
  const w = openWarehouse(home);
  try {
    return await w.queryCounts({ fromMs: 0, toMs: 8.64e15 });
  } finally {
    await w.close();
  }
}

/** The import as before: the whole file parsed, then inserted in slices. */
async function afterParse(home: string, path: string, options: InsertCountsOptions): Promise<LoadTotals> {
  const r = await importCountsFile(path);
  const w = openWarehouse(home);
  const totals = emptyTotals();
  for (let from = 0; from < r.table.length; from += SLICE)
    addSlice(
      totals,
      await w.insertCounts(sliceRows(r.table, from, Math.min(r.table.length, from + SLICE)), options),
      from,
    );
  await w.close();
  return totals;
}

/** The import streamed: undefined when the load was rolled back (then inserted after the parse, as before). */
async function streamed(home: string, path: string, options: InsertCountsOptions) {
  const w = openWarehouse(home);
  const load = new StreamedLoad(async () => w, options, SLICE);
  const r = await importCountsFile(path, { slices: { rows: SLICE, onSlice: load.add } });
  const totals = await load.finish(
    r.table,
    r.quarantined.some((q) => q.reason === IN_FILE_CONFLICT),
  );
  await w.close();
  return { totals, rows: r.table.length };
}

describe('StreamedLoad', () => {
  for (const replace of [false, true])
    it(`loads slices while the file is read, as inserting them after the parse did${replace ? ' (--replace)' : ''}`, async () => {
      const path = file(`clean-${replace}.csv`);
      const [a, b] = [await prefilled(`a-${replace}`), await prefilled(`b-${replace}`)];
      const before = await afterParse(a, path, { replace });
      const now = await streamed(b, path, { replace });
      expect(now.totals).toEqual(before);
      expect(now.rows).toBeGreaterThan(3 * SLICE);
      expect(before.conflicts.length).toBeGreaterThan(0);
      expect(before.duplicates).toBeGreaterThan(0);
      expect(await contents(b)).toEqual(await contents(a));
    });

  it('takes everything back when the file disputes a key: the warehouse is as it was', async () => {
    const path = file('disputed.csv', true);
    const home = await prefilled('disputed');
    const was = await contents(home);
    expect((await streamed(home, path, {})).totals).toBeUndefined();
    expect(await contents(home)).toEqual(was);
  });

  it('takes everything back when the parse fails after some slices', async () => {
    const home = await prefilled('abandoned');
    const was = await contents(home);
    const w = openWarehouse(home);
    const load = new StreamedLoad(async () => w, {}, SLICE);
    const r = await importCountsFile(file('abandoned.csv'), { slices: { rows: SLICE, onSlice: load.add } });
    expect(r.table.length).toBeGreaterThan(2 * SLICE);
    await load.abandon();
    await w.close();
    expect(await contents(home)).toEqual(was);
  });
});
