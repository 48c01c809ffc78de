import type { AuditRow, Decision } from './domain';

/**
 * The audit row of an action taken outside the weekly workflow (a registry
 * rollback, a data replacement): one row like a run's, keyed by a workflow id
 * of its own and the instant, with no run-only fields. Callers set what
 * their action changed.
 */
export function manualActionAuditRow(a: {
  workflowId: string;
  at: string;
  decision: Decision;
  decisionReason: string;
}): AuditRow {
  return {
    workflowId: a.workflowId,
    runId: a.at,
    startedAt: a.at,
    finishedAt: a.at,
    asOf: a.at,
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
    championVersion: null,
    championModelUri: null,
    challengerModelUri: null,
    challengerVersion: null,
    champion: null,
    challenger: null,
    decision: a.decision,
    decisionReason: a.decisionReason,
    promoted: false,
    thresholds: {},
    stepDurationsMs: {},
    reportUris: [],
    error: null,
  };
}
