import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorInput } from '../../src/core/domain';
import type { AuditRow } from '../../src/core/domain';
import { countTableFromRows } from '../../src/core/counts';
import { reportRun } from '../../src/client/status';
import { RunInProgressError, triggerRun } from '../../src/client/triggers';
import { DECISION, FORCED, STEP } from '../../src/workflows/search-attributes';
import { maybeRecord, MAX_PAYLOAD_BYTES, payloadSizes, replay } from '../support/history';
import { connectTestTemporal, testWorker, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';
import { makeWorld, WORLD_END, WORLD_END_MS, type TestWorld } from '../support/world';
import { createWorkers, runWorkersUntil } from '../../src/worker';

let ctx: TemporalTestContext;
beforeAll(async () => {
  ctx = await connectTestTemporal();
});
afterAll(async () => ctx?.close());

interface RunOutcome {
  world: TestWorld;
  workflowId: string;
  audit: AuditRow[];
  error: unknown;
}

/** Runs one workflow on its own task queue and data folder; replays its history; checks payload sizes. */
async function runOnce(
  scenario: string,
  input: MonitorInput,
  opts: {
    record?: string;
    prepare?: (w: TestWorld) => Promise<void>;
    wrap?: Parameters<typeof testWorker>[3];
    /** Run in this data folder instead of a fresh one. */
    world?: TestWorld;
    /** Training and evaluation on a heavy task queue, served by a second, activity-only worker. */
    heavyQueue?: boolean;
  } = {},
): Promise<RunOutcome> {
  const world = opts.world ?? (await makeWorld(scenario));
  await opts.prepare?.(world);
  const taskQueue = uniqueTaskQueue(scenario);
  const workflowId = `test-${scenario}-${randomUUID().slice(0, 8)}`;
  const heavyTaskQueue = opts.heavyQueue ? `${taskQueue}-heavy` : undefined;
  const workers = [{ worker: await testWorker(ctx, taskQueue, world.deps, opts.wrap) }];
  if (heavyTaskQueue) {
    const heavy = {
      connection: ctx.nativeConnection,
      namespace: 'default',
      deps: world.deps,
      wrapActivities: opts.wrap,
    };
    workers.push(...(await createWorkers({ ...heavy, taskQueue, heavyTaskQueue, queues: ['heavy'] })));
  }
  let error: unknown = null;
  await runWorkersUntil(
    workers,
    (async () => {
      const run = await triggerRun(ctx.client, { taskQueue, heavyTaskQueue }, input, workflowId);
      await run.result().catch((e: unknown) => (error = e));
    })(),
  );
  const history = await ctx.client.workflow.getHandle(workflowId).fetchHistory();
  await replay(ctx.bundle, history, workflowId);
  const sizes = payloadSizes(history);
  expect(sizes.length).toBeGreaterThan(5);
  expect(Math.max(...sizes)).toBeLessThan(MAX_PAYLOAD_BYTES);
  if (opts.record) maybeRecord(opts.record, history);
  const audit = await world.deps.warehouse.listAudit({ workflowId });
  return { world, workflowId, audit, error };
}

const forced = (overrides?: unknown): MonitorInput => ({
  forceFineTune: true,
  asOf: WORLD_END,
  ...(overrides ? { overrides } : {}),
});

describe('monitorAndFineTune on a real Temporal server', () => {
  const worlds: TestWorld[] = [];
  afterAll(() => worlds.forEach((w) => w.cleanup()));

  it('not_triggered: stable data, healthy champion, no drift', async () => {
    // In the simulator one week's RMSE moves ±20% with the weather; this run tolerates 25% instead of the default 10%.
    const overrides = {
      trigger: { maxChampionRmse: 1e6, fineTuneEveryRun: false },
      drift: { performance: { rmseRise: 0.25 } },
    };
    const r = await runOnce('stable', { asOf: WORLD_END, overrides }, { record: 'not-triggered' });
    worlds.push(r.world);
    expect(r.error).toBeNull();
    expect(r.audit).toHaveLength(1);
    expect(r.audit[0]).toMatchObject({
      decision: 'not_triggered',
      fineTuneTriggered: false,
      promoted: false,
      forced: false,
      error: null,
      triggerSource: 'manual',
    });
    expect(r.audit[0].driftDetected).toBe(false);
    expect(r.audit[0].assessment).toMatchObject({ triggered: false, blockedBy: [] });
    expect(r.audit[0].reportUris).toHaveLength(2);
    expect(r.audit[0].championValidation?.rows).toBeGreaterThan(1000);
    expect(r.audit[0].thresholds).toMatchObject({
      trigger: { maxChampionRmse: 1e6 },
      drift: { performance: { rmseRise: 0.25, r2Fall: 0.05 } },
    });
    const d = await ctx.client.workflow.getHandle(r.workflowId).describe();
    expect(d.typedSearchAttributes.get(DECISION)).toBe('not_triggered');
    expect(d.typedSearchAttributes.get(FORCED)).toBe(false);
  });

  it('deploy: a strike changed traffic; the challenger wins and becomes champion v2 (trained and judged on the heavy queue)', async () => {
    const r = await runOnce('strike', forced(), { record: 'heavy-queue-deploy', heavyQueue: true });
    worlds.push(r.world);
    expect(r.error).toBeNull();
    // Training and evaluation went to the heavy task queue; every other step stayed on the run's own.
    const history = await ctx.client.workflow.getHandle(r.workflowId).fetchHistory();
    const queues = new Map<string, string>();
    for (const e of history.events ?? []) {
      const a = e.activityTaskScheduledEventAttributes;
      if (a?.activityType?.name && a.taskQueue?.name) queues.set(a.activityType.name, a.taskQueue.name);
    }
    const runQueue = queues.get('resolveRunConfig')!;
    expect(queues.get('trainChallenger')).toBe(`${runQueue}-heavy`);
    expect(queues.get('evaluateDouble')).toBe(`${runQueue}-heavy`);
    for (const [name, queue] of queues)
      if (!['trainChallenger', 'evaluateDouble'].includes(name)) expect(queue, name).toBe(runQueue);
    expect(r.audit).toHaveLength(1);
    const row = r.audit[0];
    expect(row).toMatchObject({
      decision: 'deploy',
      promoted: true,
      challengerVersion: 2,
      championVersion: 1,
      triggerRule: 'forced',
    });
    expect(row.challenger!.current.rmse).toBeLessThan(row.champion!.current.rmse);
    // Judged on the same rows, with a paired bootstrap interval below 1 on test_current.
    expect(row.comparison!.current.hi).toBeLessThan(1);
    expect(row.comparison!.baseline.hi).toBeLessThanOrEqual(1.02);
    expect(row.decisionReason).toMatch(/interval below 1/);
    expect(row.challenger!.baseline.r2).toBeGreaterThanOrEqual(0.6);
    expect(row.champion!.current.rows).toBe(row.challenger!.current.rows);
    const snapshot = await r.world.deps.registry.snapshot();
    expect(snapshot.aliases).toEqual({ champion: 2, previous_champion: 1 });
    expect(snapshot.versions[1].modelUri).toBe(row.challengerModelUri);
  });

  it('reject_regression: the challenger forgets test_baseline beyond the tolerance; champion kept', async () => {
    // A tolerance no challenger meets: its RMSE on test_baseline may not exceed half the champion's.
    const r = await runOnce('strike', forced({ promotion: { maxBaselineRegression: 0.5 } }), {
      record: 'reject-regression',
    });
    worlds.push(r.world);
    expect(r.error).toBeNull();
    expect(r.audit).toHaveLength(1);
    expect(r.audit[0]).toMatchObject({ decision: 'reject_regression', promoted: false, challengerVersion: null });
    expect(r.audit[0].decisionReason).toContain('test_baseline');
    expect((await r.world.deps.registry.champion())!.version).toBe(1);
  });

  it('skip_no_improvement: the challenger does not beat the champion by the required margin', async () => {
    // About the improvement rule only: the no-regression bound is relaxed so it cannot decide first.
    const r = await runOnce(
      'stable',
      forced({ promotion: { minCurrentGain: 0.99, minRelativeImprovement: 0.99, maxBaselineRatio: 10 } }),
    );
    worlds.push(r.world);
    expect(r.error).toBeNull();
    expect(r.audit).toHaveLength(1);
    expect(r.audit[0]).toMatchObject({ decision: 'skip_no_improvement', promoted: false });
    expect((await r.world.deps.registry.champion())!.version).toBe(1);
  });

  it('failed: a negative count in the warehouse fails the run, names table, column and row, keeps the champion', async () => {
    const r = await runOnce('stable', forced(), {
      record: 'failed-bad-data',
      prepare: async (w) => {
        await w.deps.warehouse.insertCounts(
          countTableFromRows([
            {
              counterId: 'sensor-x',
              counterName: 'X',
              siteId: 'x',
              timestampMs: WORLD_END_MS - 3_600_000,
              count: -3,
              lat: 48.85,
              lon: 2.35,
            },
          ]),
        );
      },
    });
    worlds.push(r.world);
    expect(r.error).toBeInstanceOf(WorkflowFailedError);
    expect(r.audit).toHaveLength(1);
    expect(r.audit[0].decision).toBe('failed');
    expect(r.audit[0].error).toMatch(
      /detectDrift: negative count \(file raw_counts .*column "comptage_horaire", row \d+, value "-3"\)/,
    );
    expect((await r.world.deps.registry.champion())!.version).toBe(1);
  });

  it('failed: an unreadable champion artifact is a non-retryable error with one audit row', async () => {
    const r = await runOnce('stable', forced(), {
      prepare: async (w) => {
        const champion = (await w.deps.registry.champion())!;
        const { writeFileSync } = await import('node:fs');
        const { fileURLToPath } = await import('node:url');
        writeFileSync(fileURLToPath(champion.modelUri), 'not a model');
      },
    });
    worlds.push(r.world);
    expect(r.error).toBeInstanceOf(WorkflowFailedError);
    expect(r.audit).toHaveLength(1);
    expect(r.audit[0].error).toMatch(/cannot read model artifact/);
    const history = await ctx.client.workflow.getHandle(r.workflowId).fetchHistory();
    // Non-retryable: every activity ran exactly once (no retry of the bad artifact).
    const attempts = history.events!.flatMap((e) =>
      e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt] : [],
    );
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((n) => n === 1)).toBe(true);
  });

  it('failed: invalid input ends the run at once, with an audit row', async () => {
    const r = await runOnce('stable', { forceFineTune: 'yes' } as unknown as MonitorInput);
    worlds.push(r.world);
    expect(r.error).toBeInstanceOf(WorkflowFailedError);
    expect(r.audit).toHaveLength(1);
    expect(r.audit[0]).toMatchObject({ decision: 'failed', fineTuneTriggered: false });
    expect(r.audit[0].error).toContain('forceFineTune');
  });

  it('retries a transient failure (audit write acknowledged lost) and still writes exactly one audit row', async () => {
    const failed = new Set<string>();
    const r = await runOnce('stable', forced({ promotion: { minRelativeImprovement: 0.99, maxBaselineRatio: 10 } }), {
      wrap: (acts) => ({
        ...acts,
        fetchRecentData: async (...args: Parameters<typeof acts.fetchRecentData>) => {
          if (!failed.has('fetch')) {
            failed.add('fetch');
            throw ApplicationFailure.retryable('warehouse connection reset', 'TransientError');
          }
          return acts.fetchRecentData(...args);
        },
        writeAudit: async (row: AuditRow) => {
          const result = await acts.writeAudit(row);
          if (!failed.has('audit')) {
            failed.add('audit');
            throw ApplicationFailure.retryable('lost the acknowledgement after writing', 'TransientError');
          }
          return result;
        },
      }),
    });
    worlds.push(r.world);
    expect(r.error).toBeNull();
    expect(failed).toEqual(new Set(['fetch', 'audit']));
    expect(r.audit).toHaveLength(1);
    expect(r.audit[0].decision).toBe('skip_no_improvement');
  });

  it('refuses a second manual run while one is in progress', async () => {
    const world = await makeWorld('stable');
    worlds.push(world);
    const taskQueue = uniqueTaskQueue('conflict');
    const workflowId = `test-conflict-${randomUUID().slice(0, 8)}`;
    // No worker yet: the first run stays open.
    const first = await triggerRun(ctx.client, { taskQueue }, forced(), workflowId);
    await expect(triggerRun(ctx.client, { taskQueue }, forced(), workflowId)).rejects.toBeInstanceOf(
      RunInProgressError,
    );
    const worker = await testWorker(ctx, taskQueue, world.deps);
    await worker.runUntil(first.result());
    expect(await world.deps.warehouse.listAudit({ workflowId })).toHaveLength(1);
  });

  it('answers the status query while running: current step and results so far', async () => {
    const world = await makeWorld('stable');
    worlds.push(world);
    const taskQueue = uniqueTaskQueue('status');
    const workflowId = `test-status-${randomUUID().slice(0, 8)}`;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inTraining = new Promise<void>((r) => (entered = r));
    const worker = await testWorker(ctx, taskQueue, world.deps, (acts) => ({
      ...acts,
      trainChallenger: async (...args: Parameters<typeof acts.trainChallenger>) => {
        entered();
        await released;
        return acts.trainChallenger(...args);
      },
    }));
    await worker.runUntil(async () => {
      const run = await triggerRun(ctx.client, { taskQueue }, forced(), workflowId);
      await inTraining;
      const report = await reportRun(ctx.client, workflowId);
      expect(report.kind).toBe('open');
      if (report.kind !== 'open') return;
      expect(report.status).toMatchObject({
        step: 'trainChallenger',
        forced: true,
        trigger: { fineTune: true, rule: 'forced' },
      });
      expect(report.status!.championValidation!.metrics.rows).toBeGreaterThan(1000);
      expect(report.status!.recentData!.rows).toBeGreaterThan(1000);
      const d = await ctx.client.workflow.getHandle(workflowId).describe();
      expect(d.typedSearchAttributes.get(STEP)).toBe('trainChallenger');
      release();
      await run.result();
    });
    const done = await reportRun(ctx.client, workflowId);
    expect(done.kind).toBe('completed');
  });

  it('a promotion retried after a crash between the registry write and the audit write leaves one champion and one audit row', async () => {
    let crashed = false;
    const r = await runOnce('strike', forced(), {
      wrap: (acts) => ({
        ...acts,
        promoteChampion: async (...args: Parameters<typeof acts.promoteChampion>) => {
          const result = await acts.promoteChampion(...args);
          if (!crashed) {
            crashed = true; // the registry already moved: the worker dies before reporting it
            throw ApplicationFailure.retryable('worker lost after the registry write', 'TransientError');
          }
          return result;
        },
      }),
    });
    worlds.push(r.world);
    expect(crashed).toBe(true);
    expect(r.error).toBeNull();
    expect(r.audit).toHaveLength(1);
    expect(r.audit[0]).toMatchObject({ decision: 'deploy', promoted: true, challengerVersion: 2 });
    const snapshot = await r.world.deps.registry.snapshot();
    expect(snapshot.versions).toHaveLength(2);
    expect(snapshot.aliases).toEqual({ champion: 2, previous_champion: 1 });
    expect(snapshot.events.filter((e) => e.action === 'promote')).toHaveLength(2); // the first champion's and this run's
  });

  it('judges one champion per run: a champion changed mid-run is not picked up, and the promotion refuses to overwrite it', async () => {
    let changedTo: number | null = null;
    let world: TestWorld | undefined;
    const r = await runOnce('strike', forced(), {
      prepare: async (w) => {
        world = w;
      },
      wrap: (acts) => ({
        ...acts,
        detectDrift: async (...args: Parameters<typeof acts.detectDrift>) => {
          const result = await acts.detectDrift(...args);
          // Someone registers a new champion while the run is between steps.
          const v1 = (await world!.deps.registry.champion())!;
          const { version: _v, ...candidate } = v1;
          const p = await world!.deps.registry.promote({
            expectedChampion: v1.version,
            at: new Date().toISOString(),
            candidate: { ...candidate, source: { workflowId: 'someone-else', runId: 'mid-run' } },
          });
          changedTo = p.version;
          return result;
        },
      }),
    });
    worlds.push(r.world);
    expect(changedTo).toBe(2);
    const history = await ctx.client.workflow.getHandle(r.workflowId).fetchHistory();
    const activities = history.events!.flatMap((e) =>
      e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType!.name!] : [],
    );
    // Chosen once; the drift window is the validation window, so it is scored once.
    expect(activities.filter((n) => n === 'resolveChampion')).toHaveLength(1);
    expect(activities).not.toContain('validateChampion');
    expect(r.audit).toHaveLength(1);
    expect(r.audit[0]).toMatchObject({ championVersion: 1, decision: 'failed', promoted: false });
    expect(r.audit[0].championValidation).not.toBeNull();
    expect(r.audit[0].error).toMatch(/champion changed during the run: expected version 1, found 2/);
    expect((await r.world.deps.registry.champion())!.version).toBe(2);
  });

  it('never trains on a test row: a recent window reaching back into test_baseline is trimmed, and the audit row shows it', async () => {
    // The real case: two weeks after the baseline sets were cut, the 30-day window still covers part of test_baseline.
    const asOf = new Date(WORLD_END_MS - 14 * 86_400_000).toISOString();
    const r = await runOnce('stable', { forceFineTune: true, asOf }, { record: 'trimmed-test-baseline' });
    worlds.push(r.world);
    expect(r.error).toBeNull();
    const integrity = r.audit[0].testSetIntegrity!;
    expect(integrity.challenger.untrimmedTestBaselineOverlap).toBeGreaterThan(0);
    expect(integrity.challenger.overlap).toEqual({ testBaseline: 0, testCurrent: 0 });
    expect(integrity.champion.overlap).toEqual({ testBaseline: 0, testCurrent: 0 });
    expect(integrity.trims.join(' ')).toMatch(/left out \d+ recent rows at or before the end of test_baseline/);
    expect('sources' in integrity.champion.lineage && integrity.champion.lineage.sources).toHaveLength(1);
    expect(r.audit[0].decision).not.toBe('failed');
  });

  it('keeps the champion when trimming leaves test_current under its minimum of whole days', async () => {
    const asOf = new Date(WORLD_END_MS - 28 * 86_400_000).toISOString();
    const r = await runOnce('stable', { forceFineTune: true, asOf });
    worlds.push(r.world);
    expect(r.error).toBeNull();
    expect(r.audit[0]).toMatchObject({ decision: 'skip_test_set_too_small', promoted: false, champion: null });
    expect(r.audit[0].decisionReason).toMatch(/test_current keeps 1 whole day\(s\).*needs 3/);
    expect((await r.world.deps.registry.champion())!.version).toBe(1);
  });

  it('scores the champion only on rows it never trained on: a run looking back over the days a promoted champion trained on', async () => {
    const first = await runOnce('strike', forced());
    worlds.push(first.world);
    expect(first.audit[0]).toMatchObject({ decision: 'deploy', challengerVersion: 2 });
    // A week earlier than the run that trained v2: its last days are v2's training rows.
    const asOf = new Date(WORLD_END_MS - 7 * 86_400_000).toISOString();
    const second = await runOnce('strike', { forceFineTune: true, asOf }, { world: first.world });
    const integrity = second.audit[0].testSetIntegrity!;
    expect(integrity.trims.join(' ')).toMatch(/test_current rows inside the champion's training data \(v2\)/);
    expect(integrity.champion.overlap.testCurrent).toBe(0);
    expect(integrity.challenger.overlap).toEqual({ testBaseline: 0, testCurrent: 0 });
    const lineage = integrity.champion.lineage;
    expect('sources' in lineage && lineage.sources.map((x) => x.uri)).toHaveLength(2);
  });

  it.each(['intervals-v1', 'next-week-v1', 'next-week-v2'])(
    "the old system's catastrophic case stays rejected under %s: a challenger trained on a tiny sample",
    async (rule) => {
      // The old test mode trained on about 1K rows of 52 counters, about 20 rows a counter (R² 0.05 on
      // test_baseline); the tiny world has 6 counters, so 120 rows are as thin.
      const r = await runOnce('strike', forced({ training: { sampleRows: 120 }, promotion: { rule } }));
      worlds.push(r.world);
      expect(r.error).toBeNull();
      expect(r.audit[0]).toMatchObject({ decision: 'reject_regression', promoted: false });
      expect(r.audit[0].challenger!.baseline.r2).toBeLessThan(r.audit[0].champion!.baseline.r2);
      expect((await r.world.deps.registry.champion())!.version).toBe(1);
    },
  );
});
