import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { MonitorInput, MonitorResult } from '../../src/core/domain';
import { triggerRun } from '../../src/client/triggers';
import { loadAppConfig } from '../../src/config/app-config';
import { ensureServer, isServerUp, stopServer } from '../../src/temporal/dev-server';
import { CLI_MAIN } from '../support/cli';
import { replay } from '../support/history';
import { connectTestTemporal, testWorker, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';
import { makeWorld, WORLD_END, type TestWorld } from '../support/world';

/**
 * The fault suite (issue 12): real worker processes killed with SIGKILL in
 * the middle of an activity, and storage failures injected in every activity
 * through the worker's activity wrapper. After each: the run completes (or
 * fails with the cause), exactly one audit row, at most one promotion, and
 * champion and warehouse as they should be. The configured heartbeat timeouts
 * are read from the run's history; recovery times (kill → the retried attempt
 * started on the other worker) are printed, not asserted.
 */

type History = temporal.api.history.v1.IHistory;

const FAULT_WORKER = join(__dirname, '../support/fault-worker.ts');
const EXPECTED_HEARTBEAT_TIMEOUT_S: Record<string, number> = {
  resolveRunConfig: 10,
  resolveChampion: 20,
  detectDrift: 20,
  validateChampion: 20,
  fetchRecentData: 20,
  trainChallenger: 20,
  evaluateDouble: 20,
  promoteChampion: 10,
  notify: 10,
  writeAudit: 10,
};

let ctx: TemporalTestContext;
const worlds: TestWorld[] = [];
const children: ChildProcess[] = [];
beforeAll(async () => {
  ctx = await connectTestTemporal();
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
afterAll(async () => {
  worlds.forEach((w) => w.cleanup());
  await ctx?.close();
});

interface SpawnedWorker {
  child: ChildProcess;
  /** The SDK's default worker identity: `pid@hostname`, as pending activities name it. */
  pid: number;
  stderr: () => string;
}

/** A worker as its own process (the CLI's `worker`, or the fault worker); resolves once it polls. */
async function spawnWorker(
  world: TestWorld,
  taskQueue: string,
  o: { script?: string; env?: Record<string, string>; address?: string } = {},
): Promise<SpawnedWorker> {
  const args = o.script ? ['--import', 'tsx', o.script] : ['--import', 'tsx', CLI_MAIN, 'worker'];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      BIKE_RETRAIN_HOME: world.home,
      TEMPORAL_ADDRESS: o.address ?? inject('temporalAddress'),
      BIKE_RETRAIN_TASK_QUEUE: taskQueue,
      ...o.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (/worker polling/.test(err)) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`worker exited with ${child.exitCode}: ${err}`));
      }
    }, 100);
  });
  return { child, pid: child.pid!, stderr: () => err };
}

type PendingActivity = temporal.api.workflow.v1.IPendingActivityInfo;

/** Polls the run's pending activities until `activity` is running; returns its pending info. */
async function waitForRunning(workflowId: string, activity: string, timeoutMs = 120_000): Promise<PendingActivity> {
  const handle = ctx.client.workflow.getHandle(workflowId);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const d = await handle.describe();
    const pa = d.raw.pendingActivities?.find((p) => p.activityType?.name === activity);
    if (pa && pa.lastStartedTime && pa.lastWorkerIdentity) return pa;
    if (d.status.name !== 'RUNNING') throw new Error(`run ended (${d.status.name}) before ${activity} started`);
    await sleep(200);
  }
  throw new Error(`${activity} did not start within ${timeoutMs} ms`);
}

/** Kills the worker running `activity` (kill -9); returns when it was killed and which worker it was. */
async function killWorkerRunning(workflowId: string, activity: string, workers: SpawnedWorker[], afterMs: number) {
  const pa = await waitForRunning(workflowId, activity);
  await sleep(afterMs);
  const victim = workers.find((w) => pa.lastWorkerIdentity!.startsWith(`${w.pid}@`));
  if (!victim) throw new Error(`${activity} runs on ${pa.lastWorkerIdentity}, not on a spawned worker`);
  const killedAtMs = Date.now();
  victim.child.kill('SIGKILL');
  return { killedAtMs, identity: pa.lastWorkerIdentity!, attempt: pa.attempt ?? 1 };
}

function scheduledActivities(history: History) {
  return history.events!.flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    return a
      ? [{ eventId: Number(e.eventId), type: a.activityType!.name!, heartbeatTimeoutMs: tsToMs(a.heartbeatTimeout) }]
      : [];
  });
}

/** The attempts of one activity that started, from the history: attempt, start time and worker. */
function startedAttempts(history: History, activity: string) {
  const scheduled = new Set(
    scheduledActivities(history)
      .filter((s) => s.type === activity)
      .map((s) => s.eventId),
  );
  return history.events!.flatMap((e) => {
    const a = e.activityTaskStartedEventAttributes;
    return a && scheduled.has(Number(a.scheduledEventId))
      ? [{ attempt: a.attempt!, atMs: tsToMs(e.eventTime), identity: a.identity! }]
      : [];
  });
}

/** Every activity the run scheduled has the heartbeat timeout this suite expects (issue 12: ≤ 20 s). */
function expectConfiguredTimeouts(history: History): void {
  const scheduled = scheduledActivities(history);
  expect(scheduled.length).toBeGreaterThan(5);
  for (const s of scheduled)
    expect({ [s.type]: s.heartbeatTimeoutMs / 1000 }).toEqual({
      [s.type]: EXPECTED_HEARTBEAT_TIMEOUT_S[s.type],
    });
}

async function settle(run: {
  result: () => Promise<MonitorResult>;
}): Promise<{ result: MonitorResult | null; error: unknown }> {
  try {
    return { result: await run.result(), error: null };
  } catch (error) {
    return { result: null, error };
  }
}

async function stateOf(world: TestWorld) {
  const doc = await world.deps.registry.snapshot();
  return {
    champion: doc.aliases.champion ?? null,
    versions: doc.versions.length,
    promotions: doc.events.filter((e) => e.action === 'promote').length,
    warehouse: await world.deps.warehouse.summarizeCounts(),
  };
}

const forced = (overrides?: unknown): MonitorInput => ({
  forceFineTune: true,
  asOf: WORLD_END,
  ...(overrides ? { overrides } : {}),
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
/** A forest this large trains for several seconds on the test world: long enough to be killed mid-training. */
const LONG_TRAINING_TREES = 1000;
const recoveries: string[] = [];

describe('fault suite: killed workers, injected storage failures', () => {
  afterAll(() => {
    if (recoveries.length)
      console.log(`fault suite recovery times (kill -9 → retried attempt started):\n  ${recoveries.join('\n  ')}`);
  });

  it('kill -9 of the worker during trainChallenger: the retry runs on the second worker, the run completes', async () => {
    const world = await makeWorld('strike');
    worlds.push(world);
    const before = await stateOf(world);
    const taskQueue = uniqueTaskQueue('kill-train');
    const workers = await Promise.all([spawnWorker(world, taskQueue), spawnWorker(world, taskQueue)]);
    const workflowId = `test-kill-train-${randomUUID().slice(0, 8)}`;
    // Enough trees that training lasts well past the kill, on a fast host too (300 trees once finished first).
    const run = await triggerRun(
      ctx.client,
      { taskQueue },
      forced({ model: { nEstimators: LONG_TRAINING_TREES } }),
      workflowId,
    );
    const kill = await killWorkerRunning(workflowId, 'trainChallenger', workers, 2_000);
    const { error } = await settle(run);
    expect(error).toBeNull();

    const history = await ctx.client.workflow.getHandle(workflowId).fetchHistory();
    await replay(ctx.bundle, history, workflowId);
    expectConfiguredTimeouts(history);
    const retried = startedAttempts(history, 'trainChallenger').find((a) => a.attempt > kill.attempt);
    expect(retried).toBeDefined();
    expect(retried!.identity).not.toBe(kill.identity);
    recoveries.push(
      `trainChallenger: ${((retried!.atMs - kill.killedAtMs) / 1000).toFixed(1)} s (heartbeat timeout 20 s, first retry after 5 s)`,
    );

    const audit = await world.deps.warehouse.listAudit({ workflowId });
    expect(audit).toHaveLength(1);
    expect(audit[0].error).toBeNull();
    const after = await stateOf(world);
    expect(after.warehouse).toEqual(before.warehouse);
    expect(after.promotions - before.promotions).toBe(audit[0].promoted ? 1 : 0);
    expect(after.champion).toBe(audit[0].promoted ? before.champion! + 1 : before.champion);
  });

  it('kill -9 during promoteChampion, after its swap: the retry on the second worker is a no-op, one promotion', async () => {
    const world = await makeWorld('strike');
    worlds.push(world);
    const before = await stateOf(world);
    const taskQueue = uniqueTaskQueue('kill-promote');
    const env = { BIKE_RETRAIN_FAULT: 'hang-after:promoteChampion' };
    const workers = await Promise.all([
      spawnWorker(world, taskQueue, { script: FAULT_WORKER, env }),
      spawnWorker(world, taskQueue, { script: FAULT_WORKER, env }),
    ]);
    const workflowId = `test-kill-promote-${randomUUID().slice(0, 8)}`;
    const run = await triggerRun(ctx.client, { taskQueue }, forced(), workflowId);
    const kill = await killWorkerRunning(workflowId, 'promoteChampion', workers, 500);
    const { result, error } = await settle(run);
    expect(error).toBeNull();
    expect(result!.decision).toBe('deploy');

    const history = await ctx.client.workflow.getHandle(workflowId).fetchHistory();
    await replay(ctx.bundle, history, workflowId);
    expectConfiguredTimeouts(history);
    const retried = startedAttempts(history, 'promoteChampion').find((a) => a.attempt > kill.attempt);
    expect(retried).toBeDefined();
    expect(retried!.identity).not.toBe(kill.identity);
    recoveries.push(
      `promoteChampion: ${((retried!.atMs - kill.killedAtMs) / 1000).toFixed(1)} s (heartbeat timeout 10 s, first retry after 1 s)`,
    );

    const audit = await world.deps.warehouse.listAudit({ workflowId });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ decision: 'deploy', promoted: true, error: null });
    const after = await stateOf(world);
    expect(after.promotions).toBe(before.promotions + 1);
    expect(after.versions).toBe(before.versions + 1);
    expect(after.champion).toBe(before.champion! + 1);
    expect(after.warehouse).toEqual(before.warehouse);
  });

  it('a storage failure in every activity (its first attempt, after its work): all retried, one row, one promotion', async () => {
    const world = await makeWorld('strike');
    worlds.push(world);
    const before = await stateOf(world);
    const failed = new Set<string>();
    const taskQueue = uniqueTaskQueue('storage-faults');
    const worker = await testWorker(ctx, taskQueue, world.deps, (acts) =>
      Object.fromEntries(
        Object.entries(acts).map(([name, fn]) => [
          name,
          async (...args: unknown[]) => {
            const result = await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
            if (Context.current().info.attempt === 1) {
              failed.add(name);
              throw Object.assign(new Error(`injected storage failure after ${name}: EIO: i/o error, write`), {
                code: 'EIO',
              });
            }
            return result;
          },
        ]),
      ),
    );
    const workflowId = `test-storage-faults-${randomUUID().slice(0, 8)}`;
    const { result, error } = await worker.runUntil(async () =>
      settle(await triggerRun(ctx.client, { taskQueue }, forced(), workflowId)),
    );
    expect(error).toBeNull();
    expect(result!.decision).toBe('deploy');
    expect([...failed].sort()).toEqual(
      [
        'resolveRunConfig',
        'resolveChampion',
        'detectDrift',
        'fetchRecentData',
        'trainChallenger',
        'evaluateDouble',
        'promoteChampion',
        'notify',
        'writeAudit',
      ].sort(),
    );
    const history = await ctx.client.workflow.getHandle(workflowId).fetchHistory();
    expectConfiguredTimeouts(history);
    const audit = await world.deps.warehouse.listAudit({ workflowId });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ decision: 'deploy', promoted: true, error: null });
    const after = await stateOf(world);
    expect(after.promotions).toBe(before.promotions + 1);
    expect(after.champion).toBe(before.champion! + 1);
    expect(after.warehouse).toEqual(before.warehouse);
  });

  it('a storage failure that persists (trainChallenger, every attempt): the run fails with the cause, champion unchanged', async () => {
    const world = await makeWorld('strike');
    worlds.push(world);
    const before = await stateOf(world);
    const taskQueue = uniqueTaskQueue('storage-down');
    const worker = await testWorker(ctx, taskQueue, world.deps, (acts) => ({
      ...acts,
      trainChallenger: async () => {
        throw Object.assign(new Error('injected storage failure: EIO: i/o error, read'), { code: 'EIO' });
      },
    }));
    const workflowId = `test-storage-down-${randomUUID().slice(0, 8)}`;
    const { error } = await worker.runUntil(async () =>
      settle(await triggerRun(ctx.client, { taskQueue }, forced(), workflowId)),
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const history = await ctx.client.workflow.getHandle(workflowId).fetchHistory();
    expect(startedAttempts(history, 'trainChallenger').map((a) => a.attempt)).toEqual([3]);
    const audit = await world.deps.warehouse.listAudit({ workflowId });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ decision: 'failed', promoted: false });
    expect(audit[0].error).toContain('injected storage failure');
    expect(await stateOf(world)).toEqual(before);
  });

  it('its own dev server killed (kill -9) and restarted during trainChallenger: the run completes, one audit row', async () => {
    const world = await makeWorld('strike');
    worlds.push(world);
    const before = await stateOf(world);
    const [port, uiPort] = [await freePort(), await freePort()];
    const cfg = loadAppConfig({
      BIKE_RETRAIN_HOME: world.home,
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
      BIKE_RETRAIN_UI_PORT: String(uiPort),
    });
    const quiet = () => undefined;
    const server = await ensureServer(cfg, quiet);
    const connect = async () => {
      const connection = await Connection.connect({ address: cfg.temporalAddress });
      return { connection, client: new Client({ connection, namespace: cfg.namespace }) };
    };
    try {
      const taskQueue = uniqueTaskQueue('server-restart');
      await spawnWorker(world, taskQueue, { address: cfg.temporalAddress });
      const workflowId = `test-server-restart-${randomUUID().slice(0, 8)}`;
      let c = await connect();
      await triggerRun(c.client, { taskQueue }, forced({ model: { nEstimators: LONG_TRAINING_TREES } }), workflowId);
      const handle = c.client.workflow.getHandle(workflowId);
      for (let started = false; !started; await sleep(200)) {
        const d = await handle.describe();
        started =
          d.raw.pendingActivities?.some((p) => p.activityType?.name === 'trainChallenger' && p.lastStartedTime) ??
          false;
        expect(d.status.name).toBe('RUNNING');
      }
      await sleep(1_000);
      const running = await handle.describe();
      expect(running.raw.pendingActivities?.map((p) => p.activityType?.name)).toContain('trainChallenger');
      await c.connection.close();
      // kill -9: no graceful shutdown (SIGTERM takes the dev server ~20 s); its SQLite database survives.
      const stoppedAtMs = Date.now();
      process.kill(server.pid!, 'SIGKILL');
      while (await isServerUp(cfg.temporalAddress, 300)) await sleep(200);
      await sleep(5_000);
      await ensureServer(cfg, quiet);
      const upAtMs = Date.now();
      c = await connect();
      const { error } = await settle({ result: () => c.client.workflow.getHandle(workflowId).result() });
      const history = await c.client.workflow.getHandle(workflowId).fetchHistory();
      await c.connection.close();
      expect(error).toBeNull();
      const trainScheduled = scheduledActivities(history).find((a) => a.type === 'trainChallenger')!.eventId;
      const trained = history.events!.find(
        (e) => Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === trainScheduled,
      )!;
      // Training finished while the server was down or after: the server learnt of it after the restart.
      expect(tsToMs(trained.eventTime)).toBeGreaterThan(stoppedAtMs);
      const closedAtMs = tsToMs(history.events!.at(-1)!.eventTime);
      recoveries.push(
        `dev server killed, restarted after 5 s (ensureServer back ${((upAtMs - stoppedAtMs) / 1000).toFixed(1)} s after the kill): ` +
          `trainChallenger (attempt ${startedAttempts(history, 'trainChallenger')[0]?.attempt}) completed ` +
          `${((tsToMs(trained.eventTime) - stoppedAtMs) / 1000).toFixed(1)} s and the run ${((closedAtMs - stoppedAtMs) / 1000).toFixed(1)} s after the kill`,
      );
      await replay(ctx.bundle, history, workflowId);
      expectConfiguredTimeouts(history);
      const audit = await world.deps.warehouse.listAudit({ workflowId });
      expect(audit).toHaveLength(1);
      expect(audit[0].error).toBeNull();
      const after = await stateOf(world);
      expect(after.warehouse).toEqual(before.warehouse);
      expect(after.promotions - before.promotions).toBe(audit[0].promoted ? 1 : 0);
    } finally {
      stopServer(cfg);
    }
  });
});
