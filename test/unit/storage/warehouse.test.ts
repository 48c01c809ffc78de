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
    expect(await wh.insertCounts(t)).toEqual({ read: 144, inserted: 144, duplicates: 0, conflicts: [], replaced: 0 });
    expect(await wh.insertCounts(t)).toEqual({ read: 144, inserted: 0, duplicates: 144, conflicts: [], replaced: 0 });
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

  it('reports a key stored with another count as a conflict, keeps the stored row, and replaces it only when asked', async () => {
    const { home: h, cleanup: c } = makeTmpHome();
    const w = openWarehouse(h);
    try {
      const base = rows(2, 3); // c0, c1 × 3 hours
      await w.insertCounts(countTableFromRows(base));
      const again = base.map((r) => ({ ...r }));
      again[1] = { ...again[1], count: again[1].count + 100, counterName: 'renamed' }; // c1, hour 0
      again[4] = { ...again[4], count: again[4].count + 1 }; // c0, hour 2
      const fresh = { ...base[0], timestampMs: T0 + 10 * H, count: 5 };
      const t = countTableFromRows([...again, fresh]);
      const kept = await w.insertCounts(t);
      expect(kept).toEqual({
        read: 7,
        inserted: 1,
        duplicates: 4,
        conflicts: [
          { row: 1, storedCount: base[1].count },
          { row: 4, storedCount: base[4].count },
        ],
        replaced: 0,
      });
      const stored = async () => {
        const q = await w.queryCounts({ fromMs: T0, toMs: T0 + 3 * H });
        return Array.from(q.count);
      };
      expect(await stored()).toEqual(base.map((r) => r.count));

      const replaced = await w.insertCounts(t, { replace: true });
      expect(replaced).toMatchObject({ inserted: 0, duplicates: 5, replaced: 2 });
      expect(replaced.conflicts.map((x) => x.row)).toEqual([1, 4]);
      expect(await stored()).toEqual(again.map((r) => r.count));
      const q = await w.queryCounts({ fromMs: T0, toMs: T0 + H });
      expect(q.counterName).toEqual(['Counter 0', 'renamed']);
      // Replaced: the same file again is all duplicates.
      expect(await w.insertCounts(t, { replace: true })).toMatchObject({ duplicates: 7, conflicts: [], replaced: 0 });
      expect((await w.summarizeCounts()).rows).toBe(7);
    } finally {
      await w.close();
      c();
    }
  });

  it('keeps the first row of a key repeated in one batch', async () => {
    const { home: h, cleanup: c } = makeTmpHome();
    const w = openWarehouse(h);
    try {
      const [r] = rows(1, 1);
      const r2 = await w.insertCounts(countTableFromRows([r, { ...r, count: 99 }, r]));
      expect(r2).toEqual({ read: 3, inserted: 1, duplicates: 2, conflicts: [], replaced: 0 });
      expect(Array.from((await w.queryCounts({ fromMs: T0, toMs: T0 + H })).count)).toEqual([r.count]);
    } finally {
      await w.close();
      c();
    }
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
