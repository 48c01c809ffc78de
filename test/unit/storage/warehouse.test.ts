import { afterAll, describe, expect, it } from 'vitest';
import type { AuditRow } from '../../../src/core/domain';
import { countTableFromRows, type CountRow } from '../../../src/core/counts';
import { openWarehouse, readCountsParquet, writeCountsParquet } from '../../../src/storage';
import { makeTmpHome } from '../../support/tmp-home';

const { home, cleanup } = makeTmpHome();
afterAll(cleanup);

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

function rows(counters: number, hours: number, start = T0): CountRow[] {
  const out: CountRow[] = [];
  for (let h = 0; h < hours; h++)
    for (let c = 0; c < counters; c++)
      out.push({
        counterId: `c${c}`,
        counterName: `Counter ${c}`,
        siteId: `s${c}`,
        timestampMs: start + h * H,
        count: (h * 7 + c) % 50,
        lat: 48.8 + c / 100,
        lon: 2.3 + c / 100,
      });
  return out;
}

function audit(runId: string, decision: AuditRow['decision']): AuditRow {
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
  };
}

describe('DuckDbWarehouse', () => {
  const wh = openWarehouse(home);

  it('imports idempotently on (counter, timestamp)', async () => {
    const t = countTableFromRows(rows(3, 48));
    expect(await wh.insertCounts(t)).toEqual({ read: 144, inserted: 144, duplicates: 0 });
    expect(await wh.insertCounts(t)).toEqual({ read: 144, inserted: 0, duplicates: 144 });
    const s = await wh.summarizeCounts();
    expect(s).toMatchObject({ rows: 144, counters: 3, minMs: T0, maxMs: T0 + 47 * H });
  });

  it('returns a window in stable (timestamp, counter) order', async () => {
    const w = await wh.queryCounts({ fromMs: T0 + 24 * H, toMs: T0 + 48 * H });
    expect(w.length).toBe(72);
    expect(w.timestampMs[0]).toBe(T0 + 24 * H);
    expect([w.counterId[0], w.counterId[1], w.counterId[2]]).toEqual(['c0', 'c1', 'c2']);
    expect(w.count[4]).toBe(((24 + 1) * 7 + 1) % 50);
  });

  it('samples a capped window deterministically across days', async () => {
    const a = await wh.queryCounts({ fromMs: T0, toMs: T0 + 48 * H, limit: 20, seed: 7 });
    const b = await wh.queryCounts({ fromMs: T0, toMs: T0 + 48 * H, limit: 20, seed: 7 });
    expect(a.length).toBe(20);
    expect(Array.from(a.timestampMs)).toEqual(Array.from(b.timestampMs));
    expect(a.counterId).toEqual(b.counterId);
    const days = new Set(Array.from(a.timestampMs, (t) => Math.floor(t / (24 * H))));
    expect(days.size).toBe(2);
    const c = await wh.queryCounts({ fromMs: T0, toMs: T0 + 48 * H, limit: 20, seed: 8 });
    expect(Array.from(c.timestampMs).join()).not.toEqual(Array.from(a.timestampMs).join());
  });

  it('exports a window to Parquet and reads it back', async () => {
    const path = `${home}/window.parquet`;
    const s = await wh.exportCounts({ fromMs: T0, toMs: T0 + 24 * H }, path);
    expect(s.rows).toBe(72);
    const back = await readCountsParquet(path);
    const direct = await wh.queryCounts({ fromMs: T0, toMs: T0 + 24 * H });
    expect(back).toEqual(direct);
  });

  it('round-trips a CountTable through Parquet', async () => {
    const t = countTableFromRows(rows(2, 5));
    const path = `${home}/rt.parquet`;
    await writeCountsParquet(t, path);
    expect(await readCountsParquet(path)).toEqual(t);
  });

  it('writes one audit row per (workflow id, run id), whatever the retries', async () => {
    expect(await wh.writeAudit(audit('run-a', 'deploy'))).toEqual({ written: true });
    expect(await wh.writeAudit(audit('run-a', 'deploy'))).toEqual({ written: false });
    expect(await wh.writeAudit(audit('run-b', 'failed'))).toEqual({ written: true });
    const rowsBack = await wh.listAudit();
    expect(rowsBack.map((r) => r.runId)).toEqual(['run-a', 'run-b']);
    expect(rowsBack[0]).toEqual(audit('run-a', 'deploy'));
    expect((await wh.listAudit({ last: 1 })).map((r) => r.runId)).toHaveLength(1);
  });
});
