import { Option, type Command } from 'commander';
import type { AppConfig } from '../../config/app-config';
import { ConfigError } from '../../core/errors';
import { DAY_MS } from '../../core/time';
import type { ScaleName } from '../../data/demo-world';
import type { CliContext } from '../context';

/** `bike-retrain demo`. */
export function registerDemoCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('demo')
    .description(
      'server, data, first champion, worker, weekly schedule, then one forced fine-tune: prints the decision',
    )
    .addOption(new Option('--scale <scale>', 'data scale').choices(['small', 'full']).default('small'))
    .action(async (o: { scale: ScaleName }) => {
      await runDemo(await ctx.config(), o);
    });
}

/**
 * The main job, end to end on a real Temporal server: everything it needs is
 * created on first use and reused afterwards.
 */
export async function runDemo(cfg: AppConfig, o: { scale: ScaleName }): Promise<void> {
  const t0 = performance.now();
  // The demo writes a simulated world into the warehouse: never into a deployment's BigQuery tables.
  if (cfg.storage.kind !== 'embedded')
    throw new ConfigError(
      `demo simulates its data and runs on the embedded storage only: unset BIKE_RETRAIN_STORAGE (it is ${cfg.storage.kind})`,
    );
  const [
    { NativeConnection },
    { WorkflowFailedError },
    { webUiUrl },
    { modelParams },
    { ensureWorld },
    { trainChampionFromBaseline },
    { withClient },
    { createWeeklySchedule, SCHEDULE_ID },
    { triggerRun },
    { ensureServer },
    { installWorkerRuntime },
    { createWorkers, embeddedDeps, runWorkersUntil, WORKER_QUEUES },
    { evaluationBlock, levelLine, metricsLine },
    { trainingProgress },
  ] = await Promise.all([
    import('@temporalio/worker'),
    import('@temporalio/client'),
    import('../../config/app-config.js'),
    import('../../config/run-config.js'),
    import('../../data/demo-world.js'),
    import('../../champion/train-champion.js'),
    import('../../client/connect.js'),
    import('../../client/schedule.js'),
    import('../../client/triggers.js'),
    import('../../temporal/dev-server.js'),
    import('../../temporal/runtime.js'),
    import('../../worker.js'),
    import('../format.js'),
    import('../progress.js'),
  ]);
  installWorkerRuntime(cfg);
  const say = (m: string) => console.log(m);
  const server = await ensureServer(cfg, say);
  say(
    `Temporal: ${server.address} (${server.origin === 'started' ? 'dev server started' : 'already running'}), Web UI ${server.uiUrl}`,
  );

  const deps = embeddedDeps(cfg);
  // Data ends at today's midnight (UTC): runs look back from a fixed instant, so reruns see the same data.
  const endMs = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const world = await ensureWorld(deps, { scale: o.scale, endMs, seed: 2026, recentScenario: 'strike' }, say);
  if (!world.created)
    say(
      `Reusing the data in ${cfg.home} (${world.baseline.train.rows} training rows, data up to ${new Date(world.endMs).toISOString().slice(0, 10)}).`,
    );

  const champion = await deps.registry.champion();
  if (!champion) {
    const bar = trainingProgress('Training the first champion');
    const r = await trainChampionFromBaseline(deps, modelParams(cfg.runDefaults.model), {
      onProgress: bar.onProgress,
      source: { workflowId: 'demo', runId: 'initial-champion' },
    });
    bar.stop();
    say(
      `Champion v${r.version}: trained on ${r.trainRows} rows in ${r.trainSeconds.toFixed(1)} s; test_baseline ${metricsLine(r.testBaseline)}`,
    );
  } else say(`Champion: v${champion.version} (${champion.modelType})`);

  const connection = await NativeConnection.connect({ address: cfg.temporalAddress });
  try {
    const workers = await createWorkers({
      connection,
      namespace: cfg.namespace,
      taskQueue: cfg.taskQueue,
      heavyTaskQueue: cfg.heavyTaskQueue,
      queues: WORKER_QUEUES,
      deps,
    });
    await runWorkersUntil(
      workers,
      withClient(cfg, async (client) => {
        say(
          (await createWeeklySchedule(client, cfg))
            ? `Created the weekly schedule ${SCHEDULE_ID} (Sunday 00:00 UTC).`
            : `Weekly schedule ${SCHEDULE_ID} exists.`,
        );
        const run = await triggerRun(client, cfg, {
          forceFineTune: true,
          asOf: new Date(world.endMs).toISOString(),
          triggerSource: 'manual',
        });
        say(
          `Started ${run.workflowId} (forced fine-tune); following it…\n  ${webUiUrl(cfg, run.workflowId, run.runId)}`,
        );
        try {
          await run.result();
        } catch (err) {
          if (!(err instanceof WorkflowFailedError)) throw err;
        }
        const [row] = await deps.warehouse.listAudit({ workflowId: run.workflowId, last: 1 });
        say('');
        if (row.assessment)
          say(
            `Drift assessment: ${row.assessment.triggered ? 'retrain' : 'no retrain'} (${row.assessment.severity}, confidence ${row.assessment.confidence.toFixed(2)}, heuristic)\n  - ${row.assessment.reasons.join('\n  - ')}`,
          );
        if (row.reportUris[0]) say(`Drift report: ${row.reportUris[0]}`);
        say(`Trigger: ${row.triggerRule ?? 'none'}`);
        if (row.challengerLevel) say(`Challenger: ${levelLine(row.challengerLevel)}`);
        say(`Decision: ${row.decision} — ${row.decisionReason}`);
        say(evaluationBlock(row));
        say(`Promoted: ${row.promoted ? `yes, champion is now v${row.challengerVersion}` : 'no, the champion stays'}`);
        say(`\nAudit row (${cfg.home}/warehouse.duckdb, table monitoring_audit):`);
        say(JSON.stringify(row, null, 2));
        say(`\nWeb UI of this run: ${webUiUrl(cfg, run.workflowId, run.runId)}`);
        if (cfg.metricsAddress) say(await demoScrape(cfg, cfg.metricsAddress));
        say(
          `Done in ${((performance.now() - t0) / 1000).toFixed(1)} s. The dev server keeps running for the Web UI; \`npm run bike-retrain -- server stop\` stops it.`,
        );
      }),
    );
  } finally {
    await connection.close();
  }
}

/** The metrics of the demo run, as Prometheus scrapes them from `metrics serve` (started here for one scrape). */
async function demoScrape(cfg: AppConfig, address: string): Promise<string> {
  const [{ storageCollector }, { startMetricsServer }, { METRIC }] = await Promise.all([
    import('../../metrics/serve.js'),
    import('../../metrics/metrics-server.js'),
    import('../../metrics/domain-metrics.js'),
  ]);
  const { collector, close } = await storageCollector(cfg);
  try {
    const server = await startMetricsServer(address, collector);
    try {
      const text = await (await fetch(server.url)).text();
      const shown: string[] = [METRIC.lastRunInfo, METRIC.championVersion, METRIC.championRmse, METRIC.championR2];
      const lines = text
        .split('\n')
        .filter((l) =>
          [...shown, METRIC.lastRunStepDuration].some((n) => l.startsWith(`${n}{`) || l.startsWith(`${n} `)),
        );
      return [
        `\nMetrics (GET ${server.url}, BIKE_RETRAIN_METRICS_ADDRESS); \`npm run bike-retrain -- metrics serve\` serves them to Prometheus:`,
        ...lines.map((l) => `  ${l}`),
      ].join('\n');
    } finally {
      await server.close();
    }
  } finally {
    await close();
  }
}
