import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CLI_MAIN, runCli, STACK_FRAME } from '../support/cli';
import { startGcpDeployment, type GcpDeployment } from '../support/gcp-deployment';

/**
 * `bike-retrain doctor` on broken BIKE_RETRAIN_STORAGE=gcp deployments: the
 * BigQuery emulator and fake-gcs-server, real processes. (A healthy one
 * passes in gcp-weekly-run.test.ts, once it has a champion.)
 */
let gcp: GcpDeployment;
beforeAll(async () => {
  gcp = await startGcpDeployment();
});
afterAll(async () => gcp?.stop());

const doctor = (env: Record<string, string> = {}, args: string[] = []) =>
  runCli(gcp.home, ['doctor', '--timeout', '30', ...args], {
    ...gcp.env,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    ...env,
  });

describe('bike-retrain doctor on GCP storage (emulators)', () => {
  it('no champion yet: tables and bucket ok, the champion FAILs naming `bike-retrain train-champion`', async () => {
    const r = await doctor();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^ok {4}counts table: bike-retrain-test\.velo\.comptage_velo present, readable, writable$/m,
    );
    expect(r.stdout).toMatch(
      /^ok {4}audit table: bike-retrain-test\.velo\.monitoring_audit_logs present, readable, writable$/m,
    );
    expect(r.stdout).toMatch(
      new RegExp(`^ok {4}bucket: gs://${gcp.storage.bucket}/bike-retrain/ present, readable, writable$`, 'm'),
    );
    expect(r.stdout).toContain(
      `FAIL  champion: no champion in gs://${gcp.storage.bucket}/bike-retrain/registry/registry.json\n      fix: \`bike-retrain train-champion\``,
    );
    expect(r.stdout).toMatch(/1 of 6 checks failed\n$/);
    // The probe object is gone.
    const [files] = await gcp.gcs.storage.bucket(gcp.storage.bucket).getFiles({ prefix: 'bike-retrain/doctor/' });
    expect(files).toEqual([]);
  });

  it('a table missing: FAIL naming the table and `doctor --create-tables`, which creates it', async () => {
    const env = { BIKE_RETRAIN_BQ_AUDIT_TABLE: 'audit_not_there' };
    const r = await doctor(env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "FAIL  audit table: bike-retrain-test.velo.audit_not_there not found\n      fix: create it with the application's schema: `bike-retrain doctor --create-tables` (or fix BIKE_RETRAIN_BQ_DATASET / BIKE_RETRAIN_BQ_AUDIT_TABLE)",
    );
    expect(r.stdout).toMatch(/^ok {4}counts table: /m);
    expect(r.stderr).not.toMatch(STACK_FRAME);

    const fixed = await doctor(env, ['--create-tables']);
    expect(fixed.stderr).toBe('');
    expect(fixed.stdout).toContain('tables bike-retrain-test.velo.comptage_velo and .audit_not_there are there');
    expect(fixed.stdout).toMatch(
      /^ok {4}audit table: bike-retrain-test\.velo\.audit_not_there present, readable, writable$/m,
    );
  });

  it('a bucket missing: FAIL naming the bucket and how to create it; the tables still answer', async () => {
    const r = await doctor({ BIKE_RETRAIN_GCS_BUCKET: 'no-such-bucket-here' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'FAIL  bucket: gs://no-such-bucket-here not found\n      fix: create it (`gcloud storage buckets create gs://no-such-bucket-here`) or fix BIKE_RETRAIN_GCS_BUCKET',
    );
    expect(r.stdout).toMatch(/^ok {4}counts table: /m);
    expect(r.stdout).toMatch(/^ok {4}audit table: /m);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('`bike-retrain worker` starts on the configured storage and names it, endpoints by origin, no credential', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, 'worker'], {
      env: {
        ...process.env,
        ...gcp.env,
        BIKE_RETRAIN_HOME: gcp.home,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        BIKE_RETRAIN_TASK_QUEUE: `doctor-gcp-worker-${process.pid}`,
        BIKE_RETRAIN_WEBHOOK_URL: 'https://hooks.example.com/services/worker-webhook-secret',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    try {
      const deadline = Date.now() + 90_000;
      while (!out.includes('worker polling') && child.exitCode === null && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      expect(out).toContain(
        `(BigQuery bike-retrain-test.velo (counts comptage_velo, audit monitoring_audit_logs) at ${gcp.env.BIKE_RETRAIN_BIGQUERY_ENDPOINT}, Cloud Storage gs://${gcp.storage.bucket}/bike-retrain/ at ${gcp.env.BIKE_RETRAIN_GCS_ENDPOINT}); Ctrl-C to stop`,
      );
      expect(out).not.toContain('worker-webhook-secret');
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(force);
    }
  });
});
