import { Option, type Command } from 'commander';
import type { CliContext } from '../context';
import { positiveInt } from '../options';

/** `bike-retrain train-champion`: the quarterly full retrain. */
export function registerTrainChampionCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('train-champion')
    .description(
      'full retrain: train on train_baseline, evaluate on test_baseline, register as champion (the quarterly job)',
    )
    .addOption(new Option('--model-type <type>', 'random forest or gradient-boosted trees').choices(['rf', 'gbt']))
    .option('--trees <n>', 'trees (rf) or boosting rounds (gbt)', positiveInt)
    .option('--max-depth <d>', 'maximum tree depth', positiveInt)
    .action(async (o: { modelType?: 'rf' | 'gbt'; trees?: number; maxDepth?: number }) => {
      const cfg = await ctx.config();
      const [{ fullRetrainParams }, { trainChampionFromBaseline }, { storageDeps }, { trainingProgress }] =
        await Promise.all([
          import('../../config/run-config.js'),
          import('../../champion/train-champion.js'),
          import('../../worker.js'),
          import('../progress.js'),
        ]);
      const { metricsLine } = await import('../format.js');
      // The full retrain's own sizes (MODEL_SIZES.fullRetrain), not the weekly fine-tune's.
      const params = fullRetrainParams(cfg.runDefaults, {
        modelType: o.modelType,
        nEstimators: o.trees,
        maxDepth: o.maxDepth,
      });
      const bar = trainingProgress(`Training ${params.modelType}`);
      const r = await trainChampionFromBaseline(await storageDeps(cfg), params, { onProgress: bar.onProgress }).finally(
        () => bar.stop(),
      );
      console.log(
        `champion v${r.version}: ${params.modelType}, ${r.trainRows} rows in ${r.trainSeconds.toFixed(1)} s; test_baseline ${metricsLine(r.testBaseline)}\n${r.modelUri}`,
      );
    });
}
