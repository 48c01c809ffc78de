/**
 * One row per workflow run, on every path (failures included), keyed by
 * (workflowId, runId) so a retried write never adds a second row. A superset
 * of the old `monitoring_audit.logs` table, adding what it lost: which run
 * wrote it, why a fine-tune fired, which features drifted, both test sets'
 * metrics for both models, whether promotion really succeeded.
 */
export type Decision =
  | 'deploy'
  | 'reject_regression'
  | 'skip_no_improvement'
  | 'skip_not_significant'
  /** A reviewer rejected the deploy, or nobody approved it in time. */
  | 'skip_not_approved'
  | 'not_triggered'
  | 'failed'
  /** Written by `bike-retrain registry rollback`, not by a weekly run. */
  | 'rollback';

export type TriggerSource = 'schedule' | 'manual';

export interface ModelMetrics {
  rmse: number;
  mae: number;
  r2: number;
  rows: number;
}

export interface AuditRow {
  workflowId: string;
  runId: string;
  /** ISO-8601 instants. */
  startedAt: string;
  finishedAt: string;
  asOf: string;
  triggerSource: TriggerSource;
  forced: boolean;
  testMode: boolean;
  driftDetected: boolean | null;
  driftShare: number | null;
  driftedFeatures: string[];
  /** The champion's own performance on the last labelled days (validateChampion). */
  championValidation: ModelMetrics | null;
  /** The rule that fired ('forced', 'champion_rmse_above_max', 'drift_and_degraded_r2') or null. */
  triggerRule: string | null;
  fineTuneTriggered: boolean;
  recentData: { uri: string; rows: number; fromMs: number; toMs: number } | null;
  championVersion: number | null;
  championModelUri: string | null;
  challengerModelUri: string | null;
  /** Version number the challenger got when promoted. */
  challengerVersion: number | null;
  champion: { baseline: ModelMetrics; current: ModelMetrics } | null;
  challenger: { baseline: ModelMetrics; current: ModelMetrics } | null;
  /** Paired bootstrap intervals of RMSE(challenger) ÷ RMSE(champion) on both test sets. */
  comparison?: import('../activities/types').DoubleEvaluation['comparison'] | null;
  decision: Decision;
  decisionReason: string;
  promoted: boolean;
  /** The thresholds this run used, after per-run overrides. */
  thresholds: Record<string, unknown>;
  stepDurationsMs: Record<string, number>;
  reportUris: string[];
  /** Who approved or rejected a deploy, when approval was required. */
  approval?:
    { approved: boolean; by: string; reason: string | null; at: string } | { timedOut: true; afterMs: number } | null;
  /** Outcome of the webhook notification: 'sent', 'not configured', or the failure (which never fails the run). */
  notification?: string | null;
  /** The drift assessment this run's trigger used (null before it ran or in runs that predate it). */
  assessment?: import('../activities/types').DriftAssessmentSummary | null;
  error: string | null;
}
