import type { Command } from 'commander';
import type { CliContext } from '../context';
import { instant } from '../options';

/** `bike-retrain evaluate`: any registered model (or artifact) on a warehouse window, as the backtest scores it. */
export function registerEvaluateCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('evaluate')
    .description('RMSE, MAE, R² and rows of a model on a warehouse window [from, to)')
    .option('--model <model>', 'champion, previous_champion, vN or an artifact URI', 'champion')
    .requiredOption('--from <date>', 'window start (ISO-8601, inclusive)', instant)
    .requiredOption('--to <date>', 'window end (ISO-8601, exclusive)', instant)
    .option('--json', 'one JSON object')
    .action(async (o: { model: string; from: number; to: number; json?: boolean }) => {
      const cfg = await ctx.config();
      const [{ storageDeps }, { evaluateModelOnWindow, resolveModelSpec }, { metricsLine }] = await Promise.all([
        import('../../worker.js'),
        import('../../champion/evaluate-model.js'),
        import('../format.js'),
      ]);
      const deps = await storageDeps(cfg);
      const model = await resolveModelSpec(deps.registry, o.model);
      const window = { fromMs: o.from, toMs: o.to };
      const metrics = await evaluateModelOnWindow(deps, model.modelUri, window);
      const from = new Date(o.from).toISOString();
      const to = new Date(o.to).toISOString();
      if (o.json) console.log(JSON.stringify({ model: o.model, ...model, from, to, ...metrics }));
      else
        console.log(
          `${model.version !== null ? `v${model.version}` : model.modelUri} on [${from}, ${to}): ${metricsLine(metrics)}`,
        );
    });
}
