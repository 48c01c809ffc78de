#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { ChampionRegistry, type RegistryDoc } from '../registry/champion-registry';
import { openArtifactStore, openRegistryDocument, openWarehouse } from '../storage';
import { loadAppConfig, webUiUrl, type AppConfig } from '../config/app-config';
import { modelParams, resolveRunConfig } from '../config/run-config';
import { withClient } from '../client/connect';
import {
  createWeeklySchedule,
  deleteSchedule,
  describeSchedule,
  pauseSchedule,
  SCHEDULE_ID,
  triggerSchedule,
  unpauseSchedule,
} from '../client/schedule';
import { latestWorkflowId, reportRun } from '../client/status';
import { MANUAL_WORKFLOW_ID, RunInProgressError, triggerRun } from '../client/triggers';
import { ensureServer, stopServer } from '../temporal/dev-server';
import { ensureTemporalCli } from '../temporal/temporal-cli';
import { embeddedDeps, runWorker } from '../worker';
import { auditTable, evaluationBlock, metricsLine, statusBlock } from './format';
import { trainingProgress } from './progress';
import { trainChampionFromBaseline } from '../champion/train-champion';
import { runDemo } from './demo';
import { installCliRuntime } from '../temporal/runtime';
import type { MonitorInput } from '../core/domain';
import { rollbackChampion } from '../champion/rollback';
import { approvalUpdate } from '../workflows/definitions';
import { registerDataCommands } from './commands/data';
import { registerDriftCommand } from './commands/drift';

/** Config is read and validated once, on first use by a command. */
let config: AppConfig | undefined;
const cfg = (): AppConfig => (config ??= loadAppConfig());

const program = new Command('bike-retrain')
  .description(
    'Keep the bike-count champion fresh: weekly drift check, fine-tune, double evaluation, promotion and audit on Temporal.',
  )
  .showHelpAfterError();

program
  .command('setup')
  .description('one-time set-up: build or locate the Temporal CLI (dev server)')
  .action(() => {
    const path = ensureTemporalCli((m) => console.log(m));
    console.log(`Temporal CLI: ${path}`);
    console.log(`Data folder:  ${cfg().home} (BIKE_RETRAIN_HOME)`);
  });

program
  .command('demo')
  .description('server, data, first champion, worker, weekly schedule, then one forced fine-tune: prints the decision')
  .addOption(new Option('--scale <scale>', 'data scale').choices(['small', 'full']).default('small'))
  .action(async (o: { scale: 'small' | 'full' }) => {
    await runDemo(cfg(), o);
  });

program
  .command('train-champion')
  .description(
    'full retrain: train on train_baseline, evaluate on test_baseline, register as champion (the quarterly job)',
  )
  .addOption(new Option('--model-type <type>', 'random forest or gradient-boosted trees').choices(['rf', 'gbt']))
  .option('--trees <n>', 'trees (rf) or boosting rounds (gbt)', positiveInt)
  .option('--max-depth <d>', 'maximum tree depth', positiveInt)
  .action(async (o: { modelType?: 'rf' | 'gbt'; trees?: number; maxDepth?: number }) => {
    const chosen = Object.fromEntries(
      Object.entries({ modelType: o.modelType, nEstimators: o.trees, maxDepth: o.maxDepth }).filter(
        ([, v]) => v !== undefined,
      ),
    );
    const params = modelParams(resolveRunConfig(cfg().runDefaults, { model: chosen }, 'train-champion options').model);
    const bar = trainingProgress(`Training ${params.modelType}`);
    const r = await trainChampionFromBaseline(embeddedDeps(cfg()), params, { onProgress: bar.onProgress }).finally(() =>
      bar.stop(),
    );
    console.log(
      `champion v${r.version}: ${params.modelType}, ${r.trainRows} rows in ${r.trainSeconds.toFixed(1)} s; test_baseline ${metricsLine(r.testBaseline)}\n${r.modelUri}`,
    );
  });

const server = program.command('server').description('the Temporal dev server (Web UI on :8233)');
server
  .command('start', { isDefault: true })
  .description('use the server at TEMPORAL_ADDRESS, or start the dev server in the background')
  .action(async () => {
    const s = await ensureServer(cfg(), (m) => console.log(m));
    console.log(`${s.origin === 'started' ? 'Started' : 'Using'} Temporal at ${s.address}; Web UI ${s.uiUrl}`);
  });
server
  .command('stop')
  .description('stop the dev server started from this data folder')
  .action(() => console.log(stopServer(cfg()) ? 'stopped' : 'no dev server started from this data folder is running'));

program
  .command('worker')
  .description('run a worker for the weekly workflow until interrupted')
  .action(async () => runWorker(cfg()));

program
  .command('trigger')
  .description(`start a run now (workflow id ${MANUAL_WORKFLOW_ID}; refused while one is in progress)`)
  .option('--force-fine-tune', 'fine-tune whatever drift and champion metrics say')
  .option('--test-mode', 'mark the run and any promoted model as a test')
  .option('--as-of <date>', 'look back from this instant (ISO-8601)', isoDate)
  .option('--overrides <json>', 'per-run threshold overrides, e.g. \'{"promotion":{"minBaselineR2":0.7}}\'', json)
  .option('--wait', 'wait for the run and print its result')
  .action(
    async (o: { forceFineTune?: boolean; testMode?: boolean; asOf?: string; overrides?: unknown; wait?: boolean }) => {
      const input: MonitorInput = {
        forceFineTune: o.forceFineTune === true,
        testMode: o.testMode === true,
        triggerSource: 'manual',
      };
      if (o.asOf) input.asOf = o.asOf;
      if (o.overrides !== undefined) input.overrides = o.overrides;
      await withClient(cfg(), async (client) => {
        const run = await triggerRun(client, cfg(), input);
        console.log(
          `started ${run.workflowId} (run ${run.runId})\nWeb UI: ${webUiUrl(cfg(), run.workflowId, run.runId)}`,
        );
        if (o.wait) {
          const r = await run.result();
          console.log(`decision: ${r.decision} — ${r.reason}`);
          if (r.evaluation) console.log(evaluationBlock(r.evaluation));
        }
      });
    },
  );

const schedule = program.command('schedule').description(`the weekly schedule (${SCHEDULE_ID})`);
schedule
  .command('create')
  .description('create it (Sunday 00:00 UTC, overlap SKIP)')
  .option('--cron <expr>', 'cron expression (UTC)')
  .action(async (o: { cron?: string }) =>
    withClient(cfg(), async (c) =>
      console.log(
        (await createWeeklySchedule(c, cfg(), o.cron)) ? `created ${SCHEDULE_ID}` : `${SCHEDULE_ID} already exists`,
      ),
    ),
  );
schedule.command('describe').action(async () =>
  withClient(cfg(), async (c) => {
    const d = await describeSchedule(c);
    console.log(
      d ? JSON.stringify(d, null, 2) : `no schedule ${SCHEDULE_ID}; create it with \`bike-retrain schedule create\``,
    );
  }),
);
schedule
  .command('pause')
  .option('--note <text>')
  .action(async (o: { note?: string }) =>
    withClient(cfg(), async (c) => {
      await pauseSchedule(c, o.note);
      console.log('paused');
    }),
  );
schedule
  .command('unpause')
  .option('--note <text>')
  .action(async (o: { note?: string }) =>
    withClient(cfg(), async (c) => {
      await unpauseSchedule(c, o.note);
      console.log('unpaused');
    }),
  );
schedule
  .command('trigger')
  .description('run the scheduled action now (skipped if a run is open)')
  .action(async () =>
    withClient(cfg(), async (c) => {
      await triggerSchedule(c);
      console.log('triggered');
    }),
  );
schedule
  .command('delete')
  .action(async () =>
    withClient(cfg(), async (c) => console.log((await deleteSchedule(c)) ? 'deleted' : 'no such schedule')),
  );

program
  .command('status [workflowId]')
  .description('current step and results so far of a run (default: the latest)')
  .action(async (workflowId?: string) =>
    withClient(cfg(), async (client) => {
      const id = workflowId ?? (await latestWorkflowId(client));
      if (!id) return console.log('no monitorAndFineTune run yet');
      const r = await reportRun(client, id);
      console.log(`${id} (run ${r.runId}): ${r.runStatus}`);
      if (r.kind === 'open') console.log(r.status ? statusBlock(r.status, r.runStatus) : r.note);
      else if (r.kind === 'completed')
        console.log(
          `decision ${r.result.decision} — ${r.result.reason}${r.result.evaluation ? `\n${evaluationBlock(r.result.evaluation)}` : ''}`,
        );
      else console.log(`failed: ${r.failure}`);
      console.log(`Web UI: ${webUiUrl(cfg(), id, r.runId)}`);
    }),
  );

program
  .command('audit')
  .description('the audit trail: one row per run')
  .option('--last <n>', 'only the last N runs', positiveInt)
  .option('--json', 'JSON lines')
  .action(async (o: { last?: number; json?: boolean }) => {
    const rows = await openWarehouse(cfg().home).listAudit({ last: o.last });
    if (o.json) for (const r of rows) console.log(JSON.stringify(r));
    else console.log(rows.length ? auditTable(rows) : 'no audit rows yet');
  });

for (const [name, approved] of [
  ['approve', true],
  ['reject', false],
] as const) {
  program
    .command(`${name} <workflowId>`)
    .description(`${name} a deploy waiting for approval (runs with requireApproval)`)
    .requiredOption('--by <name>', 'who decides (recorded in the audit row)')
    .option('--reason <text>', 'why')
    .action(async (workflowId: string, o: { by: string; reason?: string }) =>
      withClient(cfg(), async (client) => {
        const r = await client.workflow
          .getHandle(workflowId)
          .executeUpdate(approvalUpdate, { args: [{ approved, by: o.by, reason: o.reason }] });
        console.log(`${workflowId}: deploy ${r.decision} by ${o.by}`);
      }),
    );
}

const registry = program.command('registry').description('model versions and the champion alias');
const openRegistry = () =>
  new ChampionRegistry(openRegistryDocument<RegistryDoc>(cfg().home), openArtifactStore(cfg().home));
registry.command('list').action(async () => {
  const d = await openRegistry().snapshot();
  for (const v of d.versions) {
    const alias = Object.entries(d.aliases)
      .filter(([, n]) => n === v.version)
      .map(([a]) => a)
      .join(',');
    console.log(
      `v${v.version}  ${v.modelType}  ${v.createdAt}  R²(baseline) ${v.metrics.baseline?.r2.toFixed(3) ?? '—'}  ${alias}`,
    );
  }
});
registry.command('show [version]').action(async (version?: string) => {
  const r = openRegistry();
  const v = version ? await r.version(Number(version)) : await r.champion();
  console.log(v ? JSON.stringify(v, null, 2) : 'no such version');
});
registry
  .command('rollback')
  .option('--to <version>', 'version to make champion (default: previous champion)', positiveInt)
  .action(async (o: { to?: number }) => {
    const r = await rollbackChampion(
      { registry: openRegistry(), warehouse: openWarehouse(cfg().home), clock: () => new Date() },
      { to: o.to, by: `cli:${process.env.USER ?? 'unknown'}` },
    );
    console.log(
      r.changed
        ? `champion is now v${r.version} (was v${r.previousChampion}); audited`
        : `v${r.version} is already champion`,
    );
  });

registerDataCommands(program, { home: () => cfg().home });
registerDriftCommand(program);

function isoDate(s: string): string {
  if (!Number.isFinite(Date.parse(s)))
    throw new InvalidArgumentError('expected an ISO-8601 date, e.g. 2026-11-22 or 2026-11-22T00:00:00Z');
  return new Date(Date.parse(s)).toISOString();
}
function json(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    throw new InvalidArgumentError('expected JSON');
  }
}
function positiveInt(s: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

installCliRuntime();
program.parseAsync(process.argv).catch((err: unknown) => {
  const e = err as Error;
  console.error(
    e instanceof RunInProgressError || e.name === 'ConfigError' ? `error: ${e.message}` : (e.stack ?? String(e)),
  );
  process.exitCode = 1;
});
