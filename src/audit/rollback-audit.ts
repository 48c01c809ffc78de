import type { AuditRow } from './audit-row';

/** A rollback is a change of champion like a promotion: it gets its own audit row. */
export function rollbackAuditRow(r: {
  at: string;
  by: string;
  version: number;
  previous: number | null;
  thresholds: Record<string, unknown>;
}): AuditRow {
  return {
    workflowId: 'registry-rollback',
    runId: r.at,
    startedAt: r.at,
    finishedAt: r.at,
    asOf: r.at,
    triggerSource: 'manual',
    forced: false,
    testMode: false,
    driftDetected: null,
    driftShare: null,
    driftedFeatures: [],
    championValidation: null,
    triggerRule: null,
    fineTuneTriggered: false,
    recentData: null,
    championVersion: r.previous,
    championModelUri: null,
    challengerModelUri: null,
    challengerVersion: r.version,
    champion: null,
    challenger: null,
    decision: 'rollback',
    decisionReason: `champion rolled back from v${r.previous ?? '—'} to v${r.version} by ${r.by}`,
    promoted: true,
    thresholds: r.thresholds,
    stepDurationsMs: {},
    reportUris: [],
    error: null,
  };
}
