import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTableFromRows } from '../../../src/core/counts';
import type { AuditRow } from '../../../src/core/domain';
import {
  BigQueryWarehouse,
  createBigQueryTables,
  openWarehouse,
  readCountsParquet,
  type Warehouse,
} from '../../../src/storage';
import { type BigQueryEmulator, startBigQueryEmulator } from '../../support/bigquery-emulator';
import { makeTmpHome } from '../../support/tmp-home';
import { H, hourlyRows, T0 } from '../../support/count-rows';

/**
 * The Warehouse contract, run unchanged against every backend: the embedded
 * DuckDB file and BigQuery (goccy/bigquery-emulator, a real process).
 */
interface Backend {
  name: string;
  setup(): Promise<void>;
  /** An empty warehouse of its own. */
  fresh(): Promise<Warehouse>;
  teardown(): Promise<void>;
}

const { home, cleanup } = makeTmpHome('bike-retrain-contract-');

const duckdb: Backend = {
  name: 'duckdb',
  async setup() {},
  async fresh() {
    return openWarehouse(`${home}/duckdb-${randomUUID()}`);
  },
  async teardown() {},
};

let emulator: BigQueryEmulator | undefined;
const bigquery: Backend = {
  name: 'bigquery',
  async setup() {
    emulator = await startBigQueryEmulator();
    console.log(`bigquery-emulator answered ${emulator.startMs} ms after spawn`);
  },
  async fresh() {
    if (!emulator) throw new Error('emulator not started');
    const suffix = randomUUID().slice(0, 8);
    const o = {
      bigquery: emulator.bigquery,
      projectId: emulator.projectId,
      dataset: emulator.dataset,
      countsTable: `comptage_velo_${suffix}`,
      auditTable: `monitoring_audit_${suffix}`,
      scratchDir: `${home}/bq-scratch`,
    };
    await createBigQueryTables(o);
    return new BigQueryWarehouse(o);
  },
  async teardown() {
    await emulator?.stop();
  },
};

afterAll(cleanup);

const rows = hourlyRows;

function audit(runId: string, decision: AuditRow['decision'], o: Partial<AuditRow> = {}): AuditRow {
  return {
    workflowId: 'wf-1',
    runId,
    startedAt: new Date(T0).toISOString(),
    finishedAt: new Date(T0 + 1000).toISOString(),
    asOf: new Date(T0).toISOString(),
    triggerSource: 'manual',
    forced: true,
    testMode: false,
    driftDetected: null,
    driftShare: null,
    driftedFeatures: [],
    championValidation: null,
    triggerRule: 'forced',
    fineTuneTriggered: true,
    recentData: null,
    championVersion: 1,
    championModelUri: null,
    challengerModelUri: null,
    challengerVersion: null,
    champion: null,
    challenger: null,
    decision,
    decisionReason: 'test',
    promoted: false,
    thresholds: {},
    stepDurationsMs: {},
    reportUris: [],
    error: null,
    ...o,
  };
}

describe.each([duckdb, bigquery])('Warehouse contract: $name', (backend) => {
  let wh: Warehouse;
  beforeAll(async () => {
    await backend.setup();
    wh = await backend.fresh();
    await wh.insertCounts(countTableFromRows(rows(3, 48)));
  });
  afterAll(async () => {
    await wh?.close();
    await backend.teardown();
  });

  it('imports idempotently on (counter, timestamp)', async () => {
    const w = await backend.fresh();
    const t = countTableFromRows(rows(3, 48));
    expect(await w.insertCounts(t)).toEqual({ read: 144, inserted: 144, duplicates: 0, conflicts: [], replaced: 0 });
    expect(await w.insertCounts(t)).toEqual({ read: 144, inserted: 0, duplicates: 144, conflicts: [], replaced: 0 });
    expect(await w.summarizeCounts()).toEqual({ rows: 144, counters: 3, minMs: T0, maxMs: T0 + 47 * H, days: 2 });
    expect(await w.summarizeCounts({ fromMs: T0 + 24 * H })).toMatchObject({ rows: 72, days: 1 });
    expect(await w.summarizeCounts({ fromMs: T0 + 100 * H, toMs: T0 + 200 * H })).toEqual({
      rows: 0,
      counters: 0,
      minMs: null,
      maxMs: null,
      days: 0,
    });
    await w.close();
  });

  it('returns a window in stable (timestamp, counter) order', async () => {
    const w = await wh.queryCounts({ fromMs: T0 + 24 * H, toMs: T0 + 48 * H });
    expect(w.length).toBe(72);
    expect(w.timestampMs[0]).toBe(T0 + 24 * H);
    expect([w.counterId[0], w.counterId[1], w.counterId[2]]).toEqual(['c0', 'c1', 'c2']);
    expect(w.count[4]).toBe(((24 + 1) * 7 + 1) % 50);
    expect([w.counterName[4], w.siteId[4], w.lat[4], w.lon[4]]).toEqual([
      'Counter 1',
      's1',
      48.8 + 1 / 100,
      2.3 + 1 / 100,
    ]);
    const ts = Array.from(w.timestampMs);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(Array.from((await wh.queryCounts({ fromMs: T0 + 100 * H, toMs: T0 + 200 * H })).count)).toEqual([]);
  });

  it('samples a capped window deterministically across days', async () => {
    const a = await wh.queryCounts({ fromMs: T0, toMs: T0 + 48 * H, limit: 20, seed: 7 });
    const b = await wh.queryCounts({ fromMs: T0, toMs: T0 + 48 * H, limit: 20, seed: 7 });
    expect(a.length).toBe(20);
    expect(Array.from(a.timestampMs)).toEqual(Array.from(b.timestampMs));
    expect(a.counterId).toEqual(b.counterId);
    const days = new Set(Array.from(a.timestampMs, (t) => Math.floor(t / (24 * H))));
    expect(days.size).toBe(2);
    const order = Array.from(a.timestampMs, (t, i) => `${t}|${a.counterId[i]}`);
    expect(order).toEqual([...order].sort());
    const c = await wh.queryCounts({ fromMs: T0, toMs: T0 + 48 * H, limit: 20, seed: 8 });
    expect(Array.from(c.timestampMs).join()).not.toEqual(Array.from(a.timestampMs).join());
  });

  it('exports a window to Parquet: the same rows as queryCounts, summarised and validated', async () => {
    const path = `${home}/${backend.name}-window.parquet`;
    const s = await wh.exportCounts({ fromMs: T0, toMs: T0 + 24 * H }, path);
    expect(s).toEqual({ rows: 72, counters: 3, minMs: T0, maxMs: T0 + 23 * H, days: 1, firstInvalid: null });
    const direct = await wh.queryCounts({ fromMs: T0, toMs: T0 + 24 * H });
    expect(await readCountsParquet(path)).toEqual(direct);
    const capped = `${home}/${backend.name}-capped.parquet`;
    expect((await wh.exportCounts({ fromMs: T0, toMs: T0 + 48 * H, limit: 20, seed: 7 }, capped)).rows).toBe(20);
    expect(await readCountsParquet(capped)).toEqual(
      await wh.queryCounts({ fromMs: T0, toMs: T0 + 48 * H, limit: 20, seed: 7 }),
    );
  });

  it('names the first row no model should learn from, in the export order', async () => {
    const w = await backend.fresh();
    const good = rows(2, 4);
    const bad = [
      ...good,
      { ...good[0], counterId: 'c9', timestampMs: T0 + 2 * H, count: -3 },
      { ...good[0], counterId: 'c9', timestampMs: T0 + 3 * H, count: Number.NaN },
    ];
    await w.insertCounts(countTableFromRows(bad));
    const negative = await w.exportCounts({ fromMs: T0, toMs: T0 + 4 * H }, `${home}/${backend.name}-bad.parquet`);
    // (timestamp, counter) order: hours 0 and 1 hold 2 rows each, then c0, c1, c9 at hour 2.
    expect(negative.firstInvalid).toEqual({ row: 7, problem: 'negative count', value: '-3' });
    const nan = await w.exportCounts({ fromMs: T0 + 3 * H, toMs: T0 + 4 * H }, `${home}/${backend.name}-nan.parquet`);
    expect(nan.firstInvalid).toEqual({ row: 3, problem: 'non-numeric count', value: 'NaN' });
    expect(w.source({ fromMs: T0, toMs: T0 + H }).columns).toEqual({
      count: 'comptage_horaire',
      timestamp: 'date_et_heure_de_comptage',
      counterId: 'identifiant_du_compteur',
    });
    expect(w.source({ fromMs: T0, toMs: T0 + H }).name).toContain(
      '[2026-01-01T00:00:00.000Z, 2026-01-01T01:00:00.000Z)',
    );
    await w.close();
  });

  it('reports a key stored with another count as a conflict, keeps the stored row, and replaces it only when asked', async () => {
    const w = await backend.fresh();
    const base = rows(2, 3); // c0, c1 × 3 hours
    await w.insertCounts(countTableFromRows(base));
    const again = base.map((r) => ({ ...r }));
    again[1] = { ...again[1], count: again[1].count + 100, counterName: 'renamed' }; // c1, hour 0
    again[4] = { ...again[4], count: again[4].count + 1 }; // c0, hour 2
    const fresh = { ...base[0], timestampMs: T0 + 10 * H, count: 5 };
    const t = countTableFromRows([...again, fresh]);
    expect(await w.insertCounts(t)).toEqual({
      read: 7,
      inserted: 1,
      duplicates: 4,
      conflicts: [
        { row: 1, storedCount: base[1].count },
        { row: 4, storedCount: base[4].count },
      ],
      replaced: 0,
    });
    const stored = async () => Array.from((await w.queryCounts({ fromMs: T0, toMs: T0 + 3 * H })).count);
    expect(await stored()).toEqual(base.map((r) => r.count));

    const replaced = await w.insertCounts(t, { replace: true });
    expect(replaced).toMatchObject({ inserted: 0, duplicates: 5, replaced: 2 });
    expect(replaced.conflicts.map((x) => x.row)).toEqual([1, 4]);
    expect(await stored()).toEqual(again.map((r) => r.count));
    expect((await w.queryCounts({ fromMs: T0, toMs: T0 + H })).counterName).toEqual(['Counter 0', 'renamed']);
    expect(await w.insertCounts(t, { replace: true })).toMatchObject({ duplicates: 7, conflicts: [], replaced: 0 });
    expect((await w.summarizeCounts()).rows).toBe(7);
    await w.close();
  });

  it('keeps the first row of a key repeated in one batch', async () => {
    const w = await backend.fresh();
    const [r] = rows(1, 1);
    expect(await w.insertCounts(countTableFromRows([r, { ...r, count: 99 }, r]))).toEqual({
      read: 3,
      inserted: 1,
      duplicates: 2,
      conflicts: [],
      replaced: 0,
    });
    expect(Array.from((await w.queryCounts({ fromMs: T0, toMs: T0 + H })).count)).toEqual([r.count]);
    await w.close();
  });

  it('writes one audit row per (workflow id, run id) under sequential and concurrent retries', async () => {
    const w = await backend.fresh();
    expect(await w.writeAudit(audit('run-a', 'deploy'))).toEqual({ written: true });
    expect(await w.writeAudit(audit('run-a', 'deploy'))).toEqual({ written: false });
    const concurrent = await Promise.all([1, 2, 3].map(() => w.writeAudit(audit('run-b', 'failed'))));
    expect(concurrent.filter((r) => r.written)).toHaveLength(1);
    expect((await w.listAudit()).map((r) => r.runId)).toEqual(['run-a', 'run-b']);
    await w.close();
  });

  it('lists audit rows oldest first, equal to what was written, filtered by workflow and cut to the last n', async () => {
    const w = await backend.fresh();
    const at = (m: number) => new Date(T0 + m * 60_000).toISOString();
    const full = audit('run-2', 'deploy', {
      startedAt: at(2),
      driftDetected: true,
      driftShare: 0.25,
      driftedFeatures: ['hour', 'temp'],
      thresholds: { minR2: 0.6, nested: { a: [1, 2] } },
      stepDurationsMs: { detectDrift: 1234 },
      reportUris: ['file:///tmp/r.html'],
      error: 'boom "quoted" \n newline é',
      notification: 'sent',
    });
    await w.writeAudit(audit('run-3', 'failed', { startedAt: at(3) }));
    await w.writeAudit(full);
    await w.writeAudit(audit('run-1', 'not_triggered', { startedAt: at(1) }));
    await w.writeAudit(audit('other-1', 'deploy', { workflowId: 'wf-2', startedAt: at(4) }));
    expect((await w.listAudit()).map((r) => r.runId)).toEqual(['run-1', 'run-2', 'run-3', 'other-1']);
    expect((await w.listAudit()).find((r) => r.runId === 'run-2')).toEqual(full);
    expect((await w.listAudit({ workflowId: 'wf-1' })).map((r) => r.runId)).toEqual(['run-1', 'run-2', 'run-3']);
    expect((await w.listAudit({ last: 2 })).map((r) => r.runId)).toEqual(['run-3', 'other-1']);
    expect((await w.listAudit({ last: 2, workflowId: 'wf-1' })).map((r) => r.runId)).toEqual(['run-2', 'run-3']);
    expect(await w.listAudit({ workflowId: 'nobody' })).toEqual([]);
    await w.close();
  });

  it('imports tens of thousands of rows in one call', async () => {
    const w = await backend.fresh();
    const t = countTableFromRows(rows(50, 400)); // 20,000 rows over 17 days
    let start = performance.now();
    expect(await w.insertCounts(t)).toMatchObject({ read: 20_000, inserted: 20_000, duplicates: 0 });
    const firstS = (performance.now() - start) / 1000;
    start = performance.now();
    expect(await w.insertCounts(t)).toMatchObject({ inserted: 0, duplicates: 20_000, conflicts: [] });
    const againS = (performance.now() - start) / 1000;
    start = performance.now();
    const s = await w.exportCounts({ fromMs: T0, toMs: T0 + 400 * H }, `${home}/${backend.name}-big.parquet`);
    const exportS = (performance.now() - start) / 1000;
    expect(s.rows).toBe(20_000);
    console.log(
      `${backend.name}: insert 20,000 rows ${firstS.toFixed(1)} s (${Math.round(20_000 / firstS)} rows/s), ` +
        `again ${againS.toFixed(1)} s, export ${exportS.toFixed(1)} s`,
    );
    await w.close();
  });
});
