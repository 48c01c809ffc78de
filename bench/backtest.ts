/**
 * Issue 14, item 6: a 14-week backtest at full scale. Prepares (once) a data
 * folder like `npm run demo -- --scale full` makes (the demo world, data up to
 * today's midnight, and its first champion), then runs `runBacktest` weekly
 * over the last `--weeks` runs that still have a scored week after them, on a
 * Temporal dev server of its own. Prints the wall time, the per-week and
 * per-step medians (from the runs' histories), the CPU model and the load
 * average; appends one JSON line per backtest to
 * bench/results/backtest-full.jsonl (with the weekly results, so two
 * implementations' outputs can be compared).
 *
 *   npm run bench:backtest -- [--home DIR] [--weeks 14] [--repeat 1]
 *     [--impl DIR[,DIR…]]   other checkouts to interleave with this one (A/B: theirs, ours, theirs, ours…;
 *                           `.` places this one: `--impl .,../base` runs ours first)
 *     [--prebundled]        bundle the workflow code before timing (the CLI bundles it in every backtest)
 *     [--keep]              keep each backtest's folder
 */
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import type * as RunBacktestModule from '../src/backtest/run-backtest';
import type * as WorkerModule from '../src/worker';
import { trainChampionFromBaseline } from '../src/champion/train-champion';
import { DEFAULT_RUN_CONFIG, modelParams, resolveRunConfig } from '../src/config/run-config';
import { DAY_MS } from '../src/core/time';
import { ensureWorld } from '../src/data/demo-world';
import { installCliRuntime } from '../src/temporal/runtime';
import { ensureTemporalCli } from '../src/temporal/temporal-cli';
import { embeddedDeps } from '../src/worker';
import { ALL_SEARCH_ATTRIBUTES } from '../src/workflows/search-attributes';

type Event = temporal.api.history.v1.IHistoryEvent;

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function at(e: Event): number {
  const t = e.eventTime!;
  return Number(t.seconds ?? 0) * 1000 + Math.round((t.nanos ?? 0) / 1e6);
}

/** Per activity type: scheduled → completed, ms (the step as the workflow waits for it, queueing included). */
function activitySpans(events: Event[]): { type: string; ms: number; startMs: number; endMs: number }[] {
  const scheduled = new Map<number, { type: string; ms: number }>();
  const out: { type: string; ms: number; startMs: number; endMs: number }[] = [];
  for (const e of events) {
    const id = Number(e.eventId);
    if (e.activityTaskScheduledEventAttributes)
      scheduled.set(id, { type: e.activityTaskScheduledEventAttributes.activityType!.name!, ms: at(e) });
    const done = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes;
    if (done) {
      const s = scheduled.get(Number(done.scheduledEventId));
      if (s) out.push({ type: s.type, ms: at(e) - s.ms, startMs: s.ms, endMs: at(e) });
    }
  }
  return out;
}

interface Impl {
  name: string;
  dir: string;
  runBacktest: typeof RunBacktestModule.runBacktest;
  workflowsPath: string;
  bundle?: Awaited<ReturnType<typeof bundleWorkflowCode>>;
}

async function loadImpl(dir: string): Promise<Impl> {
  const rb = (await import(join(dir, 'src/backtest/run-backtest.ts'))) as typeof RunBacktestModule;
  const w = (await import(join(dir, 'src/worker.ts'))) as typeof WorkerModule;
  return { name: dir, dir, runBacktest: rb.runBacktest, workflowsPath: w.workflowsPath };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      home: { type: 'string', default: '/tmp/bike-retrain-backtest-full' },
      weeks: { type: 'string', default: '14' },
      repeat: { type: 'string', default: '1' },
      impl: { type: 'string' },
      keep: { type: 'boolean', default: false },
      // Off by default: the CLI bundles the workflow code in every backtest, so the benchmark does too.
      prebundled: { type: 'boolean', default: false },
    },
  });
  const home = resolve(values.home!);
  const weeks = Number(values.weeks);
  const runDefaults = resolveRunConfig(DEFAULT_RUN_CONFIG, {});
  const cpu = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}`;
  const out = join(__dirname, 'results', 'backtest-full.jsonl');
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  installCliRuntime();

  // The demo's folder: its world (data up to today's midnight) and first champion, made once.
  const deps = embeddedDeps({ home, runDefaults, env: 'bench' });
  const tPrep = performance.now();
  const world = await ensureWorld(
    deps,
    { scale: 'full', endMs: Math.floor(Date.now() / DAY_MS) * DAY_MS, seed: 2026, recentScenario: 'strike' },
    (m) => console.error(m),
  );
  if (!(await deps.registry.champion()))
    await trainChampionFromBaseline(deps, modelParams(runDefaults.model), {
      source: { workflowId: 'demo', runId: 'initial-champion' },
    });
  await deps.warehouse.close();
  console.error(`folder ${home} ready in ${((performance.now() - tPrep) / 1000).toFixed(1)} s`);
  // The last `weeks` runs whose following week is in the data.
  const toMs = world.endMs - 7 * DAY_MS;
  const fromMs = toMs - (weeks - 1) * 7 * DAY_MS;

  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: ensureTemporalCli() },
      searchAttributes: [...ALL_SEARCH_ATTRIBUTES],
      extraArgs: ['--log-level', 'error'],
    },
  });
  const quiet = () => undefined;
  // This checkout runs last unless `--impl` names it (as `.`) somewhere else in the order.
  const here = resolve(__dirname, '..');
  const dirs = values.impl ? values.impl.split(',').map((d) => (d === '.' ? here : resolve(d))) : [];
  const impls = await Promise.all((dirs.includes(here) ? dirs : [...dirs, here]).map(loadImpl));
  for (const impl of values.prebundled ? impls : []) {
    impl.bundle = await bundleWorkflowCode({
      workflowsPath: impl.workflowsPath,
      logger: { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: console.error, log: quiet },
    });
  }
  // Every implementation must give the same weeks (decisions, champions, next-week metrics): compared to the first.
  let reference: string | null = null;
  try {
    for (let r = 0; r < Number(values.repeat); r++)
      for (const impl of impls) {
        const id = `bt-${Date.now()}`;
        const load0 = loadavg()[0];
        const t0 = performance.now();
        const startedAtMs = Date.now();
        const bt = await impl.runBacktest(
          {
            home,
            temporalAddress: env.address,
            namespace: 'default',
            taskQueue: 'unused',
            uiPort: 8233,
            env: 'bench',
            runDefaults,
          },
          {
            fromMs,
            toMs,
            everyDays: 7,
            id,
            ...(impl.bundle ? { workflowBundle: impl.bundle } : {}),
            onProgress: (p) => p.current && process.stderr.write(`  ${p.done}/${p.total} ${p.current}\n`),
          },
        );
        const seconds = (performance.now() - t0) / 1000;
        const load1 = loadavg()[0];

        // Where the time went, from the histories: the parent's children and activities, each child's activities.
        const parent = (await env.client.workflow.getHandle(id).fetchHistory()).events ?? [];
        const parentStart = at(parent[0]);
        const parentEnd = at(parent[parent.length - 1]);
        const children: { workflowId: string; startMs: number; endMs: number }[] = [];
        for (const e of parent) {
          const c = e.childWorkflowExecutionCompletedEventAttributes ?? e.childWorkflowExecutionFailedEventAttributes;
          if (c) {
            const wid = c.workflowExecution!.workflowId!;
            const init = parent.find((x) => x.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId === wid);
            children.push({ workflowId: wid, startMs: at(init!), endMs: at(e) });
          }
        }
        const scoring = activitySpans(parent).filter((s) => s.type === 'scoreModels');
        const steps = new Map<string, number[]>();
        for (const s of scoring) steps.set('scoreModels', [...(steps.get('scoreModels') ?? []), s.ms]);
        const perPolicy = new Map<string, number[]>();
        for (const c of children) {
          const policy = c.workflowId.split('--')[1];
          perPolicy.set(policy, [...(perPolicy.get(policy) ?? []), c.endMs - c.startMs]);
          const h = (await env.client.workflow.getHandle(c.workflowId).fetchHistory()).events ?? [];
          for (const s of activitySpans(h)) steps.set(s.type, [...(steps.get(s.type) ?? []), s.ms]);
        }
        // A week: from the end of the previous one (or the parent's start) to its scoring's end.
        const weekMs: number[] = [];
        let prev = parentStart;
        for (const s of scoring.sort((a, b) => a.endMs - b.endMs)) {
          weekMs.push(s.endMs - prev);
          prev = s.endMs;
        }
        const busy = (ms: number[]) => ms.reduce((a, b) => a + b, 0) / 1000;
        const fmt = (x: number) => (x / 1000).toFixed(2);
        console.log(
          `\n## ${impl.dir === here ? 'this checkout' : impl.dir}: ${weeks} weeks (${new Date(fromMs).toISOString().slice(0, 10)} → ${new Date(toMs).toISOString().slice(0, 10)}), ${bt.input.chains.length} chains`,
        );
        console.log(`${cpu}; load ${load0.toFixed(2)} → ${load1.toFixed(2)}`);
        console.log(
          `wall ${seconds.toFixed(1)} s: before the parent started ${((parentStart - startedAtMs) / 1000).toFixed(1)} s (copies, workers), parent ${((parentEnd - parentStart) / 1000).toFixed(1)} s, after ${((startedAtMs + seconds * 1000 - parentEnd) / 1000).toFixed(1)} s`,
        );
        console.log(
          `per week: median ${fmt(median(weekMs))} s (min ${fmt(Math.min(...weekMs))}, max ${fmt(Math.max(...weekMs))})`,
        );
        for (const [p, ms] of perPolicy)
          console.log(`  ${p} run: median ${fmt(median(ms))} s, total ${busy(ms).toFixed(1)} s`);
        console.log('per step (scheduled → completed): median, total');
        for (const [step, ms] of steps)
          console.log(
            `  ${step.padEnd(20)} ${fmt(median(ms)).padStart(7)} s ${busy(ms).toFixed(1).padStart(7)} s  (${ms.length})`,
          );
        const weeksSeen = JSON.stringify(
          bt.result.weeks.map((w) => ({
            ...w,
            runs: Object.fromEntries(Object.entries(w.runs).map(([p, x]) => [p, { ...x, workflowId: undefined }])),
          })),
        );
        reference ??= weeksSeen;
        console.log(`weekly results ${weeksSeen === reference ? 'identical to' : 'DIFFER from'} the first backtest's`);
        appendFileSync(
          out,
          JSON.stringify({
            at: new Date().toISOString(),
            impl: impl.dir,
            cpu,
            load: [load0, load1],
            weeks,
            seconds,
            beforeParentS: (parentStart - startedAtMs) / 1000,
            weekMedianS: median(weekMs) / 1000,
            runMedianS: Object.fromEntries([...perPolicy].map(([p, ms]) => [p, median(ms) / 1000])),
            stepMedianS: Object.fromEntries([...steps].map(([s, ms]) => [s, median(ms) / 1000])),
            stepTotalS: Object.fromEntries([...steps].map(([s, ms]) => [s, busy(ms)])),
            summary: bt.result.weeks.map((w) => ({ asOf: w.asOf, runs: w.runs, next: w.next })),
          }) + '\n',
        );
        if (!values.keep) rmSync(bt.folder, { recursive: true, force: true });
      }
  } finally {
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
