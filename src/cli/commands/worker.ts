import type { Command } from 'commander';
import type { CliContext } from '../context';

/** `bike-retrain worker`. */
export function registerWorkerCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('worker')
    .description('run a worker for the weekly workflow until interrupted')
    .action(async () => {
      const cfg = await ctx.config();
      const [{ installCliRuntime }, { runWorker }] = await Promise.all([
        import('../../temporal/runtime.js'),
        import('../../worker.js'),
      ]);
      installCliRuntime();
      await runWorker(cfg);
    });
}
