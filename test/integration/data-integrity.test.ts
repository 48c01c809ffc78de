import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { MANUAL_WORKFLOW_ID } from '../../src/client/ids';
import { countTableFromRows } from '../../src/core/counts';
import { runCli, STACK_FRAME } from '../support/cli';
import { maybeRecord, MAX_PAYLOAD_BYTES, payloadSizes, replay } from '../support/history';
import { connectTestTemporal, testWorker, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';
import { makeWorld, WORLD_END, WORLD_END_MS, type TestWorld } from '../support/world';

let ctx: TemporalTestContext;
beforeAll(async () => {
  ctx = await connectTestTemporal();
});
afterAll(async () => ctx?.close());

const worlds: TestWorld[] = [];
afterAll(() => worlds.forEach((w) => w.cleanup()));

const RAW_HEADER =
  'identifiant_du_compteur,nom_du_compteur,comptage_horaire,date_et_heure_de_comptage,latitude,longitude';

describe('a poisoned count (1e12 bicycles in one hour), as a hostile user would feed it', () => {
  it('is refused by the import, and a forced run over a window holding one is blocked by CRITICAL data quality', async () => {
    const w = await makeWorld('stable');
    worlds.push(w);
    const hour = WORLD_END_MS - 5 * 3_600_000;
    const hourIso = new Date(hour).toISOString();

    // 1. The import quarantines it, with its reason; the warehouse does not get it.
    const file = join(w.home, 'poisoned.csv');
    writeFileSync(file, `${RAW_HEADER}\nsensor-x,Sensor X,1000000000000,${hourIso},48.85,2.35\n`);
    const before = await w.deps.warehouse.summarizeCounts();
    const imp = await runCli(w.home, ['data', 'import', file]);
    expect(imp.code).toBe(0);
    expect(imp.stdout).toMatch(/loaded: +0\n/);
    expect(imp.stdout).toMatch(/quarantined: 1\n/);
    expect(imp.stdout).toContain('1 × count above maxHourlyCount 10000 (a sensor or export fault)');
    expect(imp.stderr).not.toMatch(STACK_FRAME);
    expect((await w.deps.warehouse.summarizeCounts()).rows).toBe(before.rows);

    // 2. The same row loaded by another path (straight into the warehouse).
    await w.deps.warehouse.insertCounts(
      countTableFromRows([
        {
          counterId: 'sensor-x',
          counterName: 'Sensor X',
          siteId: 'x',
          timestampMs: hour,
          count: 1e12,
          lat: 48.85,
          lon: 2.35,
        },
      ]),
    );
    const registryBefore = await w.deps.registry.snapshot();

    // 3. A forced run, started by the CLI and waited for: blocked, the row named.
    const taskQueue = uniqueTaskQueue('poisoned');
    const worker = await testWorker(ctx, taskQueue, w.deps);
    const run = await worker.runUntil(
      runCli(w.home, ['trigger', '--force-fine-tune', '--as-of', WORLD_END, '--wait'], {
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        BIKE_RETRAIN_TASK_QUEUE: taskQueue,
      }),
    );
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.code).toBe(0);
    const named = `counter sensor-x at ${hourIso}: 1000000000000`;
    expect(run.stdout).toMatch(/decision: blocked_data_quality — forced fine-tune blocked by critical data quality/);
    expect(run.stdout).toContain(named);

    // One audit row, saying so; the champion untouched; nothing trained.
    const audit = await w.deps.warehouse.listAudit({ workflowId: MANUAL_WORKFLOW_ID });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      decision: 'blocked_data_quality',
      forced: true,
      fineTuneTriggered: false,
      triggerRule: null,
      promoted: false,
      challengerModelUri: null,
      error: null,
    });
    expect(audit[0].decisionReason).toContain(named);
    expect(audit[0].assessment).toMatchObject({ qualityStatus: 'CRITICAL', qualityCritical: true });
    expect(await w.deps.registry.snapshot()).toEqual(registryBefore);

    const history = await ctx.client.workflow.getHandle(MANUAL_WORKFLOW_ID).fetchHistory();
    const activities = history.events!.flatMap((e) =>
      e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType!.name!] : [],
    );
    expect(activities).not.toContain('fetchRecentData');
    expect(activities).not.toContain('trainChallenger');
    await replay(ctx.bundle, history, MANUAL_WORKFLOW_ID);
    expect(Math.max(...payloadSizes(history))).toBeLessThan(MAX_PAYLOAD_BYTES);
    maybeRecord('blocked-data-quality', history);

    // 4. The weekly run (not forced) over the same window: held back by the same row, and it says so.
    const weeklyWorker = await testWorker(ctx, taskQueue, w.deps);
    const weekly = await weeklyWorker.runUntil(
      runCli(w.home, ['trigger', '--as-of', WORLD_END, '--wait'], {
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        BIKE_RETRAIN_TASK_QUEUE: taskQueue,
      }),
    );
    expect(weekly.code).toBe(0);
    expect(weekly.stdout).toMatch(/decision: blocked_data_quality — /);
    expect(weekly.stdout).toContain(named);
    const [latest] = await w.deps.warehouse.listAudit({ workflowId: MANUAL_WORKFLOW_ID, last: 1 });
    expect(latest).toMatchObject({ decision: 'blocked_data_quality', forced: false, promoted: false });
    expect(await w.deps.registry.snapshot()).toEqual(registryBefore);
    const weeklyHistory = await ctx.client.workflow.getHandle(MANUAL_WORKFLOW_ID).fetchHistory();
    await replay(ctx.bundle, weeklyHistory, MANUAL_WORKFLOW_ID);
    maybeRecord('blocked-data-quality-weekly', weeklyHistory);

    const auditCli = await runCli(w.home, ['audit']);
    expect(auditCli.code).toBe(0);
    expect(auditCli.stdout).toMatch(/2 runs: .* 2 blocked \(data quality\)/);
  });
});

describe('a failed run and an approval nobody waits for, as a hostile user would meet them', () => {
  it('trigger --wait prints the run’s own cause and exits 1; approve on a finished run says why, no stack trace', async () => {
    const w = await makeWorld('stable');
    worlds.push(w);
    const taskQueue = uniqueTaskQueue('hostile-cli');
    const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), BIKE_RETRAIN_TASK_QUEUE: taskQueue };
    const worker = await testWorker(ctx, taskQueue, w.deps);
    const run = await worker.runUntil(runCli(w.home, ['trigger', '--as-of', '2099-01-01', '--wait'], env));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: the run failed: .*no rows/m);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    const audit = await w.deps.warehouse.listAudit({ workflowId: MANUAL_WORKFLOW_ID });
    expect(audit).toHaveLength(1);
    expect(audit[0].error).toMatch(/no rows/);

    const approve = await runCli(w.home, ['approve', MANUAL_WORKFLOW_ID, '--by', 'mallory'], env);
    expect(approve.code).toBe(1);
    expect(approve.stderr).toMatch(/^error: /);
    expect(approve.stderr).not.toMatch(STACK_FRAME);
  });
});
