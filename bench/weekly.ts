// npm run bench:weekly -- --home DIR [--rounds 3] [--compare OLD_CHECKOUT] [--keep] [--worker-cpu-prof DIR]
//                          [--keep-promotion-caches] [--runner tsx|compiled]
//
// A forced weekly run at full scale, end to end as a user runs it: a real Temporal dev server, a
// `bike-retrain worker` process, the workflow started by a client and timed from start to result.
// DIR is a data folder prepared by `BIKE_RETRAIN_HOME=DIR npm run demo -- --scale full`; it is only read.
//
// What is timed is the first run after a promotion, so every cache keyed on the champion is cold:
// - once per code checkout, a template is made from DIR: a warm-up forced run (what the previous
//   week's run left behind, e.g. caches that depend only on train_baseline), then its challenger is
//   promoted (by the run itself, or here through the promoteChampion activity when the rule kept the
//   champion);
// - each round copies the template into a fresh folder, removes the cached champion predictions (the
//   new champion's included: cold, unless --keep-promotion-caches), starts a fresh worker process on it
//   (no model or cache in memory), then times one forced run. The worker's start (bundling) is not timed.
// With --compare, the checkout at OLD_CHECKOUT (e.g. a worktree at the base commit, node_modules
// linked) runs the same rounds, interleaved with this one (old, new, new, old, …), on the same server.
// --runner: how the worker runs. `tsx` (the default): the TypeScript sources, as `npm run bike-retrain -- worker`
// in a checkout (modules are transformed as they load, inside the timed run, and each training thread boots tsx).
// `compiled`: the JS of `npm run build`, as the installed bin and the Docker image run it; each checkout is
// compiled into its own folder under <tmpdir>/bike-retrain-bench (bench/compile-tree.ts).
// Prints each round's per-step durations (from the audit row), the medians, the CPU model and the load.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../src/activities';
import { runArtifactKey } from '../src/activities/run-artifacts';
import { loadAppConfig, type AppConfig } from '../src/config/app-config';
import { withClient } from '../src/client/connect';
import { triggerRun } from '../src/client/triggers';
import type { ChallengerRef, MonitorResult, PromotionResult } from '../src/core/domain';
import { DAY_MS, HOUR_MS } from '../src/core/time';
import { ensureServer, stopServer } from '../src/temporal/dev-server';
import { embeddedDeps } from '../src/worker';
import { compileTree } from './compile-tree';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const say = (m: string) => console.error(m);

/** What a data folder holds besides the dev server's files: the warehouse and the artifacts. */
const DATA_ENTRIES = ['warehouse.duckdb', 'artifacts'];

async function copyDataFolder(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  const present = new Set(await readdir(from));
  for (const e of DATA_ENTRIES) if (present.has(e)) await cp(join(from, e), join(to, e), { recursive: true });
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

interface Variant {
  name: string;
  root: string;
  template: string;
  /** The compiled CLI's entry (`--runner compiled`), else the sources run under tsx. */
  compiled?: string;
}

interface Bench {
  cfg: AppConfig;
  work: string;
  asOf: string;
}

/** A `bike-retrain worker` process of one checkout on one data folder; resolves once it polls. */
async function startWorker(b: Bench, v: Variant, home: string, taskQueue: string): Promise<ChildProcess> {
  // `--worker-cpu-prof DIR`: each worker process writes a CPU profile (main thread and training threads) there.
  const prof = arg('worker-cpu-prof');
  const node = prof ? ['--cpu-prof', `--cpu-prof-dir=${resolve(prof)}`] : [];
  const cli = v.compiled ? [v.compiled] : ['--import', 'tsx', join(v.root, 'src', 'cli', 'main.ts')];
  const child = spawn(process.execPath, [...node, ...cli, 'worker'], {
    cwd: v.root,
    env: {
      ...process.env,
      BIKE_RETRAIN_HOME: home,
      TEMPORAL_ADDRESS: b.cfg.temporalAddress,
      BIKE_RETRAIN_TASK_QUEUE: taskQueue,
      BIKE_RETRAIN_HEAVY_TASK_QUEUE: `${taskQueue}-heavy`,
      BIKE_RETRAIN_STORAGE: 'embedded',
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  await new Promise<void>((ok, fail) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('worker polling task queue')) ok();
    });
    child.once('exit', (code) => fail(new Error(`worker exited (${code}) before polling:\n${err}`)));
  });
  child.stderr!.pipe(process.stderr);
  // Let its pollers reach the server before the run starts: the run is timed, the worker's start is not.
  await new Promise((r) => setTimeout(r, 1000));
  return child;
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** One forced run on `home` with a fresh worker: its wall time (start to result) and its audit row's step durations. */
async function timedRun(
  b: Bench,
  v: Variant,
  home: string,
  tag: string,
  overrides?: Record<string, unknown>,
): Promise<{
  seconds: number;
  steps: Record<string, number>;
  result: MonitorResult;
  runId: string;
  workflowId: string;
}> {
  const taskQueue = `bench-weekly-${tag}`;
  const worker = await startWorker(b, v, home, taskQueue);
  let seconds = 0;
  let run: { workflowId: string; runId: string; result: MonitorResult };
  try {
    run = await withClient(b.cfg, async (client) => {
      const t0 = performance.now();
      const started = await triggerRun(
        client,
        { taskQueue, heavyTaskQueue: `${taskQueue}-heavy` },
        { forceFineTune: true, asOf: b.asOf, triggerSource: 'manual', ...(overrides ? { overrides } : {}) },
        `bench-weekly-${tag}`,
      );
      const result = await started.result();
      seconds = (performance.now() - t0) / 1000;
      return { workflowId: started.workflowId, runId: started.runId, result };
    });
  } finally {
    await stopWorker(worker);
  }
  // The worker held the warehouse: read the audit row once it is gone.
  const deps = embeddedDeps(
    loadAppConfig({ ...process.env, BIKE_RETRAIN_HOME: home, BIKE_RETRAIN_STORAGE: 'embedded' }),
  );
  try {
    const [row] = await deps.warehouse.listAudit({ workflowId: run.workflowId, last: 1 });
    if (!row || row.runId !== run.runId) throw new Error(`no audit row for ${run.workflowId}/${run.runId}`);
    if (row.error) throw new Error(`the run failed: ${row.error}`);
    return { seconds, steps: row.stepDurationsMs, ...run };
  } finally {
    await deps.warehouse.close();
  }
}

/** The template of one checkout: DIR after a warm-up run, then a promotion (the state each round starts from). */
async function prepareTemplate(b: Bench, v: Variant, source: string): Promise<void> {
  say(`[${v.name}] template: copying ${source}…`);
  await copyDataFolder(source, v.template);
  // The challenger of the warm-up run is the next champion; the point-estimate rule usually deploys it itself.
  const warm = await timedRun(b, v, v.template, `${v.name}-warmup-${Date.now()}`, {
    promotion: { rule: 'point-estimate' },
  });
  say(`[${v.name}] warm-up run: ${warm.seconds.toFixed(2)} s, ${warm.result.decision}`);
  const deps = embeddedDeps(
    loadAppConfig({ ...process.env, BIKE_RETRAIN_HOME: v.template, BIKE_RETRAIN_STORAGE: 'embedded' }),
  );
  try {
    if (!warm.result.promoted) {
      const run = { workflowId: warm.workflowId, runId: warm.runId };
      const challenger = JSON.parse(
        await deps.artifacts.getText(deps.artifacts.uriFor(runArtifactKey(run, 'challenger.json'))),
      ) as ChallengerRef;
      const champion = await deps.registry.champion();
      // Activities heartbeat: they run in a mock activity context here.
      const r = (await new MockActivityEnvironment().run(createActivities(deps).promoteChampion, {
        run,
        challenger,
        expectedChampion: champion!.version,
        evaluation: warm.result.evaluation!,
        testMode: false,
      })) as PromotionResult;
      say(`[${v.name}] promoted the warm-up challenger as v${r.version}`);
    } else say(`[${v.name}] the warm-up run promoted its challenger (v${warm.result.championVersion})`);
  } finally {
    await deps.warehouse.close();
  }
}

async function main(): Promise<void> {
  const home = arg('home');
  if (!home)
    throw new Error('--home DIR: a data folder prepared by `BIKE_RETRAIN_HOME=DIR npm run demo -- --scale full`');
  const rounds = Number(arg('rounds', '3'));
  const compare = arg('compare');
  const work = await mkdtemp(join(tmpdir(), 'bike-retrain-bench-weekly-'));
  const variants: Variant[] = [
    ...(compare ? [{ name: 'old', root: resolve(compare), template: join(work, 'template-old') }] : []),
    { name: compare ? 'new' : 'run', root: resolve(__dirname, '..'), template: join(work, 'template-new') },
  ];
  const runner = arg('runner', 'tsx');
  if (runner !== 'tsx' && runner !== 'compiled') throw new Error(`--runner: tsx or compiled, got ${runner}`);
  if (runner === 'compiled') for (const v of variants) v.compiled = compileTree(v.root, `weekly-${v.name}`);
  const [port, uiPort] = [await freePort(), await freePort()];
  const cfg = loadAppConfig({
    ...process.env,
    BIKE_RETRAIN_HOME: join(work, 'server'),
    TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
    BIKE_RETRAIN_UI_PORT: String(uiPort),
    BIKE_RETRAIN_STORAGE: 'embedded',
  });
  const source = embeddedDeps(
    loadAppConfig({ ...process.env, BIKE_RETRAIN_HOME: resolve(home), BIKE_RETRAIN_STORAGE: 'embedded' }),
  );
  const summary = await source.warehouse.summarizeCounts();
  await source.warehouse.close();
  // The demo's instant: the data's last midnight (runs look back from it).
  const asOf = new Date(Math.floor(((summary.maxMs ?? 0) + HOUR_MS) / DAY_MS) * DAY_MS).toISOString();
  await ensureServer(cfg, say);
  const b: Bench = { cfg, work, asOf };
  const times: Record<string, { total: number[]; steps: Record<string, number>[] }> = {};
  try {
    for (const v of variants) await prepareTemplate(b, v, resolve(home));
    for (let round = 0; round < rounds; round++) {
      // Interleaved, the order flipping each round, so a load change lands on both sides.
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        const folder = join(work, `${v.name}-round-${round + 1}`);
        await copyDataFolder(v.template, folder);
        // The issue's definition: every cache keyed on the new champion is cold. The promoting run may
        // have cached the challenger's test_baseline predictions (they become the champion's):
        // --keep-promotion-caches keeps them, as a real first run after that promotion finds them.
        if (!process.argv.includes('--keep-promotion-caches'))
          await rm(join(folder, 'artifacts', 'cache', 'predictions'), { recursive: true, force: true });
        const r = await timedRun(b, v, folder, `${v.name}-${round + 1}-${Date.now()}`);
        (times[v.name] ??= { total: [], steps: [] }).total.push(r.seconds);
        times[v.name].steps.push(r.steps);
        say(
          `[${v.name}] round ${round + 1}: ${r.seconds.toFixed(2)} s end to end (${r.result.decision}); ` +
            `${Object.entries(r.steps)
              .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(2)}`)
              .join(', ')}; load ${load()}`,
        );
        if (!arg('keep', undefined) && !process.argv.includes('--keep'))
          await rm(folder, { recursive: true, force: true });
      }
    }
  } finally {
    stopServer(cfg);
  }
  console.log(
    `CPU: ${cpus()[0]?.model} × ${cpus().length}; load ${load()}; asOf ${asOf}; ${rounds} rounds; worker under ${runner}`,
  );
  for (const [name, t] of Object.entries(times)) {
    console.log(
      `\n${name}: end to end median ${median(t.total).toFixed(2)} s (${t.total.map((x) => x.toFixed(2)).join(', ')})`,
    );
    const steps = [...new Set(t.steps.flatMap((s) => Object.keys(s)))];
    for (const s of steps) {
      const xs = t.steps.map((r) => (r[s] ?? 0) / 1000);
      console.log(`  ${s.padEnd(18)} median ${median(xs).toFixed(2)} s  (${xs.map((x) => x.toFixed(2)).join(', ')})`);
    }
  }
  // The dev server may still be closing its database: retry the removal for a while.
  if (!process.argv.includes('--keep'))
    await rm(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
  else console.log(`\nkept ${work}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
