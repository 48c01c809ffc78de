import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BigQuery, Job, Query, RowMetadata } from '@google-cloud/bigquery';
import { concatCountTables, type CountTable } from '../core/counts';
import type { AuditRow } from '../core/domain';
import { ConfigError } from '../core/errors';
import type { CountSource } from '../core/validate-counts';
import { appendCountTable, RAW, RAW_COLUMNS_DDL } from './count-columns-sql';
import { sqlLiteral, withDuckDb } from './duckdb-handle';
import { firstInvalidRow, summarize } from './duckdb-count-checks';
import { assertBigQueryNames, type BigQueryWarehouseOptions } from './bigquery-tables';
import {
  AUDIT_PARAM_TYPES,
  auditJobId,
  auditParams,
  INSERT_AUDIT,
  isDuplicateJob,
  MAX_AUDIT_ATTEMPTS,
} from './bigquery-audit-sql';
import {
  clampMs,
  countTableFromRows,
  firstRowOfEachKey,
  IN_WINDOW,
  insertSql,
  MAX_MS,
  MIN_MS,
  STAGING_FIELDS,
  stagingJson,
  windowParams,
  windowSql,
} from './bigquery-counts-sql';
import type {
  CountConflict,
  CountsSummary,
  CountWindowQuery,
  ExportSummary,
  InsertCountsOptions,
  InsertCountsResult,
  Warehouse,
} from './warehouse';

export { auditJobId } from './bigquery-audit-sql';
export {
  AUDIT_TABLE_SCHEMA,
  COUNTS_TABLE_SCHEMA,
  createBigQueryTables,
  type BigQueryWarehouseOptions,
} from './bigquery-tables';

/** Rows per page when reading a result (one page at a time in JS). */
const PAGE_ROWS = 20_000;

/**
 * The production warehouse: the raw counts and the audit trail in BigQuery.
 * Every value reaches SQL as a query parameter; only the (validated) table
 * names are written into the text. Tables are created by
 * `createBigQueryTables`, never implicitly.
 */
export class BigQueryWarehouse implements Warehouse {
  private readonly bigquery: BigQuery;
  private readonly counts: string;
  private readonly audit: string;

  constructor(private readonly o: BigQueryWarehouseOptions) {
    assertBigQueryNames(o);
    this.bigquery = o.bigquery;
    this.counts = `\`${o.projectId}.${o.dataset}.${o.countsTable}\``;
    this.audit = `\`${o.projectId}.${o.dataset}.${o.auditTable}\``;
  }

  /**
   * The batch goes to a per-call staging table by a load job (newline-delimited
   * JSON), then set-based SQL compares and writes it. Streaming inserts are not
   * used: their `insertId` de-duplication is best effort (and ignored by the
   * emulator), and streamed rows cannot be updated for a while. Keys are
   * compared as one string (counter id, "|", epoch ms: unambiguous, the digits
   * come last) with GROUP BY and IN, never a join: the emulator runs joins as
   * nested loops (1,000 × 1,000 rows: 12 s), IN and GROUP BY with an index.
   * Stored rows are read only within the batch's time span (partition pruning
   * on BigQuery). With `replace`, the conflicting stored rows are deleted and
   * the batch's inserted in one transaction.
   */
  async insertCounts(t: CountTable, options: InsertCountsOptions = {}): Promise<InsertCountsResult> {
    const firstOfKey = firstRowOfEachKey(t, this.source());
    if (firstOfKey.length === 0)
      return { read: t.length, inserted: 0, duplicates: t.length, conflicts: [], replaced: 0 };
    const staging = `${this.o.countsTable}__incoming_${randomUUID().replace(/-/g, '')}`;
    const stagingRef = `\`${this.o.projectId}.${this.o.dataset}.${staging}\``;
    await mkdir(this.o.scratchDir, { recursive: true });
    const file = join(this.o.scratchDir, `${staging}.ndjson`);
    const table = this.dataset().table(staging);
    try {
      await writeFile(file, stagingJson(t, firstOfKey));
      await this.guard(
        table.create({
          schema: { fields: STAGING_FIELDS },
          // Left behind by a crash, it disappears by itself.
          expirationTime: String(Date.now() + 24 * 3_600_000),
        }),
      );
      await this.guard(table.load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_APPEND' }));
      let minMs = Infinity;
      let maxMs = -Infinity;
      for (const i of firstOfKey) {
        minMs = Math.min(minMs, t.timestampMs[i]);
        maxMs = Math.max(maxMs, t.timestampMs[i]);
      }
      const span = { minMs: Math.round(minMs), maxMs: Math.round(maxMs) };
      const sql = insertSql(this.counts, stagingRef);
      const found = await this.rows(sql.matched, span);
      const matched = Number(found[0]?.matched ?? 0);
      const conflicts: CountConflict[] = found
        .filter((r) => r.differs === true)
        .map((r) => ({ row: Number(r.row_index), storedCount: r.stored === null ? Number.NaN : Number(r.stored) }));
      const replace = options.replace === true && conflicts.length > 0;
      await this.rows(replace ? sql.replaceThenInsert : sql.insertNew, span);
      const inserted = firstOfKey.length - matched;
      return {
        read: t.length,
        inserted,
        duplicates: t.length - inserted - conflicts.length,
        conflicts,
        replaced: replace ? conflicts.length : 0,
      };
    } finally {
      await rm(file, { force: true });
      await table.delete({ ignoreNotFound: true }).catch(() => undefined);
    }
  }

  async queryCounts(q: CountWindowQuery): Promise<CountTable> {
    const parts: CountTable[] = [];
    for await (const page of this.pages(windowSql(this.counts, q), windowParams(q)))
      parts.push(countTableFromRows(page));
    return parts.length === 1 ? parts[0] : concatCountTables(parts);
  }

  /**
   * BigQuery cannot write a local Parquet file (extract jobs and EXPORT DATA
   * write to Cloud Storage, and not Parquet on the emulator), so the result is
   * read page by page into a DuckDB file in the scratch folder, never whole in
   * JS, and written from there; the same DuckDB SQL as the embedded warehouse
   * summarises and validates it.
   */
  async exportCounts(q: CountWindowQuery, path: string): Promise<ExportSummary> {
    await mkdir(this.o.scratchDir, { recursive: true });
    const staged = join(this.o.scratchDir, `export-${randomUUID()}.duckdb`);
    try {
      return await withDuckDb(staged, async (c) => {
        await c.run(`CREATE TABLE _export (${RAW_COLUMNS_DDL})`);
        for await (const page of this.pages(windowSql(this.counts, q), windowParams(q)))
          await appendCountTable(c, '_export', countTableFromRows(page));
        await c.run(`COPY (SELECT * FROM _export ORDER BY ${RAW.timestamp}, ${RAW.counterId})
          TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`);
        const summary = await summarize(c, '_export');
        return { ...summary, firstInvalid: await firstInvalidRow(c, '_export') };
      });
    } finally {
      await rm(staged, { force: true });
      await rm(`${staged}.wal`, { force: true });
    }
  }

  async summarizeCounts(q: Partial<CountWindowQuery> = {}): Promise<CountsSummary> {
    const [r] = await this.rows(
      `SELECT COUNT(*) AS n_rows, COUNT(DISTINCT ${RAW.counterId}) AS counters,
         UNIX_MILLIS(MIN(${RAW.timestamp})) AS min_ms, UNIX_MILLIS(MAX(${RAW.timestamp})) AS max_ms,
         COUNT(DISTINCT DATE(${RAW.timestamp})) AS days
       FROM ${this.counts} WHERE ${IN_WINDOW}`,
      { fromMs: clampMs(q.fromMs ?? MIN_MS), toMs: clampMs(q.toMs ?? MAX_MS) },
    );
    const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return {
      rows: n(r?.n_rows) ?? 0,
      counters: n(r?.counters) ?? 0,
      minMs: n(r?.min_ms),
      maxMs: n(r?.max_ms),
      days: n(r?.days) ?? 0,
    };
  }

  /**
   * Exactly once per (workflow id, run id): a query job whose id is derived
   * from the key runs `INSERT … WHERE NOT EXISTS`. A retry submitting the same
   * job id is refused by BigQuery (409); it waits for that job and reads its
   * outcome instead: the row is there → written: false; it is not → that
   * attempt failed, and the next job id of the sequence tries again. The row
   * records the job that wrote it, which tells a job that inserted from one
   * that found the row already there.
   */
  async writeAudit(row: AuditRow): Promise<{ written: boolean }> {
    for (let attempt = 0; attempt < MAX_AUDIT_ATTEMPTS; attempt++) {
      const jobId = auditJobId(this.o, row, attempt);
      try {
        const job = await this.runJob(INSERT_AUDIT(this.audit), auditParams(row, jobId), AUDIT_PARAM_TYPES, jobId);
        await job.getQueryResults({ maxResults: 0 }); // waits until the job is done
      } catch (err) {
        if (!isDuplicateJob(err)) throw this.explain(err);
        await this.jobDone(jobId);
        if ((await this.auditWriter(row)) !== null) return { written: false };
        continue; // That attempt failed: nothing was written under its id.
      }
      return { written: (await this.auditWriter(row)) === jobId };
    }
    throw new Error(
      `audit row for workflow ${row.workflowId} run ${row.runId}: ${MAX_AUDIT_ATTEMPTS} earlier write jobs failed; ` +
        `see their errors in BigQuery (job ids ${auditJobId(this.o, row, 0)}…)`,
    );
  }

  async listAudit(options: { last?: number; workflowId?: string } = {}): Promise<AuditRow[]> {
    const last = options.last ?? 1_000_000;
    if (!Number.isInteger(last) || last < 0)
      throw new ConfigError(`listAudit: last must be a whole number, got ${last}`);
    const where = options.workflowId !== undefined ? 'WHERE workflow_id = @workflowId' : '';
    const params: Record<string, string | number> = { last };
    if (options.workflowId !== undefined) params.workflowId = options.workflowId;
    const newestFirst = await this.rows(
      `SELECT row_json FROM ${this.audit} ${where} ORDER BY started_at DESC, run_id DESC LIMIT @last`,
      params,
    );
    return newestFirst.reverse().map((r) => JSON.parse(String(r.row_json)) as AuditRow);
  }

  source(q: Partial<CountWindowQuery> = {}): CountSource {
    const window =
      q.fromMs !== undefined && q.toMs !== undefined
        ? ` [${new Date(q.fromMs).toISOString()}, ${new Date(q.toMs).toISOString()})`
        : '';
    return {
      name: `BigQuery table ${this.o.projectId}.${this.o.dataset}.${this.o.countsTable}${window}`,
      columns: { count: RAW.count, timestamp: RAW.timestamp, counterId: RAW.counterId },
    };
  }

  async close(): Promise<void> {
    // The BigQuery client belongs to the caller and holds no connection open.
  }

  private dataset() {
    return this.bigquery.dataset(this.o.dataset, { projectId: this.o.projectId, location: this.o.location });
  }

  private async runJob(
    query: string,
    params: Record<string, unknown> = {},
    types?: Record<string, string>,
    jobId?: string,
  ): Promise<Job> {
    const options: Query = { query, location: this.o.location };
    if (Object.keys(params).length > 0) Object.assign(options, typedParams(params, types));
    if (jobId) options.jobId = jobId;
    const [job] = await this.bigquery.createQueryJob(options);
    return job;
  }

  /** A result's rows, page by page. */
  private async *pages(query: string, params: Record<string, unknown>): AsyncGenerator<RowMetadata[]> {
    const job = await this.guard(this.runJob(query, params));
    let pageToken: string | undefined;
    do {
      const [rows, next] = await this.guard(
        job.getQueryResults({ autoPaginate: false, maxResults: PAGE_ROWS, pageToken }),
      );
      if (rows.length > 0) yield rows;
      pageToken = next?.pageToken ?? undefined;
    } while (pageToken);
  }

  private async rows(query: string, params: Record<string, unknown> = {}): Promise<RowMetadata[]> {
    const all: RowMetadata[] = [];
    for await (const page of this.pages(query, params)) all.push(...page);
    return all;
  }

  /** The job id that wrote the audit row of this key, or null when there is none. */
  private async auditWriter(row: AuditRow): Promise<string | null> {
    const [stored] = await this.rows(
      `SELECT audit_job_id FROM ${this.audit} WHERE workflow_id = @workflowId AND run_id = @runId`,
      { workflowId: row.workflowId, runId: row.runId },
    );
    return stored ? String(stored.audit_job_id) : null;
  }

  /**
   * Waits for a job to finish. Its outcome is then read from the table, not
   * from the job's status: the emulator reports failed jobs as plain DONE.
   */
  private async jobDone(jobId: string): Promise<void> {
    const job = this.bigquery.job(jobId, { location: this.o.location });
    for (let delay = 200; ; delay = Math.min(delay * 2, 5000)) {
      const [metadata] = await this.guard(job.getMetadata());
      if ((metadata as { status?: { state?: string } }).status?.state === 'DONE') return;
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  private async guard<T>(p: Promise<T>): Promise<T> {
    try {
      return await p;
    } catch (err) {
      throw this.explain(err);
    }
  }

  /** A missing table is a set-up problem, said as such; other errors pass unchanged. */
  private explain(err: unknown): unknown {
    const message = String((err as Error)?.message ?? err);
    if (/not ?found: (table|dataset)|(table|dataset) not found/i.test(message))
      return new ConfigError(
        `BigQuery: ${message}. The warehouse needs the dataset ${this.o.projectId}.${this.o.dataset} with tables ` +
          `${this.o.countsTable} and ${this.o.auditTable}: create them once with createBigQueryTables (see the README).`,
      );
    return err;
  }
}

/**
 * Parameter values as the REST API defines them: strings, with their types
 * declared (the emulator refuses JSON numbers and booleans; a null needs a type).
 */
function typedParams(
  params: Record<string, unknown>,
  declared: Record<string, string> = {},
): { params: Record<string, string | null>; types: Record<string, string> } {
  const values: Record<string, string | null> = {};
  const types: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    types[name] =
      declared[name] ??
      (typeof value === 'number'
        ? Number.isInteger(value)
          ? 'INT64'
          : 'FLOAT64'
        : typeof value === 'boolean'
          ? 'BOOL'
          : 'STRING');
    values[name] = value === null || value === undefined ? null : String(value);
  }
  return { params: values, types };
}
