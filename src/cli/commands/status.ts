import type { Command } from 'commander';
import { withCliClient, type CliContext } from '../context';

/** `bike-retrain status [workflowId]`. */
export function registerStatusCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('status [workflowId]')
    .description('current step and results so far of a run (default: the latest)')
    .action(async (workflowId?: string) =>
      withCliClient(ctx, async (client, cfg) => {
        const { latestWorkflowId, reportRun } = await import('../../client/status.js');
        const id = workflowId ?? (await latestWorkflowId(client));
        if (!id) return console.log('no monitorAndFineTune run yet');
        const [r, { webUiUrl }, { evaluationBlock, statusBlock }] = await Promise.all([
          reportRun(client, id),
          import('../../config/env-config.js'),
          import('../format.js'),
        ]);
        console.log(`${id} (run ${r.runId}): ${r.runStatus}`);
        if (r.kind === 'open') console.log(r.status ? statusBlock(r.status, r.runStatus) : r.note);
        else if (r.kind === 'completed')
          console.log(
            `decision ${r.result.decision} — ${r.result.reason}${r.result.evaluation ? `\n${evaluationBlock(r.result.evaluation)}` : ''}`,
          );
        else {
          console.log(`failed: ${r.failure}`);
          process.exitCode = 1; // a failed run is a failure where the user asked, as in scripts
        }
        console.log(`Web UI: ${webUiUrl(cfg, id, r.runId)}`);
      }),
    );
}
