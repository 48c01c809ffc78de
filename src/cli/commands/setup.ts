import type { Command } from 'commander';
import type { CliContext } from '../context';

/** `bike-retrain setup`. */
export function registerSetupCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('setup')
    .description('one-time set-up: build or locate the Temporal CLI (dev server)')
    .action(async () => {
      const cfg = await ctx.environment();
      const { ensureTemporalCli } = await import('../../temporal/temporal-cli.js');
      const path = ensureTemporalCli((m) => console.log(m));
      console.log(`Temporal CLI: ${path}`);
      console.log(`Data folder:  ${cfg.home} (BIKE_RETRAIN_HOME)`);
    });
}
