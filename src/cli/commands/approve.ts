import type { Command } from 'commander';
import { withCliClient, type CliContext } from '../context';

/** `bike-retrain approve|reject <workflowId>`: the decision on a deploy waiting for approval. */
export function registerApprovalCommands(program: Command, ctx: CliContext): void {
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
        withCliClient(ctx, async (client) => {
          const { approvalUpdate } = await import('../../workflows/definitions.js');
          const r = await client.workflow
            .getHandle(workflowId)
            .executeUpdate(approvalUpdate, { args: [{ approved, by: o.by, reason: o.reason }] });
          console.log(`${workflowId}: deploy ${r.decision} by ${o.by}`);
        }),
      );
  }
}
