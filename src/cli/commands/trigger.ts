import type { Command } from 'commander';
import { MANUAL_WORKFLOW_ID } from '../../client/ids';
import type { MonitorInput } from '../../core/domain';
import { withCliClient, type CliContext } from '../context';
import { isoDate, json } from '../options';

/** `bike-retrain trigger`: a manual run. */
export function registerTriggerCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('trigger')
    .description(`start a run now (workflow id ${MANUAL_WORKFLOW_ID}; refused while one is in progress)`)
    .option('--force-fine-tune', 'fine-tune whatever drift and champion metrics say')
    .option('--test-mode', 'mark the run and any promoted model as a test')
    .option('--as-of <date>', 'look back from this instant (ISO-8601)', isoDate)
    .option('--overrides <json>', 'per-run threshold overrides, e.g. \'{"promotion":{"minBaselineR2":0.7}}\'', json)
    .option('--wait', 'wait for the run and print its result')
    .action(
      async (o: {
        forceFineTune?: boolean;
        testMode?: boolean;
        asOf?: string;
        overrides?: unknown;
        wait?: boolean;
      }) => {
        const input: MonitorInput = {
          forceFineTune: o.forceFineTune === true,
          testMode: o.testMode === true,
          triggerSource: 'manual',
        };
        if (o.asOf) input.asOf = o.asOf;
        if (o.overrides !== undefined) {
          // Checked here, before a run starts: a typo is an error where the command was typed, not a failed run.
          // (The workflow checks again, for `temporal workflow start`.)
          const [cfg, { resolveRunConfig }] = await Promise.all([ctx.config(), import('../../config/run-config.js')]);
          resolveRunConfig(cfg.runDefaults, o.overrides, '--overrides');
          input.overrides = o.overrides;
        }
        await withCliClient(ctx, async (client, cfg) => {
          const [{ triggerRun }, { webUiUrl }, { evaluationBlock }] = await Promise.all([
            import('../../client/triggers.js'),
            import('../../config/env-config.js'),
            import('../format.js'),
          ]);
          const run = await triggerRun(client, cfg, input);
          console.log(
            `started ${run.workflowId} (run ${run.runId})\nWeb UI: ${webUiUrl(cfg, run.workflowId, run.runId)}`,
          );
          if (o.wait) {
            const r = await run.result();
            console.log(`decision: ${r.decision} — ${r.reason}`);
            if (r.evaluation) console.log(evaluationBlock(r.evaluation));
          }
        });
      },
    );
}
