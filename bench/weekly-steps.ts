// npm run bench:weekly-steps -- --home DIR [--rounds N]: the weekly run's heavy steps, timed one by one, in
// this process (no Temporal server), on a data folder prepared by `demo --scale full`. Each round is a fresh
// run key, so no step's idempotency short-cut applies; the champion is the folder's. For profiling:
//   node --cpu-prof --import tsx bench/weekly-steps.ts --home DIR
// Medians per step; the CPU model and the load average beside them (hosts and load differ).
import { cpus, loadavg } from 'node:os';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../src/activities';
import { loadAppConfig } from '../src/config/app-config';
import { embeddedDeps } from '../src/worker';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const home = arg('home');
  if (!home) throw new Error('--home DIR: a data folder prepared by `demo --scale full`');
  const rounds = Number(arg('rounds', '3'));
  const cfg = loadAppConfig({ ...process.env, BIKE_RETRAIN_HOME: home });
  const deps = embeddedDeps(cfg);
  const a = createActivities(deps);
  const env = new MockActivityEnvironment();
  const call = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
    env.run(fn, ...args) as Promise<R>;
  const times: Record<string, number[]> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await work();
    (times[name] ??= []).push((performance.now() - t0) / 1000);
    return out;
  };
  const summary = await deps.warehouse.summarizeCounts();
  const asOfMs = Math.floor(((summary.maxMs ?? 0) + 3_600_000) / 86_400_000) * 86_400_000;
  for (let round = 0; round < rounds; round++) {
    const run = { workflowId: 'bench-weekly-steps', runId: `${Date.now()}-${round}` };
    const r = await call(a.resolveRunConfig, { forceFineTune: true, asOf: new Date(asOfMs).toISOString() }, Date.now());
    const champion = await timed('resolveChampion', () => call(a.resolveChampion));
    const drift = await timed('detectDrift', () =>
      call(a.detectDrift, { run, asOfMs: r.asOfMs, config: r.config, champion }),
    );
    const recent = await timed('fetchRecentData', () =>
      call(a.fetchRecentData, { run, asOfMs: r.asOfMs, config: r.config }),
    );
    const challenger = await timed('trainChallenger', () =>
      call(a.trainChallenger, { run, recent, config: r.config, champion }),
    );
    await timed('evaluateDouble', () =>
      call(a.evaluateDouble, { run, championUri: champion.modelUri, challenger, config: r.config, champion }),
    );
    console.error(
      `round ${round + 1}: ${Object.entries(times)
        .map(([k, v]) => `${k} ${v[v.length - 1].toFixed(2)} s`)
        .join(', ')} (drift: ${drift.driftDetected})`,
    );
  }
  console.log(
    `CPU: ${cpus()[0]?.model} × ${cpus().length}; load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const [k, v] of Object.entries(times))
    console.log(`${k.padEnd(16)} median ${median(v).toFixed(2)} s  (${v.map((x) => x.toFixed(2)).join(', ')})`);
  await deps.warehouse.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
