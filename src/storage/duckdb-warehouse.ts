import type { DuckDBConnection } from '@duckdb/node-api';
import type { AuditRow } from '../core/domain';
import { mayRepeatAKey, type CountTable } from '../core/counts';
import { dropStagedCountTable, RAW, RAW_COLUMNS_DDL, readCountTable, stageCountTable } from './count-columns-sql';
import { sqlLiteral, withDuckDb } from './duckdb-handle';
import type { CountSource } from '../core/validate-counts';
import { firstInvalidRow, summarize } from './duckdb-count-checks';
import type {
  CountsSummary,
  CountWindowQuery,
  ExportSummary,
  InsertCountsOptions,
  InsertCountsResult,
  Warehouse,
} from './warehouse';

export const RAW_COUNTS_TABLE = 'raw_counts';
export const AUDIT_TABLE = 'monitoring_audit';

/** The embedded warehouse: one DuckDB file in the data folder. */
export class DuckDbWarehouse implements Warehouse {
  private schemaReady = false;

  constructor(readonly path: string) {}

  private async use<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return withDuckDb(this.path, async (c) => {
      if (!this.schemaReady) {
        await createSchema(c);
        this.schemaReady = true;
      }
      return work(c);
    });
  }

  insertCounts(t: CountTable, options: InsertCountsOptions = {}): Promise<InsertCountsResult> {
    // One insert at a time per file in this process: the key's uniqueness is the insert's own anti-join
    // (see createSchema), which two transactions interleaving could both pass. Other processes cannot
    // write meanwhile: DuckDB locks the file for the instance's lifetime (duckdb-handle.ts).
    return serialized(this.path, () => this.insertCountsNow(t, options));
  }

  private insertCountsNow(t: CountTable, options: InsertCountsOptions): Promise<InsertCountsResult> {
    return this.use(async (c) => {
      // DuckDB's own threads (the default, one a core) for the load. With the primary-key index, one
      // thread cost less CPU for the same wall time, and this set one; without the index and with the line
      // kernel, the default took 0.15 s less wall (2.62 vs 2.77 s for the whole import, 0.1 s more CPU, 657K
      // rows, 2-core Intel Xeon, medians of 5 interleaved; faster in each of the 5 pairs), for a file of 6.6 MB
      // instead of 6.0 (row groups written by two threads).
      // The strings of counts are a few hundred ids and names repeated: dictionary compression keeps them
      // (the same 6.0 MB file), and the FSST analysis DuckDB runs on each of their segments first cost the
      // insert about a fifth of its time (657K rows, 2-core Intel Xeon, medians of 5: 865 → 680 ms).
      await c.run("SET disabled_compression_methods = 'fsst'");
      try {
        return await this.insertStaged(c, t, options);
      } finally {
        // After a failed statement the connection refuses this one too: its error is not the one to report.
        await c.run('RESET disabled_compression_methods').catch(() => undefined);
      }
    });
  }

  private async insertStaged(
    c: DuckDBConnection,
    t: CountTable,
    options: InsertCountsOptions,
  ): Promise<InsertCountsResult> {
    // A view over the staged rows: the batch's strings are never copied per row before the insert.
    const incoming = await stageCountTable(c, t);
    const key = `${RAW.counterId}, ${RAW.timestamp}`;
    const matches = `s.${RAW.counterId} = f.${RAW.counterId} AND s.${RAW.timestamp} = f.${RAW.timestamp}`;
    // A key repeated in the batch keeps its first row (_row: the row's index in t); most batches repeat
    // none, which a pass over t tells for the usual batch (170 ms less than the query at 657K rows).
    const repeats =
      mayRepeatAKey(t) &&
      (
        await c.runAndReadAll(`SELECT EXISTS (SELECT 1 FROM ${incoming} GROUP BY ${key} HAVING count(*) > 1)`)
      ).getColumnsJS()[0][0] === true;
    await c.run(
      repeats
        ? `CREATE OR REPLACE TEMP VIEW _first AS
            SELECT * FROM ${incoming} QUALIFY row_number() OVER (PARTITION BY ${key} ORDER BY _row) = 1`
        : `CREATE OR REPLACE TEMP VIEW _first AS SELECT * FROM ${incoming}`,
    );
    const found = await c.runAndReadAll(`SELECT f._row::DOUBLE AS row, s.${RAW.count} AS stored
      FROM _first f JOIN ${RAW_COUNTS_TABLE} s ON ${matches}
      WHERE s.${RAW.count} IS DISTINCT FROM f.${RAW.count} ORDER BY f._row`);
    const conflicts = (found.getRowObjectsJS() as { row: number; stored: number | null }[]).map((r) => ({
      row: r.row,
      storedCount: r.stored ?? Number.NaN,
    }));
    let replaced = 0;
    // The overwrite and the new rows land together or not at all.
    await c.run('BEGIN TRANSACTION');
    if (options.replace && conflicts.length > 0) {
      const cols = [RAW.counterName, RAW.siteId, RAW.count, RAW.lat, RAW.lon];
      const result = await c.run(`UPDATE ${RAW_COUNTS_TABLE} s SET ${cols.map((k) => `${k} = f.${k}`).join(', ')}
        FROM _first f WHERE ${matches} AND s.${RAW.count} IS DISTINCT FROM f.${RAW.count}`);
      replaced = result.rowsChanged;
    }
    // New keys only: a key the table holds is a duplicate or a conflict, counted above.
    const result = await c.run(`INSERT INTO ${RAW_COUNTS_TABLE}
      SELECT * EXCLUDE (_row) FROM _first f
      WHERE NOT EXISTS (SELECT 1 FROM ${RAW_COUNTS_TABLE} s WHERE ${matches})`);
    await c.run('COMMIT');
    await c.run('DROP VIEW _first');
    await dropStagedCountTable(c);
    const inserted = result.rowsChanged;
    return { read: t.length, inserted, duplicates: t.length - inserted - conflicts.length, conflicts, replaced };
  }

  queryCounts(q: CountWindowQuery): Promise<CountTable> {
    return this.use(async (c) => {
      const { sql, params } = await windowSql(c, q);
      return readCountTable(c, `FROM (${sql}) w`, params);
    });
  }

  exportCounts(q: CountWindowQuery, path: string): Promise<ExportSummary> {
    return this.use(async (c) => {
      const { sql, params } = await windowSql(c, q);
      await c.run(`CREATE OR REPLACE TEMP TABLE _export AS ${sql}`, params as never);
      await c.run(`COPY (SELECT * FROM _export) TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`);
      const summary = await summarize(c, '_export');
      const firstInvalid = await firstInvalidRow(c, '_export');
      await c.run('DROP TABLE _export');
      return { ...summary, firstInvalid };
    });
  }

  source(q: Partial<CountWindowQuery> = {}): CountSource {
    const window =
      q.fromMs !== undefined && q.toMs !== undefined
        ? ` [${new Date(q.fromMs).toISOString()}, ${new Date(q.toMs).toISOString()})`
        : '';
    return {
      name: `${RAW_COUNTS_TABLE}${window}`,
      columns: { count: RAW.count, timestamp: RAW.timestamp, counterId: RAW.counterId },
    };
  }

  summarizeCounts(q: Partial<CountWindowQuery> = {}): Promise<CountsSummary> {
    return this.use(async (c) => {
      const from = q.fromMs ?? -8.64e15;
      const to = q.toMs ?? 8.64e15;
      await c.run(
        `CREATE OR REPLACE TEMP TABLE _summary AS SELECT * FROM ${RAW_COUNTS_TABLE}
         WHERE ${RAW.timestamp} >= make_timestamp($from::BIGINT * 1000) AND ${RAW.timestamp} < make_timestamp($to::BIGINT * 1000)`,
        { from: clampMs(from), to: clampMs(to) },
      );
      const s = await summarize(c, '_summary');
      await c.run('DROP TABLE _summary');
      return s;
    });
  }

  writeAudit(row: AuditRow): Promise<{ written: boolean }> {
    return this.use(async (c) => {
      // A concurrent write of the same key (a retry racing the original) can fail despite ON CONFLICT
      // while the other transaction is uncommitted: once it commits, the same statement changes nothing.
      for (let attempt = 1; ; attempt++) {
        try {
          return { written: (await insertAuditRow(c, row)) > 0 };
        } catch (err) {
          const raced = /duplicate key|conflict/i.test(String((err as Error).message));
          if (!raced || attempt >= 20) throw err;
          await new Promise((r) => setTimeout(r, 10 * attempt));
        }
      }
    });
  }

  listAudit(options: { last?: number; workflowId?: string } = {}): Promise<AuditRow[]> {
    return this.use(async (c) => {
      const where = options.workflowId !== undefined ? 'WHERE workflow_id = $workflowId' : '';
      const params: Record<string, string | number> = { last: options.last ?? 1_000_000 };
      if (options.workflowId !== undefined) params.workflowId = options.workflowId;
      const reader = await c.runAndReadAll(
        `SELECT row_json FROM (SELECT row_json, started_at, run_id FROM ${AUDIT_TABLE} ${where}
           ORDER BY started_at DESC, run_id DESC LIMIT $last) ORDER BY started_at, run_id`,
        params as never,
      );
      return reader.getColumnsJS()[0]?.map((j) => JSON.parse(String(j)) as AuditRow) ?? [];
    });
  }

  async close(): Promise<void> {
    // Nothing is held open between operations (see duckdb-handle.ts).
  }
}

/**
 * The counts table holds one row per (counter, hour) without a PRIMARY KEY: its index cost DuckDB
 * 2.7–3.0 s of a 657K-row import on the 2-core Intel Xeon host, against 0.8 s for the same insert with
 * the key kept by insertCounts' anti-join (one insert at a time per file, see `serialized`), which
 * every write of counts goes through. A table made with the key (before this) is rebuilt without it
 * once, in one transaction: the same rows, NOT NULL kept.
 */
async function createSchema(c: DuckDBConnection): Promise<void> {
  await c.run(`CREATE TABLE IF NOT EXISTS ${RAW_COUNTS_TABLE} (${RAW_COLUMNS_DDL})`);
  const keyed = await c.runAndReadAll(
    `SELECT count(*)::INTEGER FROM duckdb_constraints()
     WHERE table_name = '${RAW_COUNTS_TABLE}' AND constraint_type = 'PRIMARY KEY'`,
  );
  if (Number(keyed.getColumnsJS()[0][0]) > 0) {
    await c.run('BEGIN TRANSACTION');
    await c.run(`CREATE TABLE ${RAW_COUNTS_TABLE}_unkeyed (${RAW_COLUMNS_DDL})`);
    await c.run(`INSERT INTO ${RAW_COUNTS_TABLE}_unkeyed SELECT * FROM ${RAW_COUNTS_TABLE}`);
    await c.run(`DROP TABLE ${RAW_COUNTS_TABLE}`);
    await c.run(`ALTER TABLE ${RAW_COUNTS_TABLE}_unkeyed RENAME TO ${RAW_COUNTS_TABLE}`);
    await c.run('COMMIT');
  }
  await c.run(`CREATE TABLE IF NOT EXISTS ${AUDIT_TABLE} (
    workflow_id VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    as_of TIMESTAMPTZ,
    trigger_source VARCHAR,
    forced BOOLEAN,
    test_mode BOOLEAN,
    drift_detected BOOLEAN,
    drift_share DOUBLE,
    trigger_rule VARCHAR,
    fine_tune_triggered BOOLEAN,
    decision VARCHAR NOT NULL,
    promoted BOOLEAN,
    error VARCHAR,
    row_json JSON NOT NULL,
    PRIMARY KEY (workflow_id, run_id))`);
}

/** Per database file, the tail of this process's chain of count inserts. */
const insertChains = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier call for `path` in this process has settled. */
function serialized<T>(path: string, work: () => Promise<T>): Promise<T> {
  const run = (insertChains.get(path) ?? Promise.resolve()).then(work, work);
  const tail = run.catch(() => undefined);
  insertChains.set(path, tail);
  void tail.then(() => {
    if (insertChains.get(path) === tail) insertChains.delete(path);
  });
  return run;
}

/** Keeps ms within what make_timestamp accepts. */
function clampMs(ms: number): number {
  return Math.max(-2.0e14, Math.min(2.0e14, Math.trunc(ms)));
}

/**
 * The window's rows, in a stable order. With a limit, a deterministic sample
 * spread over days: each day keeps its lowest-hash rows up to an equal quota,
 * then the lowest hashes overall up to the limit. The hash is md5 of
 * (seed, counter, hour), so a rerun sees exactly the same rows.
 */
async function windowSql(
  c: DuckDBConnection,
  q: CountWindowQuery,
): Promise<{ sql: string; params: Record<string, number | string> }> {
  const params: Record<string, number | string> = { from: clampMs(q.fromMs), to: clampMs(q.toMs) };
  const inWindow = `${RAW.timestamp} >= make_timestamp($from::BIGINT * 1000) AND ${RAW.timestamp} < make_timestamp($to::BIGINT * 1000)`;
  const order = `ORDER BY ${RAW.timestamp}, ${RAW.counterId}`;
  if (q.limit === undefined) {
    return { sql: `SELECT * FROM ${RAW_COUNTS_TABLE} WHERE ${inWindow} ${order}`, params };
  }
  const days = await c.runAndReadAll(
    `SELECT count(DISTINCT date_trunc('day', ${RAW.timestamp}))::INTEGER FROM ${RAW_COUNTS_TABLE} WHERE ${inWindow}`,
    params as never,
  );
  const nDays = Math.max(1, Number(days.getColumnsJS()[0][0] ?? 1));
  params.quota = Math.ceil(q.limit / nDays);
  params.limit = q.limit;
  params.seed = String(q.seed ?? 0);
  const sql = `SELECT * EXCLUDE (h, rn) FROM (
      SELECT *, row_number() OVER (PARTITION BY date_trunc('day', ${RAW.timestamp}) ORDER BY h) AS rn FROM (
        SELECT *, md5($seed || '|' || ${RAW.counterId} || '|' || epoch_ms(${RAW.timestamp})::VARCHAR) AS h
        FROM ${RAW_COUNTS_TABLE} WHERE ${inWindow}))
    WHERE rn <= $quota::BIGINT ORDER BY h LIMIT $limit::BIGINT`;
  return { sql: `SELECT * FROM (${sql}) ${order}`, params };
}

async function insertAuditRow(c: DuckDBConnection, row: AuditRow): Promise<number> {
  const result = await c.run(
    `INSERT INTO ${AUDIT_TABLE} (workflow_id, run_id, started_at, finished_at, as_of, trigger_source, forced,
       test_mode, drift_detected, drift_share, trigger_rule, fine_tune_triggered, decision, promoted, error, row_json)
     VALUES ($workflowId, $runId, $startedAt::TIMESTAMPTZ, $finishedAt::TIMESTAMPTZ, $asOf::TIMESTAMPTZ, $triggerSource,
       $forced, $testMode, $driftDetected, $driftShare, $triggerRule, $fineTuneTriggered, $decision, $promoted, $error, $rowJson)
     ON CONFLICT DO NOTHING`,
    {
      workflowId: row.workflowId,
      runId: row.runId,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      asOf: row.asOf,
      triggerSource: row.triggerSource,
      forced: row.forced,
      testMode: row.testMode,
      driftDetected: row.driftDetected as boolean,
      driftShare: row.driftShare as number,
      triggerRule: row.triggerRule as string,
      fineTuneTriggered: row.fineTuneTriggered,
      decision: row.decision,
      promoted: row.promoted,
      error: row.error as string,
      rowJson: JSON.stringify(row),
    } as never,
  );
  return result.rowsChanged;
}
