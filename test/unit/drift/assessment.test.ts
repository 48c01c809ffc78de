import { describe, expect, it } from 'vitest';
import {
  combineAssessment,
  DEFAULT_DRIFT_CONFIG,
  driftConfigSchema,
  resolveDriftConfig,
  type DataDriftResult,
  type DataQualityResult,
  type PerformanceResult,
} from '../../../src/drift';

// The combination rule over constructed inputs: only the fields the rule reads are filled.
function drift(over: Partial<DataDriftResult> = {}): DataDriftResult {
  return {
    assessed: true,
    note: '',
    referenceRows: 100_000,
    currentRows: 2_000,
    featurePipelineVersion: 'x',
    calendar: {
      requested: 'auto',
      policy: 'seasonal-match',
      reason: '',
      seasonalWindowDays: 7,
      matchedReferenceRows: 1,
      coveredDayShare: 1,
      unmatchedCurrentShare: 0,
    },
    signals: [],
    featureTreatment: [],
    driftedSignals: [],
    driftedFeatures: [],
    share: 0,
    datasetDrift: false,
    counterMix: { jsd: 0, newCounterShare: 0, newCounters: 0, newCounterIds: [] },
    thresholds: {
      alpha: 0.05,
      datasetDriftShare: 0.5,
      ksThreshold: 0.1,
      wassersteinThreshold: 0.1,
      jsdThreshold: 0.1,
      counterJsdThreshold: 0.1,
      newCounterShare: 0.05,
      minDriftRows: 1000,
    },
    ...over,
  };
}
function countSignal(ks: number): DataDriftResult['signals'][number] {
  return {
    name: 'count',
    label: 'hourly count',
    kind: 'numeric',
    features: ['count'],
    statistics: { ks },
    test: 'ks',
    pValue: 1e-9,
    pAdjusted: 1e-9,
    significant: true,
    effects: [{ name: 'ks', value: ks, threshold: 0.1, reached: ks >= 0.1 }],
    drifted: ks >= 0.1,
    referenceN: 1,
    currentN: 1,
    summary: `count ks ${ks}`,
  };
}
function perf(rmseChange: number, conceptDrift = false, rows = 2000): PerformanceResult {
  return {
    assessed: rows >= 1000,
    note: '',
    recent: { rows, rmse: 1 + rmseChange, r2: 0.8 },
    reference: { rows: 5000, rmse: 1, r2: 0.8 },
    rmseChange,
    r2Change: 0,
    performanceDrop: rows >= 1000 && rmseChange > 0.1,
    dropReasons: rmseChange > 0.1 ? ['rmse up'] : [],
    conceptDrift,
    ratioInterval: {
      ratio: 1 + rmseChange,
      lo: 1 + rmseChange / 2,
      hi: 1 + rmseChange * 1.5,
      confidence: 0.95,
      resamples: 2000,
      blocks: 50,
      seed: 0,
      blockSource: 'given',
      referenceResampled: false,
    },
    thresholds: { ...DEFAULT_DRIFT_CONFIG.performance, minPerformanceRows: 1000 },
  };
}
function quality(status: DataQualityResult['status']): DataQualityResult {
  return {
    status,
    critical: status === 'CRITICAL',
    findings:
      status === 'CRITICAL'
        ? [{ code: 'broken-sensors', severity: 'critical', message: '3 counters broken', value: 0.2 }]
        : [],
    rows: 2000,
    counters: 12,
    outlierShare: 0,
    outlierRows: 0,
    implausibleCounts: [],
    implausibleCountsTotal: 0,
    brokenRowShare: 0,
    brokenRuns: [],
    brokenRunsTotal: 0,
    missingHourShare: 0,
    duplicateRows: 0,
    unseenCounters: [],
    unseenRowShare: 0,
    silentCounters: [],
    worstCounters: [],
    thresholds: DEFAULT_DRIFT_CONFIG.quality,
  };
}

describe('combineAssessment', () => {
  it('nothing fired: not triggered, LOW, says so', () => {
    const a = combineAssessment({ drift: drift(), quality: quality('OK'), performance: perf(0.02) });
    expect(a).toMatchObject({ triggered: false, severity: 'LOW', confidence: 0.9 });
    expect(a.reasons[0]).toMatch(/no retraining signal/);
  });
  it('one mild signal is LOW, several MEDIUM, a strong one HIGH, a very strong one CRITICAL', () => {
    expect(combineAssessment({ drift: drift(), performance: perf(0.12) }).severity).toBe('LOW');
    expect(
      combineAssessment({ drift: drift({ signals: [countSignal(0.15)] }), performance: perf(0.12) }).severity,
    ).toBe('MEDIUM');
    expect(combineAssessment({ drift: drift({ signals: [countSignal(0.35)] }) }).severity).toBe('HIGH');
    expect(combineAssessment({ drift: drift(), performance: perf(0.7) }).severity).toBe('CRITICAL');
  });
  it('concept drift is at least a strong signal', () => {
    const a = combineAssessment({ performance: perf(0.2, true) });
    expect(a.triggered).toBe(true);
    expect(a.signals.map((s) => s.code)).toEqual(['performance-drop', 'concept-drift']);
    expect(a.severity).toBe('HIGH');
  });
  it('critical data quality blocks retraining and is CRITICAL, even with signals', () => {
    const a = combineAssessment({
      drift: drift({ signals: [countSignal(0.2)] }),
      quality: quality('CRITICAL'),
      performance: perf(0.2),
    });
    expect(a).toMatchObject({ triggered: false, severity: 'CRITICAL' });
    expect(a.blockedBy).toEqual(['data-quality']);
    expect(a.reasons[0]).toMatch(/^data quality CRITICAL, retraining blocked: 3 counters broken/);
  });
  it('too few new rows or days block the fine-tune; too few drift or RMSE rows silence those checks', () => {
    const a = combineAssessment({ performance: perf(0.2), gates: { newRows: 500, daysCovered: 30 } });
    expect(a.triggered).toBe(false);
    expect(a.blockedBy).toEqual(['training-rows']);
    const b = combineAssessment({ performance: perf(0.5, false, 400), gates: { newRows: 5000, daysCovered: 2 } });
    expect(b.signals).toEqual([]);
    expect(b.gates.find((g) => g.name === 'performance-rows')?.passed).toBe(false);
    expect(b.gates.find((g) => g.name === 'training-days')?.passed).toBe(false);
  });
  it('a profile alone is reported but does not trigger', () => {
    const hour = { ...countSignal(0), name: 'hour' as const, drifted: true, summary: 'hour profile' };
    const a = combineAssessment({ drift: drift({ signals: [hour] }) });
    expect(a.triggered).toBe(false);
    expect(a.signals[0]).toMatchObject({ code: 'profile-drift', triggering: false });
  });
  it('confidence is labelled a heuristic', () => expect(combineAssessment({}).confidenceMethod).toMatch(/^heuristic/));
});

describe('drift config', () => {
  it('has the issue defaults', () => {
    const c = DEFAULT_DRIFT_CONFIG;
    expect([
      c.column.ksThreshold,
      c.column.wassersteinThreshold,
      c.counterMix.jsdThreshold,
      c.datasetDriftShare,
    ]).toEqual([0.1, 0.1, 0.1, 0.5]);
    expect([c.gates.minDriftRows, c.gates.minPerformanceRows, c.quality.outlierShareWarn]).toEqual([1000, 1000, 0.05]);
    expect([
      c.performance.rmseRise,
      c.performance.r2Fall,
      c.performance.conceptRmseRise,
      c.performance.bootstrapResamples,
    ]).toEqual([0.1, 0.05, 0.15, 2000]);
  });
  it('overrides one field and keeps the rest; rejects unknown or out-of-range fields', () => {
    expect(resolveDriftConfig({ column: { ksThreshold: 0.2 } }).column).toMatchObject({
      ksThreshold: 0.2,
      wassersteinThreshold: 0.1,
    });
    expect(() => resolveDriftConfig({ column: { ksThreshold: 2 } })).toThrow(/ksThreshold/);
    expect(driftConfigSchema.safeParse({ colum: {} }).success).toBe(false);
  });
});
