import type { Command } from 'commander';
import type { CliContext } from '../context';
import { positiveInt } from '../options';

/** `bike-retrain audit`: loads the warehouse (DuckDB or BigQuery) and nothing of Temporal. */
export function registerAuditCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('audit')
    .description('the audit trail: one row per run')
    .option('--last <n>', 'only the last N runs', positiveInt)
    .option('--json', 'JSON lines')
    .action(async (o: { last?: number; json?: boolean }) => {
      const cfg = await ctx.environment();
      const [{ openStorage }, { auditTable }] = await Promise.all([
        import('../../storage/open-storage.js'),
        import('../format.js'),
      ]);
      const { warehouse } = await openStorage(cfg);
      try {
        const rows = await warehouse.listAudit({ last: o.last });
        if (o.json) for (const r of rows) console.log(JSON.stringify(r));
        else console.log(rows.length ? auditTable(rows) : 'no audit rows yet');
      } finally {
        await warehouse.close();
      }
    });
}
