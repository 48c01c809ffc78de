import { describe, expect, it } from 'vitest';
import { manualActionAuditRow } from '../../../src/core/audit-row';
import type { AuditRow, Decision, ModelMetrics, TriggerSource } from '../../../src/core/domain';
import { buildDomainMetrics, METRIC, type MetricsSnapshot } from '../../../src/metrics/domain-metrics';
import { createMetricsCollector } from '../../../src/metrics/metrics-server';
import type { RegistryDoc } from '../../../src/registry/champion-registry';
import { parseExposition, sampleValue, samples, type ExposedSample } from '../../support/prometheus';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);
const m = (rmse: number, r2 = 0.8): ModelMetrics => ({ rmse, mae: rmse / 2, r2, rows: 1000 });

/** A weekly run's audit row, `day` days after T0, lasting a minute. */
function run(
  day: number,
  decision: Decision,
  o: { source?: TriggerSource; test?: boolean; champion?: number; validation?: number; promotedTo?: number } = {},
): AuditRow {
  const start = T0 + day * DAY;
  const promoted = o.promotedTo !== undefined;
  return {
    ...manualActionAuditRow({
      workflowId: `wf-${day}`,
      at: new Date(start).toISOString(),
      decision,
      decisionReason: '',
    }),
    runId: `run-${day}`,
    finishedAt: new Date(start + 60_000).toISOString(),
    triggerSource: o.source ?? 'schedule',
    testMode: o.test ?? false,
    driftShare: 0.1 * (day % 5),
    driftDetected: day % 2 === 0,
    assessment: {
      triggered: false,
      severity: day % 2 ? 'LOW' : 'HIGH',
      confidence: 0.5,
      reasons: [],
      blockedBy: [],
      qualityStatus: 'OK',
      qualityCritical: false,
      performance: null,
    },
    championVersion: o.champion ?? 1,
    championValidation: o.validation !== undefined ? m(o.validation) : null,
    promoted,
    challengerVersion: o.promotedTo ?? null,
    challenger: promoted ? { baseline: m(30), current: m(25, 0.9) } : null,
    thresholds: { trigger: { maxChampionRmse: 45 } },
    stepDurationsMs: { detectDrift: 1500, trainChallenger: 4200 },
  };
}

const registry = (champion: number, previous?: number): RegistryDoc => ({
  versions: [],
  aliases: { champion, ...(previous !== undefined ? { previous_champion: previous } : {}) },
  events: [],
});

async function scrape(s: Partial<MetricsSnapshot>): Promise<ExposedSample[]> {
  const reg = buildDomainMetrics({
    nowMs: T0 + 30 * DAY,
    audit: [],
    registry: registry(1),
    openRuns: [],
    configured: { maxChampionRmse: 50 },
    ...s,
  });
  return parseExposition(await reg.metrics());
}

describe('domain metrics from the audit trail, the registry and visibility', () => {
  it('counts runs by trigger source and decision, leaving out test-mode runs and manual actions', async () => {
    const audit = [
      run(0, 'deploy', { promotedTo: 2, validation: 40 }),
      run(7, 'skip_no_improvement', { champion: 2, validation: 30 }),
      run(8, 'failed', { source: 'manual' }),
      run(9, 'deploy', { test: true, promotedTo: 3 }),
      manualActionAuditRow({
        workflowId: 'rollback',
        at: new Date(T0 + 10 * DAY).toISOString(),
        decision: 'rollback',
        decisionReason: '',
      }),
    ];
    const s = await scrape({ audit, registry: registry(1, 2) });
    const runs = samples(s, METRIC.runs);
    expect(runs.filter((x) => x.value > 0).map((x) => [x.labels.trigger_source, x.labels.decision, x.value])).toEqual([
      ['schedule', 'deploy', 1],
      ['schedule', 'skip_no_improvement', 1],
      ['manual', 'failed', 1],
    ]);
    // Every source × decision from the start, at 0, so increase() counts a first run of each.
    expect(runs).toHaveLength(2 * 9);
    expect(sampleValue(s, METRIC.promotions)).toBe(1);
    expect(sampleValue(s, METRIC.rollbacks)).toBe(1);
    // The last run is the manual failure (the later test-mode run does not count).
    expect(
      sampleValue(s, METRIC.lastRunInfo, { decision: 'failed', trigger_source: 'manual', workflow_id: 'wf-8' }),
    ).toBe(1);
    const finished = (day: number) => (T0 + day * DAY + 60_000) / 1000;
    expect(sampleValue(s, METRIC.lastRunTimestamp, { trigger_source: 'manual' })).toBe(finished(8));
    expect(sampleValue(s, METRIC.lastCompletedRunTimestamp, { trigger_source: 'schedule' })).toBe(finished(7));
    expect(samples(s, METRIC.lastCompletedRunTimestamp, { trigger_source: 'manual' })).toEqual([]);
    expect(sampleValue(s, METRIC.lastRunAge, { trigger_source: 'schedule' })).toBe(
      30 * 86400 - finished(7) + T0 / 1000,
    );
    // Step durations: the last run's, and every run's in the histogram.
    expect(sampleValue(s, METRIC.lastRunStepDuration, { step: 'trainChallenger' })).toBe(4.2);
    expect(sampleValue(s, `${METRIC.stepDuration}_count`, { step: 'detectDrift', trigger_source: 'schedule' })).toBe(2);
    expect(sampleValue(s, `${METRIC.stepDuration}_sum`, { step: 'detectDrift', trigger_source: 'schedule' })).toBe(3);
    // Drift of the last assessment, its severity as a state set.
    expect(sampleValue(s, METRIC.driftShare)).toBeCloseTo(0.3);
    expect(sampleValue(s, METRIC.driftSeverity, { severity: 'HIGH' })).toBe(1);
    expect(sampleValue(s, METRIC.driftSeverity, { severity: 'LOW' })).toBe(0);
    expect(sampleValue(s, METRIC.dataQualityCritical)).toBe(0);
    // The configured ceiling, and the one the last run used.
    expect(sampleValue(s, METRIC.rmseCeiling, { source: 'configured' })).toBe(50);
    expect(sampleValue(s, METRIC.rmseCeiling, { source: 'last_run' })).toBe(45);
  });

  it('reports the champion’s latest error: its validation, its test_current just after a promotion, and after a rollback', async () => {
    const promoted = [
      run(0, 'skip_no_improvement', { validation: 40 }),
      run(7, 'deploy', { validation: 41, promotedTo: 2 }),
    ];
    let s = await scrape({ audit: promoted, registry: registry(2, 1) });
    expect(sampleValue(s, METRIC.championVersion)).toBe(2);
    expect(sampleValue(s, METRIC.previousChampionVersion)).toBe(1);
    expect(sampleValue(s, METRIC.championRmse, { version: '2', window: 'test_current' })).toBe(25);
    expect(sampleValue(s, METRIC.championR2, { version: '2', window: 'test_current' })).toBe(0.9);

    const validated = [...promoted, run(14, 'skip_no_improvement', { champion: 2, validation: 33 })];
    s = await scrape({ audit: validated, registry: registry(2, 1) });
    expect(samples(s, METRIC.championRmse).map((x) => [x.labels, x.value])).toEqual([
      [{ version: '2', window: 'validation' }, 33],
    ]);
    expect(sampleValue(s, METRIC.championMetricsTimestamp)).toBe((T0 + 14 * DAY) / 1000);

    // Rolled back to v1: its last validation (day 7's run judged v1 before promoting v2).
    s = await scrape({ audit: validated, registry: registry(1, 2) });
    expect(sampleValue(s, METRIC.championRmse, { version: '1', window: 'validation' })).toBe(41);
  });

  it('reports a deploy waiting for approval against its own timeout, and open runs by step', async () => {
    const now = T0 + 30 * DAY;
    const s = await scrape({
      nowMs: now,
      openRuns: [
        {
          workflowId: 'a',
          runId: 'ra',
          step: 'awaitingApproval',
          approvalWait: { sinceMs: now - 3_600_000, timeoutMs: DAY },
        },
        { workflowId: 'b', runId: 'rb', step: 'trainChallenger' },
      ],
    });
    expect(sampleValue(s, METRIC.approvalWait, { workflow_id: 'a', run_id: 'ra' })).toBe(3600);
    expect(sampleValue(s, METRIC.approvalTimeout, { workflow_id: 'a', run_id: 'ra' })).toBe(86400);
    expect(sampleValue(s, METRIC.openRuns, { step: 'awaitingApproval' })).toBe(1);
    expect(sampleValue(s, METRIC.openRuns, { step: 'trainChallenger' })).toBe(1);
  });

  it('reports the last audited import’s rows, and critical data quality', async () => {
    const imp = {
      ...manualActionAuditRow({
        workflowId: 'import',
        at: new Date(T0).toISOString(),
        decision: 'data_replace',
        decisionReason: '',
      }),
      dataImport: {
        file: 'week.csv',
        read: 100,
        loaded: 90,
        duplicates: 3,
        quarantined: 7,
        replaced: 4,
        examples: [],
        replacedListUri: null,
        baselineDifferences: [],
      },
    };
    const bad = run(1, 'blocked_data_quality');
    bad.assessment = { ...bad.assessment!, severity: 'CRITICAL', qualityCritical: true };
    const s = await scrape({ audit: [imp, bad] });
    expect(sampleValue(s, METRIC.lastImportRows, { outcome: 'quarantined' })).toBe(7);
    expect(sampleValue(s, METRIC.lastImportRows, { outcome: 'conflict_replaced' })).toBe(4);
    expect(sampleValue(s, METRIC.dataQualityCritical)).toBe(1);
    expect(sampleValue(s, METRIC.driftSeverity, { severity: 'CRITICAL' })).toBe(1);
    // The import is not a run.
    expect(
      samples(s, METRIC.runs)
        .filter((x) => x.value > 0)
        .map((x) => x.labels.decision),
    ).toEqual(['blocked_data_quality']);
  });

  it('reports the newest import of the import log (plain imports too: quarantined rows, conflicts kept as stored)', async () => {
    const s = await scrape({
      audit: [run(1, 'not_triggered')],
      lastImport: {
        at: new Date(T0 + 3_600_000).toISOString(),
        file: 'week.csv',
        read: 50,
        loaded: 40,
        duplicates: 2,
        quarantined: 5,
        conflicts: 3,
        replaced: 0,
        examples: [],
        replacedListUri: null,
        baselineDifferences: [],
      },
    });
    expect(sampleValue(s, METRIC.lastImportRows, { outcome: 'quarantined' })).toBe(5);
    expect(sampleValue(s, METRIC.lastImportRows, { outcome: 'conflict_kept' })).toBe(3);
    expect(sampleValue(s, METRIC.lastImportRows, { outcome: 'conflict_replaced' })).toBe(0);
    expect(sampleValue(s, METRIC.lastImportTimestamp)).toBe((T0 + 3_600_000) / 1000);
  });

  it('keeps serving what it can read when a source fails, says which, and logs each failure once', async () => {
    const logged: string[] = [];
    let now = T0;
    const collector = createMetricsCollector({
      warehouse: { listAudit: () => Promise.reject(new Error('warehouse.duckdb is locked')) },
      registry: { snapshot: () => Promise.resolve(registry(3)) },
      openRuns: () => Promise.reject(new Error('no Temporal server at localhost:7233')),
      configured: { maxChampionRmse: 50 },
      clock: () => now,
      log: (msg) => logged.push(msg),
    });
    for (let i = 0; i < 3; i++, now += 10_000) {
      const s = parseExposition((await collector.render()).body);
      expect(sampleValue(s, METRIC.sourceUp, { source: 'audit' })).toBe(0);
      expect(sampleValue(s, METRIC.sourceUp, { source: 'registry' })).toBe(1);
      expect(sampleValue(s, METRIC.sourceUp, { source: 'visibility' })).toBe(0);
      expect(sampleValue(s, METRIC.championVersion)).toBe(3);
      expect(samples(s, METRIC.runs)).toEqual([]);
      expect(samples(s, METRIC.lastRunInfo)).toEqual([]);
    }
    expect(logged).toEqual([
      'metrics: cannot read the audit trail: warehouse.duckdb is locked',
      'metrics: cannot read the Temporal visibility: no Temporal server at localhost:7233',
    ]);
  });
});
