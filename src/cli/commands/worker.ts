import type { Command } from 'commander';
import type { CliContext } from '../context';

/** `bike-retrain worker`. */
export function registerWorkerCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('worker')
    .description('run a worker for the weekly workflow until interrupted')
    .option(
      '--queues <list>',
      'what to serve: light (the workflow and light steps), heavy (training and evaluation on BIKE_RETRAIN_HEAVY_TASK_QUEUE), or both',
      'light,heavy',
    )
    .action(async (o: { queues: string }) => {
      const cfg = await ctx.config();
      const [{ installCliRuntime }, { parseWorkerQueues, runWorker }] = await Promise.all([
        import('../../temporal/runtime.js'),
        import('../../worker.js'),
      ]);
      const queues = parseWorkerQueues(o.queues);
      installCliRuntime();
      await runWorker(cfg, queues);
    });
}
