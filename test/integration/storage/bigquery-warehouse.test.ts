import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRow } from '../../../src/core/domain';
import { auditJobId } from '../../../src/storage/bigquery-warehouse';
import { BigQueryWarehouse, createBigQueryTables } from '../../../src/storage';
import { type BigQueryEmulator, startBigQueryEmulator } from '../../support/bigquery-emulator';
import { makeTmpHome } from '../../support/tmp-home';

// What only the BigQuery backend does; the shared behaviour is in warehouse.contract.test.ts.
const { home, cleanup } = makeTmpHome('bike-retrain-bq-');
let emulator: BigQueryEmulator;
beforeAll(async () => {
  emulator = await startBigQueryEmulator();
});
afterAll(async () => {
  await emulator?.stop();
  cleanup();
});

function options(countsTable: string, auditTable: string) {
  return {
    bigquery: emulator.bigquery,
    projectId: emulator.projectId,
    dataset: emulator.dataset,
    countsTable,
    auditTable,
    scratchDir: `${home}/scratch`,
  };
}

const row = {
  workflowId: 'wf/ä b',
  runId: 'run-1',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  asOf: '2026-01-01T00:00:00.000Z',
  triggerSource: 'manual',
  forced: false,
  testMode: false,
  driftDetected: false,
  driftShare: 0,
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
  decision: 'not_triggered',
  decisionReason: 'test',
  promoted: false,
  thresholds: {},
  stepDurationsMs: {},
  reportUris: [],
  error: null,
} as AuditRow;

describe('BigQueryWarehouse', () => {
  it('creates its tables idempotently', async () => {
    const o = options('counts_a', 'audit_a');
    await createBigQueryTables(o);
    await createBigQueryTables(o);
    const [exists] = await emulator.bigquery.dataset(o.dataset).table('counts_a').exists();
    expect(exists).toBe(true);
  });

  it('writes the audit row with the next job id when an earlier attempt failed', async () => {
    const o = options('counts_b', 'audit_b');
    await createBigQueryTables(o);
    // An attempt that failed after its job was created: its id is taken, nothing was written.
    await emulator.bigquery
      .createQueryJob({ query: 'SELECT ERROR("simulated failure")', jobId: auditJobId(o, row, 0) })
      .catch(() => undefined);
    const wh = new BigQueryWarehouse(o);
    expect(await wh.writeAudit(row)).toEqual({ written: true });
    expect(await wh.writeAudit(row)).toEqual({ written: false });
    expect(await wh.listAudit()).toEqual([row]);
  });

  it('derives job ids BigQuery accepts: sanitised, hashed per table and key, at most 1024 characters', () => {
    const o = options('counts_c', 'audit_c');
    const id = auditJobId(o, row, 0);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(id).not.toBe(auditJobId(o, { ...row, workflowId: 'wf_ä_b' }, 0));
    expect(id).not.toBe(auditJobId({ ...o, auditTable: 'other' }, row, 0));
    expect(auditJobId(o, { workflowId: 'w'.repeat(5000), runId: 'r' }, 0).length).toBeLessThanOrEqual(1024);
  });

  it('says how to create missing tables, and refuses names that cannot be SQL identifiers', async () => {
    const wh = new BigQueryWarehouse(options('never_created', 'never_created_audit'));
    await expect(wh.summarizeCounts()).rejects.toThrow(/never_created.*createBigQueryTables/s);
    expect(() => new BigQueryWarehouse(options('counts`; DROP TABLE x', 'audit'))).toThrow(
      /countsTable "counts`; DROP TABLE x" is not valid/,
    );
    expect(wh.source().name).toBe(`BigQuery table ${emulator.projectId}.${emulator.dataset}.never_created`);
  });
});
