import type { CountTable } from '../core/counts';
import type { AuditRow } from '../core/domain';
import type { CountSource, InvalidCountRow } from '../core/validate-counts';

export interface CountWindowQuery {
  /** Inclusive start, epoch ms. */
  fromMs: number;
  /** Exclusive end, epoch ms. */
  toMs: number;
  /**
   * Optional cap. When set, rows are sampled deterministically across days and
   * counters (hash of counter id + hour, seeded), never cut by scan order, so a
   * rerun with the same arguments sees the same rows.
   */
  limit?: number;
  seed?: number;
}

export interface CountsSummary {
  rows: number;
  counters: number;
  /** null when there are no rows */
  minMs: number | null;
  maxMs: number | null;
  /** Distinct UTC days with rows. */
  days: number;
}

export interface ExportSummary extends CountsSummary {
  /** The first row (in the export's order) no model should learn from, found without reading rows into JS. */
  firstInvalid: InvalidCountRow | null;
}

export interface InsertCountsResult {
  read: number;
  /** New keys written. */
  inserted: number;
  /** Rows whose key is already stored with the same count, or repeated in the batch: nothing to do. */
  duplicates: number;
  /**
   * Rows whose key is stored with another count, in the batch's order: kept as stored, or (with
   * `replace`) overwritten with the batch's row.
   */
  conflicts: CountConflict[];
  /** Stored rows overwritten (`replace` only): the conflicts. */
  replaced: number;
}

/** A batch row whose (counter id, timestamp) is stored with another count. */
export interface CountConflict {
  /** Its index in the inserted table. */
  row: number;
  /** The count stored before this insert. */
  storedCount: number;
}

export interface InsertCountsOptions {
  /** Overwrite stored rows that conflict with the batch (the batch's values win). Default: keep what is stored. */
  replace?: boolean;
}

/**
 * Tables: raw hourly counts and the audit trail. Embedded default: DuckDB in
 * the data folder; production: BigQuery, behind this same interface.
 */
export interface Warehouse {
  /**
   * Idempotent on (counter id, timestamp): importing a file twice adds nothing. A key stored with another
   * count is a conflict, reported and kept as stored unless `replace`. A key repeated in the batch keeps
   * its first row (callers resolve conflicts inside a batch: the import quarantines them).
   */
  insertCounts(t: CountTable, options?: InsertCountsOptions): Promise<InsertCountsResult>;
  /** Rows with fromMs <= timestamp < toMs, ordered by (timestamp, counter id). */
  queryCounts(q: CountWindowQuery): Promise<CountTable>;
  /**
   * Same rows as `queryCounts`, written as a Parquet file at `path` without
   * materialising them in JS; the rows are validated where they are (SQL).
   */
  exportCounts(q: CountWindowQuery, path: string): Promise<ExportSummary>;
  summarizeCounts(q?: Partial<CountWindowQuery>): Promise<CountsSummary>;
  /** Idempotent on (workflow id, run id): a retried write never adds a second row. */
  writeAudit(row: AuditRow): Promise<{ written: boolean }>;
  listAudit(options?: { last?: number; workflowId?: string }): Promise<AuditRow[]>;
  /** How errors name a window of the counts table (table and columns as this backend calls them). */
  source(q?: Partial<CountWindowQuery>): CountSource;
  close(): Promise<void>;
}
