import { Option, type Command } from 'commander';
import { openDataStorage, type DataCommandContext } from '../data-storage';

const SEASONS = ['lockdown-reopening', 'summer-holidays', 'growth', 'stable'] as const;

/**
 * `bike-retrain data season NAME [--scale tiny|small|full]`: loads a simulated
 * season (src/data/seasons.ts) into an empty data folder, baseline sets
 * included, and prints the backtest that replays its weekly runs: the way the
 * README's backtest tables are reproduced with the CLI.
 */
export function registerDataSeasonCommand(data: Command, ctx: DataCommandContext): void {
  data
    .command('season')
    .description('load a simulated season (its whole history and baseline sets) into an empty data folder')
    .addArgument(data.createArgument('<name>', 'the season').choices(SEASONS))
    .addOption(
      new Option('--scale <scale>', 'tiny: 6 counters, small: 20, full: 75 (≈660K baseline rows)')
        .choices(['tiny', 'small', 'full'])
        .default('small'),
    )
    .action(async (name: (typeof SEASONS)[number], o: { scale: 'tiny' | 'small' | 'full' }) => {
      const { ensureSeason } = await import('../../data/season-world.js');
      const home = await ctx.home();
      const { warehouse, artifacts } = await openDataStorage(ctx);
      try {
        const world = await ensureSeason(
          { warehouse, artifacts, clock: () => new Date() },
          { season: name, scale: o.scale },
          (m) => console.log(m),
        );
        const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
        if (!world.created) console.log(`season ${name} (${o.scale}) is already in ${home}`);
        console.log(
          `next: bike-retrain train-champion, then bike-retrain backtest --from ${day(world.asOfs[0])} --to ${day(world.asOfs[world.asOfs.length - 1])}`,
        );
      } finally {
        await warehouse.close();
      }
    });
}
