import { sliceRows, type CountTable } from '../core/counts';
import type { CountConflict, CountsLoad, InsertCountsOptions, Warehouse } from '../storage/warehouse';

/**
 * The import's rows into the warehouse in slices of `LOAD_SLICE_ROWS` (each one costs the embedded
 * warehouse its memory while it lasts: 350K rows took 420 MB where one 660K slice took 550 MB).
 */
export const LOAD_SLICE_ROWS = 350_000;

export interface LoadTotals {
  inserted: number;
  duplicates: number;
  conflicts: CountConflict[];
  replaced: number;
}

export function emptyTotals(): LoadTotals {
  return { inserted: 0, duplicates: 0, conflicts: [], replaced: 0 };
}

/** Adds a slice's result to `totals`, its conflicts' rows counted from `from`. */
export function addSlice(
  totals: LoadTotals,
  r: Omit<LoadTotals, 'conflicts'> & Pick<LoadTotals, 'conflicts'>,
  from: number,
) {
  totals.inserted += r.inserted;
  totals.duplicates += r.duplicates;
  totals.replaced += r.replaced;
  for (const c of r.conflicts) totals.conflicts.push({ row: c.row + from, storedCount: c.storedCount });
}

/**
 * Loads a file's slices while the importer still reads the rest of it, so the warehouse's work
 * (staging, the key index, the conflict checks) runs on DuckDB's threads beside the parse.
 *
 * The slices are those the import would insert after the parse (the table's rows
 * [0, 350K), [350K, 700K)…, each checked against the warehouse and the slices before it) as long
 * as no key turns out disputed in the file, which only the whole file tells: they go into one
 * transaction (`Warehouse.beginCountsLoad`), committed when the file holds no in-file conflict,
 * rolled back otherwise (the caller then inserts the table that is left, as before). A warehouse
 * without load transactions (BigQuery) gets nothing here: the caller inserts after the parse.
 */
export class StreamedLoad {
  private chain: Promise<void> = Promise.resolve();
  private load: CountsLoad | undefined;
  private unsupported = false;
  /** Rows [0, streamed) are in the load. */
  private streamed = 0;
  private readonly totals = emptyTotals();

  constructor(
    private readonly warehouse: () => Promise<Warehouse>,
    private readonly options: InsertCountsOptions,
    /** The slices' size: the one the caller hands them out at (ImportOptions.slices.rows). */
    private readonly sliceRows = LOAD_SLICE_ROWS,
  ) {}

  /** ImportOptions.slices' callback: queues the slice behind the ones before it. */
  readonly add = (t: CountTable, from: number): void => {
    this.chain = this.chain.then(async () => {
      if (this.unsupported) return;
      const w = await this.warehouse();
      if (!w.beginCountsLoad) {
        this.unsupported = true;
        return;
      }
      this.load ??= await w.beginCountsLoad(this.options);
      addSlice(this.totals, await this.load.insert(t), from);
      this.streamed = from + t.length;
    });
    // Awaited (and thrown) by finish or abandon.
    this.chain.catch(() => undefined);
  };

  /**
   * After the parse: the rest of `t` loaded and everything committed, with the totals; undefined when
   * nothing was streamed or `disputed` (the file set rows aside as in-file conflicts: rolled back).
   */
  async finish(t: CountTable, disputed: boolean, onProgress?: (rows: number) => void): Promise<LoadTotals | undefined> {
    try {
      await this.chain;
    } catch (e) {
      await this.abandon();
      throw e;
    }
    const load = this.load;
    if (!load) return undefined;
    if (disputed || t.length < this.streamed) {
      await load.rollback();
      return undefined;
    }
    try {
      for (let from = this.streamed; from < t.length; from += this.sliceRows) {
        const to = Math.min(t.length, from + this.sliceRows);
        addSlice(this.totals, await load.insert(sliceRows(t, from, to)), from);
        onProgress?.(to);
      }
      await load.commit();
    } catch (e) {
      await load.rollback().catch(() => undefined);
      throw e;
    }
    return this.totals;
  }

  /** The parse failed: whatever was loaded is taken back. */
  async abandon(): Promise<void> {
    await this.chain.catch(() => undefined);
    await this.load?.rollback().catch(() => undefined);
  }
}
