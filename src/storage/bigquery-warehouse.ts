import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BigQuery, Job, Query, RowMetadata } from '@google-cloud/bigquery';
import { emptyCountTable, type CountTable } from '../core/counts';
import type { AuditRow } from '../core/domain';
import { BadInputError, ConfigError } from '../core/errors';
import type { CountSource } from '../core/validate-counts';
import { appendCountTable, RAW, RAW_COLUMNS_DDL } from './count-columns-sql';
import { sqlLiteral, withDuckDb } from './duckdb-handle';
import { firstInvalidRow, summarize } from './duckdb-count-checks';
import { assertBigQueryNames, type BigQueryWarehouseOptions } from './bigquery-tables';
import type {
  CountConflict,
  CountsSummary,
  CountWindowQuery,
  ExportSummary,
  InsertCountsOptions,
  InsertCountsResult,
  Warehouse,
} from './warehouse';

export {
  AUDIT_TABLE_SCHEMA,
  COUNTS_TABLE_SCHEMA,
  createBigQueryTables,
  type BigQueryWarehouseOptions,
} from './bigquery-tables';

/** BigQuery's TIMESTAMP range, in epoch ms: open windows are clamped to it. */
const MIN_MS = -62_135_596_800_000;
const MAX_MS = 253_402_300_799_999;
/** Rows per page when reading a result (one page at a time in JS). */
const PAGE_ROWS = 20_000;

/** The select list every count read uses: the key, the count and the descriptive columns, time as epoch ms. */
const COUNT_SELECT = `${RAW.counterId}, ${RAW.counterName}, ${RAW.siteId},
  UNIX_MILLIS(${RAW.timestamp}) AS ts_ms, ${RAW.count}, ${RAW.lat}, ${RAW.lon}`;

/** The staging table's columns (a load job's schema): timestamps travel as epoch ms, `row_index` is the batch index. */
const STAGING_FIELDS = [
  { name: 'counter_id', type: 'STRING', mode: 'REQUIRED' },
  { name: 'counter_name', type: 'STRING' },
  { name: 'site_id', type: 'STRING' },
  { name: 'ts_ms', type: 'INT64', mode: 'REQUIRED' },
  { name: 'count', type: 'FLOAT64' },
  { name: 'lat', type: 'FLOAT64' },
  { name: 'lon', type: 'FLOAT64' },
  { name: 'row_index', type: 'INT64', mode: 'REQUIRED' },
];

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
   * JSON), then one MERGE writes the new keys (and, with `replace`, the
   * conflicting rows) in a single statement: both land or neither. Streaming
   * inserts are not used: their `insertId` de-duplication is best effort (and
   * ignored by the emulator), and streamed rows cannot be updated for a while.
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
      const matches = `s.${RAW.counterId} = f.counter_id AND s.${RAW.timestamp} = TIMESTAMP_MILLIS(f.ts_ms)`;
      const differs = `s.${RAW.count} IS DISTINCT FROM f.count`;
      const [matched, found] = await Promise.all([
        this.rows(`SELECT COUNT(*) AS n FROM ${stagingRef} f JOIN ${this.counts} s ON ${matches}`),
        this.rows(`SELECT f.row_index, s.${RAW.count} AS stored FROM ${stagingRef} f JOIN ${this.counts} s
          ON ${matches} WHERE ${differs} ORDER BY f.row_index`),
      ]);
      const conflicts: CountConflict[] = found.map((r) => ({
        row: Number(r.row_index),
        storedCount: r.stored === null ? Number.NaN : Number(r.stored),
      }));
      const replace = options.replace === true && conflicts.length > 0;
      await this.rows(
        `MERGE ${this.counts} s USING ${stagingRef} f ON ${matches}
         ${replace ? `WHEN MATCHED AND ${differs} THEN UPDATE SET ${RAW.counterName} = f.counter_name, ${RAW.siteId} = f.site_id, ${RAW.count} = f.count, ${RAW.lat} = f.lat, ${RAW.lon} = f.lon` : ''}
         WHEN NOT MATCHED THEN INSERT (${RAW.counterId}, ${RAW.counterName}, ${RAW.siteId}, ${RAW.timestamp}, ${RAW.count}, ${RAW.lat}, ${RAW.lon})
           VALUES (f.counter_id, f.counter_name, f.site_id, TIMESTAMP_MILLIS(f.ts_ms), f.count, f.lat, f.lon)`,
      );
      const inserted = firstOfKey.length - Number(matched[0]?.n ?? 0);
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
    return parts.length === 1 ? parts[0] : concatTables(parts);
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
   * job id is refused by BigQuery (409), and then that job's outcome is read
   * instead: done → the row is there (written: false); failed → nothing was
   * written, so the next job id of the sequence tries again. The row records
   * the job that wrote it, which tells a successful job that inserted from one
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
        if (await this.jobSucceeded(jobId)) return { written: false };
        continue;
      }
      const [stored] = await this.rows(
        `SELECT audit_job_id FROM ${this.audit} WHERE workflow_id = @workflowId AND run_id = @runId`,
        { workflowId: row.workflowId, runId: row.runId },
      );
      return { written: stored?.audit_job_id === jobId };
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
    if (Object.keys(params).length > 0) options.params = params;
    if (types) options.types = types;
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

  /** Waits for a job to finish; true when it ended without error. */
  private async jobSucceeded(jobId: string): Promise<boolean> {
    const job = this.bigquery.job(jobId, { location: this.o.location });
    for (let delay = 200; ; delay = Math.min(delay * 2, 5000)) {
      const [metadata] = await this.guard(job.getMetadata());
      const status = (metadata as { status?: { state?: string; errorResult?: unknown } }).status;
      if (status?.state === 'DONE') return !status.errorResult;
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
    if ((err as { code?: number })?.code === 404 || /not ?found: (table|dataset)/i.test(message))
      return new ConfigError(
        `BigQuery: ${message}. The warehouse needs the dataset ${this.o.projectId}.${this.o.dataset} with tables ` +
          `${this.o.countsTable} and ${this.o.auditTable}: create them once with createBigQueryTables (see the README).`,
      );
    return err;
  }
}

const MAX_AUDIT_ATTEMPTS = 5;

const IN_WINDOW = `${RAW.timestamp} >= TIMESTAMP_MILLIS(@fromMs) AND ${RAW.timestamp} < TIMESTAMP_MILLIS(@toMs)`;

function clampMs(ms: number): number {
  return Math.max(MIN_MS, Math.min(MAX_MS, Math.trunc(ms)));
}

function windowParams(q: CountWindowQuery): Record<string, unknown> {
  const params: Record<string, unknown> = { fromMs: clampMs(q.fromMs), toMs: clampMs(q.toMs) };
  if (q.limit !== undefined) {
    if (!Number.isInteger(q.limit) || q.limit < 0)
      throw new ConfigError(`row cap must be a whole number ≥ 0, got ${q.limit}`);
    params.limit = q.limit;
    params.seed = String(q.seed ?? 0);
  }
  return params;
}

/**
 * The window's rows in (timestamp, counter id) order. With a cap, the DuckDB
 * backend's rule: each UTC day keeps its lowest-hash rows up to an equal
 * quota, then the lowest hashes overall up to the cap; the hash is md5 of
 * (seed, counter, epoch ms), so a rerun sees exactly the same rows.
 */
function windowSql(table: string, q: CountWindowQuery): string {
  const order = `ORDER BY ts_ms, ${RAW.counterId}`;
  if (q.limit === undefined) return `SELECT ${COUNT_SELECT} FROM ${table} WHERE ${IN_WINDOW} ${order}`;
  return `WITH w AS (
      SELECT ${COUNT_SELECT}, DATE(${RAW.timestamp}) AS day,
        TO_HEX(MD5(CONCAT(@seed, '|', ${RAW.counterId}, '|', CAST(UNIX_MILLIS(${RAW.timestamp}) AS STRING)))) AS h
      FROM ${table} WHERE ${IN_WINDOW}),
    quota AS (SELECT CAST(CEIL(@limit / GREATEST(COUNT(DISTINCT day), 1)) AS INT64) AS per_day FROM w),
    ranked AS (SELECT w.*, ROW_NUMBER() OVER (PARTITION BY day ORDER BY h) AS rn FROM w),
    picked AS (SELECT ranked.* FROM ranked CROSS JOIN quota WHERE rn <= quota.per_day ORDER BY h LIMIT @limit)
    SELECT ${RAW.counterId}, ${RAW.counterName}, ${RAW.siteId}, ts_ms, ${RAW.count}, ${RAW.lat}, ${RAW.lon}
    FROM picked ${order}`;
}

function countTableFromRows(rows: RowMetadata[]): CountTable {
  const t = emptyCountTable(rows.length);
  const num = (v: unknown) => (v === null || v === undefined ? Number.NaN : Number(v));
  rows.forEach((r, i) => {
    t.counterId[i] = String(r[RAW.counterId]);
    t.counterName[i] = (r[RAW.counterName] as string | null) ?? '';
    t.siteId[i] = (r[RAW.siteId] as string | null) ?? '';
    t.timestampMs[i] = num(r.ts_ms);
    t.count[i] = num(r[RAW.count]);
    t.lat[i] = num(r[RAW.lat]);
    t.lon[i] = num(r[RAW.lon]);
  });
  return t;
}

function concatTables(parts: CountTable[]): CountTable {
  const out = emptyCountTable(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      out.counterId[o + i] = p.counterId[i];
      out.counterName[o + i] = p.counterName[i];
      out.siteId[o + i] = p.siteId[i];
    }
    out.timestampMs.set(p.timestampMs, o);
    out.count.set(p.count, o);
    out.lat.set(p.lat, o);
    out.lon.set(p.lon, o);
    o += p.length;
  }
  return out;
}

/**
 * Indices of the first row of each (counter id, timestamp) in the batch: a key
 * repeated in a batch keeps its first row, as in the embedded warehouse.
 */
function firstRowOfEachKey(t: CountTable, source: CountSource): number[] {
  const seen = new Set<string>();
  const first: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (!t.counterId[i])
      throw new BadInputError('empty counter id', {
        file: 'the inserted batch',
        column: source.columns.counterId,
        row: i + 1,
      });
    if (!Number.isFinite(t.timestampMs[i]))
      throw new BadInputError('unparseable timestamp', {
        file: 'the inserted batch',
        column: source.columns.timestamp,
        row: i + 1,
      });
    const key = `${t.counterId[i]}\u0000${t.timestampMs[i]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    first.push(i);
  }
  return first;
}

/** Newline-delimited JSON for the load job; JSON has no NaN, so non-finite numbers load as NULL. */
function stagingJson(t: CountTable, indices: number[]): string {
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  const lines = indices.map((i) =>
    JSON.stringify({
      counter_id: t.counterId[i],
      counter_name: t.counterName[i] ?? '',
      site_id: t.siteId[i] ?? '',
      ts_ms: Math.round(t.timestampMs[i]),
      count: finite(t.count[i]),
      lat: finite(t.lat[i]),
      lon: finite(t.lon[i]),
      row_index: i,
    }),
  );
  return `${lines.join('\n')}\n`;
}

const INSERT_AUDIT = (table: string) => `INSERT INTO ${table} (workflow_id, run_id, started_at, finished_at, as_of,
    trigger_source, forced, test_mode, drift_detected, drift_share, trigger_rule, fine_tune_triggered, decision,
    promoted, error, row_json, audit_job_id)
  SELECT @workflowId, @runId, TIMESTAMP(@startedAt), TIMESTAMP(@finishedAt), TIMESTAMP(@asOf), @triggerSource,
    @forced, @testMode, @driftDetected, @driftShare, @triggerRule, @fineTuneTriggered, @decision, @promoted, @error,
    @rowJson, @auditJobId
  FROM (SELECT 1)
  WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE workflow_id = @workflowId AND run_id = @runId)`;

/** Types for every parameter: the nullable ones cannot be inferred from a null. */
const AUDIT_PARAM_TYPES: Record<string, string> = {
  workflowId: 'STRING',
  runId: 'STRING',
  startedAt: 'STRING',
  finishedAt: 'STRING',
  asOf: 'STRING',
  triggerSource: 'STRING',
  forced: 'BOOL',
  testMode: 'BOOL',
  driftDetected: 'BOOL',
  driftShare: 'FLOAT64',
  triggerRule: 'STRING',
  fineTuneTriggered: 'BOOL',
  decision: 'STRING',
  promoted: 'BOOL',
  error: 'STRING',
  rowJson: 'STRING',
  auditJobId: 'STRING',
};

function auditParams(row: AuditRow, auditJobId: string): Record<string, unknown> {
  return {
    workflowId: row.workflowId,
    runId: row.runId,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    asOf: row.asOf,
    triggerSource: row.triggerSource,
    forced: row.forced,
    testMode: row.testMode,
    driftDetected: row.driftDetected,
    driftShare: row.driftShare,
    triggerRule: row.triggerRule,
    fineTuneTriggered: row.fineTuneTriggered,
    decision: row.decision,
    promoted: row.promoted,
    error: row.error,
    rowJson: JSON.stringify(row),
    auditJobId,
  };
}

/**
 * The job id of the n-th write attempt of an audit row: readable (the key,
 * sanitised to BigQuery's [A-Za-z0-9_-]) and unique per table and key (a
 * sha256 of both, since sanitising can merge distinct keys), ≤ 1024 characters.
 */
export function auditJobId(
  o: Pick<BigQueryWarehouseOptions, 'projectId' | 'dataset' | 'auditTable'>,
  row: Pick<AuditRow, 'workflowId' | 'runId'>,
  attempt: number,
): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([o.projectId, o.dataset, o.auditTable, row.workflowId, row.runId]))
    .digest('hex')
    .slice(0, 32);
  const readable = `${row.workflowId}_${row.runId}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 900);
  return `audit_${readable}_${hash}_${attempt}`;
}

/**
 * BigQuery answers a reused job id with 409 Already Exists; the emulator with a
 * 400 "job … is already created" (after rolling the statement back).
 */
function isDuplicateJob(err: unknown): boolean {
  const e = err as { code?: number; message?: string };
  return e?.code === 409 || /already (exists|created)/i.test(String(e?.message ?? ''));
}
