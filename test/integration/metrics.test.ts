import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { DriftResult, MonitorInput, MonitorResult } from '../../src/core/domain';
import { triggerRun } from '../../src/client/triggers';
import { METRIC } from '../../src/metrics/domain-metrics';
import { approvalUpdate } from '../../src/workflows/definitions';
import { STEP } from '../../src/workflows/search-attributes';
import { CLI_MAIN } from '../support/cli';
import {
  ALERTS_FILE,
  dashboardQueries,
  DASHBOARD_FILE,
  freePort,
  grafanaInterpolate,
  parseExposition,
  requirePrometheus,
  sampleValue,
  samples,
  startPrometheus,
  type Dashboard,
  type ExposedSample,
  type RunningPrometheus,
} from '../support/prometheus';
import { connectTestTemporal, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';
import { makeWorld, WORLD_END, type TestWorld } from '../support/world';

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const METRICS_WORKER = join(__dirname, '../support/metrics-worker.ts');
/** The approval timeout of the waiting run: long enough to see the alert fire at half of it, then approve. */
const APPROVAL_TIMEOUT_MS = 80_000;

let ctx: TemporalTestContext;
const children: ChildProcess[] = [];
beforeAll(async () => {
  ctx = await connectTestTemporal();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await ctx?.close();
});

/** A process started as a user would; resolves once its stderr says `ready`. */
async function spawnReady(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const deadline = Date.now() + 120_000;
  while (!ready.test(err)) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}: ${err}`);
    if (Date.now() > deadline) throw new Error(`${args.join(' ')} not ready within 120 s: ${err}`);
    await sleep(100);
  }
  return child;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function scrape(url: string): Promise<ExposedSample[]> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return parseExposition(await res.text());
}

/** Scrapes until `ok` holds (collections are reused for 5 s), failing with the last scrape otherwise. */
async function scrapeUntil(url: string, ok: (s: ExposedSample[]) => boolean, what: string): Promise<ExposedSample[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = await scrape(url);
    if (ok(s)) return s;
    if (Date.now() > deadline) throw new Error(`no scrape showed ${what} within 60 s`);
    await sleep(500);
  }
}

/** An activity's result as the history recorded it (its one completion in this run). */
function activityResult<T>(history: History, activityType: string): T {
  const events = history.events ?? [];
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activityType);
  expect(scheduled, `${activityType} scheduled`).toBeDefined();
  const completed = events.find(
    (e) => Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === Number(scheduled!.eventId),
  );
  return defaultPayloadConverter.fromPayload(completed!.activityTaskCompletedEventAttributes!.result!.payloads![0]);
}

/**
 * Each step's duration as the workflow measured it, from the history alone: workflow time is the start of
 * the workflow task being processed, so a step runs from the task that scheduled its activity to the first
 * task started after the activity closed. Only steps that are one activity of the same name.
 */
function stepDurationsFromHistory(history: History): Record<string, number> {
  const events = history.events ?? [];
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  const at = (e: HistoryEvent | undefined) => tsToMs(e!.eventTime);
  const out: Record<string, number> = {};
  for (const e of events) {
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (!name || name === 'writeAudit' || name === 'notify') continue;
    const wftCompleted = byId.get(Number(e.activityTaskScheduledEventAttributes!.workflowTaskCompletedEventId));
    const wftStarted = byId.get(Number(wftCompleted!.workflowTaskCompletedEventAttributes!.startedEventId));
    const closed = events.find(
      (c) =>
        Number(
          c.activityTaskCompletedEventAttributes?.scheduledEventId ??
            c.activityTaskFailedEventAttributes?.scheduledEventId,
        ) === Number(e.eventId),
    );
    const next = events.find(
      (n) => Number(n.eventId) > Number(closed!.eventId) && n.workflowTaskStartedEventAttributes,
    );
    out[name] = at(next) - at(wftStarted);
  }
  return out;
}

/** How many attempts of each activity type a history ran. */
function attemptsByActivity(history: History): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of history.events ?? []) {
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (!name) continue;
    const started = (history.events ?? []).find(
      (s) => Number(s.activityTaskStartedEventAttributes?.scheduledEventId) === Number(e.eventId),
    );
    out[name] = (out[name] ?? 0) + (started?.activityTaskStartedEventAttributes?.attempt ?? 0);
  }
  return out;
}

describe('metrics of real runs, scraped by a real Prometheus', () => {
  let world: TestWorld | undefined;
  let prometheus: RunningPrometheus | undefined;
  afterAll(async () => {
    await prometheus?.stop();
    world?.cleanup();
  });

  it('match the runs’ results and histories; the alerts fire; every dashboard query returns data', async () => {
    requirePrometheus();
    world = await makeWorld('strike');
    const taskQueue = uniqueTaskQueue('metrics');
    const address = inject('temporalAddress');
    const [metricsPort, workerPort] = [await freePort(), await freePort()];
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const workerMetricsUrl = `http://127.0.0.1:${workerPort}/metrics`;
    // `metrics serve` is configured with a ceiling of 1: every champion is above it, so its alert fires.
    const configFile = join(world.home, 'metrics-config.json');
    writeFileSync(configFile, JSON.stringify({ trigger: { maxChampionRmse: 1 } }));
    const env = { BIKE_RETRAIN_HOME: world.home, TEMPORAL_ADDRESS: address, BIKE_RETRAIN_TASK_QUEUE: taskQueue };

    const t0 = performance.now();
    const [serve] = await Promise.all([
      spawnReady(
        [CLI_MAIN, 'metrics', 'serve'],
        { ...env, BIKE_RETRAIN_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`, BIKE_RETRAIN_CONFIG: configFile },
        /serving bike-retrain metrics/,
      ),
      spawnReady(
        [METRICS_WORKER],
        { ...env, BIKE_RETRAIN_WORKER_METRICS_ADDRESS: `127.0.0.1:${workerPort}` },
        /worker polling/,
      ),
    ]);
    prometheus = await startPrometheus(
      { 'bike-retrain': [`127.0.0.1:${metricsPort}`], 'bike-retrain-worker': [`127.0.0.1:${workerPort}`] },
      [ALERTS_FILE],
    );
    const promStartS = Date.now() / 1000 - 1;
    console.log(`metrics serve, worker and Prometheus ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // 1. A scheduled run whose deploy waits for approval.
    const waiting = await triggerRun(
      ctx.client,
      { taskQueue },
      {
        forceFineTune: true,
        asOf: WORLD_END,
        triggerSource: 'schedule',
        overrides: { promotion: { requireApproval: true, approvalTimeoutMs: APPROVAL_TIMEOUT_MS } },
      },
      `test-metrics-approval-${randomUUID().slice(0, 8)}`,
    );
    const handle = ctx.client.workflow.getHandle(waiting.workflowId);
    for (const deadline = Date.now() + 240_000; ; await sleep(250)) {
      const d = await handle.describe();
      if (d.typedSearchAttributes.get(STEP) === 'awaitingApproval') break;
      expect(d.status.name, 'the run ended before waiting for approval').toBe('RUNNING');
      expect(Date.now()).toBeLessThan(deadline);
    }
    const ids = { workflow_id: waiting.workflowId, run_id: waiting.runId };
    const whileWaiting = await scrapeUntil(
      metricsUrl,
      (s) => samples(s, METRIC.approvalWait, ids).length === 1,
      'the wait',
    );
    const scrapedAtMs = Date.now();
    // The wait is the run's approval timer: started when the wait began, for the run's own timeout.
    const timer = (await handle.fetchHistory()).events!.find((e) => e.timerStartedEventAttributes)!;
    expect(tsToMs(timer.timerStartedEventAttributes!.startToFireTimeout)).toBe(APPROVAL_TIMEOUT_MS);
    expect(sampleValue(whileWaiting, METRIC.approvalTimeout, ids)).toBe(APPROVAL_TIMEOUT_MS / 1000);
    const waitedS = sampleValue(whileWaiting, METRIC.approvalWait, ids);
    expect(waitedS).toBeGreaterThan(0);
    // At most the time since the timer started; at least that less the 5 s a collection is reused.
    expect(waitedS).toBeLessThanOrEqual((scrapedAtMs - tsToMs(timer.eventTime)) / 1000);
    expect(waitedS).toBeGreaterThanOrEqual((scrapedAtMs - tsToMs(timer.eventTime)) / 1000 - 6);
    expect(sampleValue(whileWaiting, METRIC.openRuns, { step: 'awaitingApproval' })).toBeGreaterThanOrEqual(1);

    // Past half the timeout, Prometheus fires the approval alert for this run; then someone approves.
    // (Before 85% of the timeout, so the approval still comes in time.)
    for (const deadline = tsToMs(timer.eventTime) + APPROVAL_TIMEOUT_MS * 0.85; ; await sleep(500)) {
      const alerts = await prometheus.alerts();
      const a = alerts.find(
        (x) => x.labels.alertname === 'BikeRetrainApprovalWaiting' && x.labels.workflow_id === waiting.workflowId,
      );
      if (a?.state === 'firing') break;
      expect(Date.now(), `BikeRetrainApprovalWaiting did not fire: ${JSON.stringify(alerts)}`).toBeLessThan(deadline);
    }
    await handle.executeUpdate(approvalUpdate, { args: [{ approved: true, by: 'on-call' }] });
    const deployed: MonitorResult = await waiting.result();
    expect(deployed).toMatchObject({ decision: 'deploy', promoted: true });

    // 2. A manual run that fails (bad overrides), then 3. a test-mode one, left out of the metrics.
    const failing = async (input: MonitorInput, name: string) => {
      const run = await triggerRun(
        ctx.client,
        { taskQueue },
        input,
        `test-metrics-${name}-${randomUUID().slice(0, 8)}`,
      );
      await expect(run.result()).rejects.toBeInstanceOf(WorkflowFailedError);
      return run;
    };
    const failed = await failing({ asOf: WORLD_END, overrides: { promotion: { minBaselineR2: 'high' } } }, 'failed');
    const testRun = await failing({ asOf: WORLD_END, testMode: true, overrides: { nope: 1 } }, 'test-mode');

    const s = await scrapeUntil(
      metricsUrl,
      (x) => samples(x, METRIC.lastRunInfo, { workflow_id: failed.workflowId }).length === 1,
      'the failed run as the last run',
    );
    const [deployHistory, failedHistory, testHistory] = await Promise.all(
      [waiting, failed, testRun].map((r) => ctx.client.workflow.getHandle(r.workflowId).fetchHistory()),
    );

    // Runs by trigger source and decision: the results' decisions; the test-mode run is not counted.
    const counted = samples(s, METRIC.runs).filter((x) => x.value > 0);
    expect(counted.map((x) => [x.labels.trigger_source, x.labels.decision, x.value])).toEqual([
      ['schedule', 'deploy', 1],
      ['manual', 'failed', 1],
    ]);
    expect(sampleValue(s, METRIC.lastRunInfo, { decision: 'failed', trigger_source: 'manual' })).toBe(1);
    expect(sampleValue(s, METRIC.promotions)).toBe(1);
    // The scheduled run's completion, as its history closed it (the audit row is written just before).
    const closedS = tsToMs(deployHistory.events!.at(-1)!.eventTime) / 1000;
    const completedS = sampleValue(s, METRIC.lastCompletedRunTimestamp, { trigger_source: 'schedule' });
    expect(closedS - completedS).toBeGreaterThanOrEqual(0);
    expect(closedS - completedS).toBeLessThan(10);

    // The champion: the version the run promoted, scored on test_current as its result says.
    expect(sampleValue(s, METRIC.championVersion)).toBe(deployed.championVersion);
    const current = deployed.evaluation!.challenger.current;
    const champ = { version: String(deployed.championVersion), window: 'test_current' };
    expect(sampleValue(s, METRIC.championRmse, champ)).toBe(current.rmse);
    expect(sampleValue(s, METRIC.championR2, champ)).toBe(current.r2);
    expect(sampleValue(s, METRIC.rmseCeiling, { source: 'configured' })).toBe(1);

    // Drift: the last assessment is the deploy run's detectDrift result (the failed run assessed nothing).
    const drift = activityResult<DriftResult>(deployHistory, 'detectDrift');
    expect(sampleValue(s, METRIC.driftShare)).toBe(drift.driftShare);
    expect(sampleValue(s, METRIC.driftSeverity, { severity: drift.assessment!.severity })).toBe(1);
    expect(sampleValue(s, METRIC.dataQualityCritical)).toBe(drift.assessment!.qualityCritical ? 1 : 0);

    // Step durations: the last run's, and every run's histogram, as the histories time them.
    const failedSteps = stepDurationsFromHistory(failedHistory);
    expect(Object.keys(failedSteps)).toEqual(['resolveRunConfig']);
    expect(samples(s, METRIC.lastRunStepDuration).map((x) => [x.labels.step, x.value])).toEqual([
      ['resolveRunConfig', failedSteps.resolveRunConfig / 1000],
    ]);
    const deploySteps = stepDurationsFromHistory(deployHistory);
    expect(Object.keys(deploySteps).length).toBeGreaterThanOrEqual(6);
    for (const [step, ms] of Object.entries(deploySteps))
      expect(sampleValue(s, `${METRIC.stepDuration}_sum`, { step, trigger_source: 'schedule' }), step).toBeCloseTo(
        ms / 1000,
        6,
      );
    console.log(
      `deploy run's steps (s): ${Object.entries(deploySteps)
        .map(([k, v]) => `${k} ${v / 1000}`)
        .join(', ')}`,
    );

    // The worker's SDK metrics: one execution per activity attempt in the histories, failures included.
    const sdk = await scrape(workerMetricsUrl);
    const attempts = [deployHistory, failedHistory, testHistory].map(attemptsByActivity);
    for (const activity of ['resolveRunConfig', 'detectDrift', 'trainChallenger', 'promoteChampion', 'writeAudit']) {
      const expected = attempts.reduce((n, a) => n + (a[activity] ?? 0), 0);
      const labels = { activity_type: activity, task_queue: taskQueue };
      expect(sampleValue(sdk, 'temporal_activity_execution_latency_seconds_count', labels), activity).toBe(expected);
    }
    // Schedule-to-start is per task queue (no activity type): every attempt of every activity.
    const allAttempts = attempts.flatMap((a) => Object.values(a)).reduce((n, k) => n + k, 0);
    expect(
      sampleValue(sdk, 'temporal_activity_schedule_to_start_latency_seconds_count', { task_queue: taskQueue }),
    ).toBe(allAttempts);
    // Runs 2 and 3 failed in resolveRunConfig (a ConfigError is not retried).
    expect(
      sampleValue(sdk, 'temporal_activity_execution_failed_total', {
        activity_type: 'resolveRunConfig',
        task_queue: taskQueue,
      }),
    ).toBe(2);

    // Prometheus: the alerts of this state, and every dashboard query returns data (what Grafana runs).
    const queries = dashboardQueries(JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard);
    let empty: string[];
    let firing: string[];
    for (const deadline = Date.now() + 90_000; ; await sleep(1000)) {
      empty = [];
      for (const q of queries)
        if ((await prometheus.queryRange(grafanaInterpolate(q.expr), promStartS)).length === 0)
          empty.push(`${q.where}: ${q.expr}`);
      firing = (await prometheus.alerts()).filter((a) => a.state === 'firing').map((a) => a.labels.alertname);
      if ((empty.length === 0 && firing.includes('BikeRetrainLastRunFailed')) || Date.now() > deadline) break;
    }
    expect(empty).toEqual([]);
    expect(queries.length).toBeGreaterThan(20);
    expect(firing).toContain('BikeRetrainLastRunFailed');
    expect(firing).toContain('BikeRetrainChampionRmseAboveCeiling');
    for (const quiet of ['BikeRetrainWeeklyRunMissing', 'BikeRetrainDataQualityCritical', 'BikeRetrainMetricsDown'])
      expect(firing).not.toContain(quiet);
    console.log(`${queries.length} dashboard queries with data; firing: ${[...new Set(firing)].join(', ')}`);

    // `metrics serve` stops cleanly on SIGTERM.
    const exited = new Promise<number | null>((r) => serve.once('exit', (code) => r(code)));
    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
