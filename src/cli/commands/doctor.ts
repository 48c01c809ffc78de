import type { Command } from 'commander';
import type { CliContext } from '../context';
import { positiveInt } from '../options';

/** `bike-retrain doctor`: is this deployment ready for a weekly run? One line per check, exit 1 when one fails. */
export function registerDoctorCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('doctor')
    .description(
      'check the deployment: Temporal and its search attributes, the warehouse tables, the bucket or data folder, the champion',
    )
    .option('--timeout <seconds>', 'time limit of each check', positiveInt, 10)
    .option('--create-tables', 'gcp storage: create the BigQuery dataset and tables that are missing, then check')
    .action(async (o: { timeout: number; createTables?: boolean }) => {
      const cfg = await ctx.environment();
      if (o.createTables) {
        const { createMissingTables } = await import('../../doctor/create-tables.js');
        console.log(await createMissingTables(cfg));
      }
      const { runDoctor } = await import('../../doctor/run-doctor.js');
      const report = await runDoctor(cfg, { timeoutMs: o.timeout * 1000 });
      console.log(report.text);
      if (report.failed) process.exitCode = 1;
      // A check past its time limit may still hold a socket open (a blackholed address): the report is out, so go.
      setTimeout(() => process.exit(), 1000).unref();
    });
}
