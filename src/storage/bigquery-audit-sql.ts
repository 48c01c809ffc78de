import { createHash } from 'node:crypto';
import type { AuditRow } from '../core/domain';
import type { BigQueryWarehouseOptions } from './bigquery-tables';

/* The audit table's exactly-once insert. */

export const MAX_AUDIT_ATTEMPTS = 5;

export const INSERT_AUDIT = (
  table: string,
) => `INSERT INTO ${table} (workflow_id, run_id, started_at, finished_at, as_of,
    trigger_source, forced, test_mode, drift_detected, drift_share, trigger_rule, fine_tune_triggered, decision,
    promoted, error, row_json, audit_job_id)
  SELECT @workflowId, @runId, TIMESTAMP(@startedAt), TIMESTAMP(@finishedAt), TIMESTAMP(@asOf), @triggerSource,
    @forced, @testMode, CAST(@driftDetected AS BOOL), CAST(@driftShare AS FLOAT64), CAST(@triggerRule AS STRING),
    @fineTuneTriggered, @decision, @promoted, CAST(@error AS STRING),
    @rowJson, @auditJobId
  FROM (SELECT 1)
  WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE workflow_id = @workflowId AND run_id = @runId)`;

/** Types for every parameter: the nullable ones cannot be inferred from a null (and the emulator types a null INT64: hence the CASTs). */
export const AUDIT_PARAM_TYPES: Record<string, string> = {
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

export function auditParams(row: AuditRow, auditJobId: string): Record<string, unknown> {
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
export function isDuplicateJob(err: unknown): boolean {
  const e = err as { code?: number; message?: string };
  return e?.code === 409 || /already (exists|created)/i.test(String(e?.message ?? ''));
}
