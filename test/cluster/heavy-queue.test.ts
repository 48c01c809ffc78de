import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triggerRun } from '../../src/client/triggers';
import { loadEnvConfig } from '../../src/config/env-config';
import { ALL_SEARCH_ATTRIBUTES, DECISION } from '../../src/workflows/search-attributes';
import { workflowsPath } from '../../src/worker';
import { CLI_MAIN } from '../support/cli';
import { MAX_PAYLOAD_BYTES, payloadSizes, replay } from '../support/history';
import { makeWorld, WORLD_END, type TestWorld } from '../support/world';
import { sleep } from './support/net';
import { startPostgres, type PostgresServer } from './support/postgres';
import { startTemporalCluster, type TemporalCluster } from './support/temporal-cluster';

/**
 * The production layout on a real cluster (issue 13): PostgreSQL, the Temporal
 * server set up by the same scripts as docker-compose.temporal.yml, and three
 * `bike-retrain worker` processes sharing one data folder: one on the light
 * queue (workflow and quick steps), two on the heavy queue (training and
 * evaluation). The heavy worker running trainChallenger is killed (SIGKILL);
 * the run must complete on the other one, with one audit row, at most one
 * promotion, and every activity on its queue. Set-up times are printed.
 */

type History = temporal.api.history.v1.IHistory;

/** The steps on the heavy queue; every other activity runs on the light one. */
const HEAVY_ACTIVITIES = new Set(['trainChallenger', 'evaluateDouble']);

interface SpawnedWorker {
  queues: string;
  child: ChildProcess;
  /** The SDK's default identity, `pid@hostname`, as pending activities and history events name it. */
  identity: string;
  stderr: () => string;
}

let pg: PostgresServer | undefined;
let cluster: TemporalCluster | undefined;
let connection: Connection | undefined;
let world: TestWorld | undefined;
const workers: SpawnedWorker[] = [];
const timings: string[] = [];

beforeAll(async () => {
  let t = Date.now();
  pg = await startPostgres();
  timings.push(`${pg.version}: initdb ${pg.timings.initdbMs} ms, start ${pg.timings.startMs} ms`);
  cluster = await startTemporalCluster(pg);
  const c = cluster.timings;
  timings.push(
    `Temporal: schema set-up ${c.schemaMs} ms, server start ${c.serverStartMs} ms, namespace + search attributes ${c.registerMs} ms`,
    `from nothing to a ready cluster: ${Date.now() - t} ms`,
  );
  connection = await Connection.connect({ address: cluster.address });
  t = Date.now();
  world = await makeWorld('strike');
  timings.push(`data folder (tiny world, champion v1): ${Date.now() - t} ms`);
});

afterAll(async () => {
  // Everything goes, whatever failed: workers, connection, server, database, data folder.
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await connection?.close();
  await cluster?.stop();
  await pg?.stop();
  world?.cleanup();
  if (timings.length) console.log(`cluster test timings:\n  ${timings.join('\n  ')}`);
});

/** `bike-retrain worker --queues QUEUES` as its own process; resolves once it polls. */
async function spawnWorker(queues: string, taskQueue: string): Promise<SpawnedWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, 'worker', '--queues', queues], {
    env: {
      ...process.env,
      BIKE_RETRAIN_HOME: world!.home,
      TEMPORAL_ADDRESS: cluster!.address,
      TEMPORAL_NAMESPACE: cluster!.namespace,
      BIKE_RETRAIN_TASK_QUEUE: taskQueue,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const worker: SpawnedWorker = { queues, child, identity: `${child.pid}@${hostname()}`, stderr: () => err };
  workers.push(worker);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const deadline = Date.now() + 180_000;
  while (!/polling/.test(err)) {
    if (child.exitCode !== null) throw new Error(`worker --queues ${queues} exited with ${child.exitCode}: ${err}`);
    if (Date.now() > deadline) throw new Error(`worker --queues ${queues} did not poll within 180 s: ${err}`);
    await sleep(100);
  }
  return worker;
}

function activities(history: History) {
  const scheduled = new Map<number, { type: string; taskQueue: string }>();
  const started: { type: string; taskQueue: string; attempt: number; identity: string; atMs: number }[] = [];
  for (const e of history.events!) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(Number(e.eventId), { type: s.activityType!.name!, taskQueue: s.taskQueue!.name! });
    const a = e.activityTaskStartedEventAttributes;
    if (a)
      started.push({
        ...scheduled.get(Number(a.scheduledEventId))!,
        attempt: a.attempt!,
        identity: a.identity!,
        atMs: tsToMs(e.eventTime),
      });
  }
  return { scheduled: [...scheduled.values()], started };
}

describe('cluster: PostgreSQL-backed Temporal server, light and heavy workers', () => {
  it('is set up by deploy/temporal/: every search attribute registered, scripts idempotent, no password in output', async () => {
    const listed = async () =>
      (await connection!.operatorService.listSearchAttributes({ namespace: cluster!.namespace })).customAttributes ??
      {};
    const before = await listed();
    for (const key of ALL_SEARCH_ATTRIBUTES) expect(Object.keys(before)).toContain(key.name);

    // A second `docker compose up` reruns both one-shot jobs: they must succeed and change nothing.
    let t = Date.now();
    const schemaAgain = await cluster!.setUpSchema();
    const schemaRerunMs = Date.now() - t;
    t = Date.now();
    const registerAgain = await cluster!.registerSearchAttributes();
    timings.push(
      `reruns (no-ops): schema set-up ${schemaRerunMs} ms, namespace + search attributes ${Date.now() - t} ms`,
    );
    expect(await listed()).toEqual(before);

    // The password reached the tools and the server through the environment only.
    for (const text of [cluster!.scriptOutput, schemaAgain, registerAgain, readFileSync(cluster!.logFile, 'utf8')])
      expect(text).not.toContain(pg!.password);
  });

  it('kill -9 of the heavy worker running trainChallenger: the other heavy worker finishes the run', async () => {
    const taskQueue = `cluster-${randomUUID().slice(0, 8)}`;
    // The heavy queue the workers derive from it (BIKE_RETRAIN_HEAVY_TASK_QUEUE's default).
    const { heavyTaskQueue } = loadEnvConfig({ BIKE_RETRAIN_TASK_QUEUE: taskQueue });
    let t = Date.now();
    const [light, ...heavy] = await Promise.all([
      spawnWorker('light', taskQueue),
      spawnWorker('heavy', taskQueue),
      spawnWorker('heavy', taskQueue),
    ]);
    timings.push(`three workers polling: ${Date.now() - t} ms`);
    const client = new Client({ connection: connection!, namespace: cluster!.namespace });
    const registry = world!.deps.registry;
    const promotionsBefore = (await registry.snapshot()).events.filter((e) => e.action === 'promote').length;

    const workflowId = `cluster-kill-train-${randomUUID().slice(0, 8)}`;
    t = Date.now();
    // Enough trees that training lasts well past the kill.
    const run = await triggerRun(
      client,
      { taskQueue, heavyTaskQueue },
      { forceFineTune: true, asOf: WORLD_END, overrides: { model: { nEstimators: 1000 } } },
      workflowId,
    );

    // Wait for trainChallenger to run, then kill the heavy worker running it.
    const handle = client.workflow.getHandle(workflowId, run.runId);
    let victim: SpawnedWorker | undefined;
    let killedAttempt = 0;
    const deadline = Date.now() + 180_000;
    while (!victim) {
      const d = await handle.describe();
      const pa = d.raw.pendingActivities?.find((p) => p.activityType?.name === 'trainChallenger');
      if (pa?.lastStartedTime && pa.lastWorkerIdentity) {
        victim = workers.find((w) => w.identity === pa.lastWorkerIdentity);
        expect(victim, `trainChallenger runs on ${pa.lastWorkerIdentity}, not on a spawned worker`).toBeDefined();
        expect(heavy, 'trainChallenger runs on the light worker').toContain(victim);
        killedAttempt = pa.attempt ?? 1;
      } else {
        expect(d.status.name, 'the run ended before trainChallenger started').toBe('RUNNING');
        expect(Date.now() < deadline, 'trainChallenger did not start within 180 s').toBe(true);
        await sleep(200);
      }
    }
    await sleep(3_000);
    const still = (await handle.describe()).raw.pendingActivities?.find(
      (p) => p.activityType?.name === 'trainChallenger',
    );
    expect(still?.lastWorkerIdentity, 'trainChallenger ended within 3 s: give it more trees').toBe(victim.identity);
    const killedAtMs = Date.now();
    victim.child.kill('SIGKILL');
    const survivor = heavy.find((w) => w !== victim)!;

    // Bundled meanwhile, to replay the history the cluster recorded.
    const bundle = bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
    const result = await run.result();
    timings.push(`forced run, kill included: ${Date.now() - t} ms (decision ${result.decision})`);

    // Every activity on its queue, and run by a worker polling that queue.
    const history = await handle.fetchHistory();
    await replay(await bundle, history, workflowId);
    // Data by reference on this cluster too: no payload in the history over 64 KB.
    expect(Math.max(...payloadSizes(history))).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const { scheduled, started } = activities(history);
    expect(scheduled.length).toBeGreaterThan(5);
    for (const s of scheduled)
      expect({ [s.type]: s.taskQueue }).toEqual({
        [s.type]: HEAVY_ACTIVITIES.has(s.type) ? heavyTaskQueue : taskQueue,
      });
    expect(scheduled.map((s) => s.type)).toEqual(expect.arrayContaining(['trainChallenger', 'evaluateDouble']));
    for (const s of started)
      expect(HEAVY_ACTIVITIES.has(s.type) ? heavy.map((w) => w.identity) : [light.identity]).toContain(s.identity);

    // The killed attempt timed out and was retried on the surviving heavy worker.
    const retried = started.find((s) => s.type === 'trainChallenger' && s.attempt > killedAttempt);
    expect(retried?.identity).toBe(survivor.identity);
    timings.push(`trainChallenger recovery, kill -9 → retried attempt started: ${retried!.atMs - killedAtMs} ms`);

    // Exactly one audit row for this run, at most one promotion, and the registry agrees with it.
    const audit = await world!.deps.warehouse.listAudit({ workflowId });
    expect(audit).toHaveLength(1);
    expect(audit[0].runId).toBe(run.runId);
    expect(audit[0].error).toBeNull();
    const promotions =
      (await registry.snapshot()).events.filter((e) => e.action === 'promote').length - promotionsBefore;
    expect(promotions).toBe(audit[0].promoted ? 1 : 0);

    // The search attributes work on SQL visibility: the run is found by its decision.
    const query = `WorkflowId = '${workflowId}' AND ${DECISION.name} = '${result.decision}'`;
    let found = 0;
    for (let i = 0; i < 50 && found === 0; i++) {
      found = 0;
      for await (const _ of client.workflow.list({ query })) found++;
      if (found === 0) await sleep(200);
    }
    expect(found, query).toBe(1);
  });
});
