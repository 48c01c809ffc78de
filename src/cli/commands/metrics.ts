import type { Command } from 'commander';
import type { CliContext } from '../context';

/** `bike-retrain metrics serve|show`: the domain metrics, from one process only (workers never serve them). */
export function registerMetricsCommand(program: Command, ctx: CliContext): Command {
  const metrics = program
    .command('metrics')
    .description('Prometheus metrics derived from the audit trail, the registry and Temporal visibility');
  metrics
    .command('serve')
    .description('serve GET /metrics at BIKE_RETRAIN_METRICS_ADDRESS (or --address) until interrupted')
    .option('--address <host:port>', 'listen here instead of BIKE_RETRAIN_METRICS_ADDRESS')
    .action(async (o: { address?: string }) => {
      const cfg = await ctx.config();
      const [{ ConfigError }, { listenAddress }] = await Promise.all([
        import('../../core/errors.js'),
        import('../../config/env-config.js'),
      ]);
      const address = o.address ?? cfg.metricsAddress;
      if (!address)
        throw new ConfigError(
          'no metrics address: set BIKE_RETRAIN_METRICS_ADDRESS (e.g. 127.0.0.1:9464) or pass --address host:port',
        );
      if (!listenAddress.safeParse(address).success)
        throw new ConfigError(`--address ${JSON.stringify(address)}: expected host:port, e.g. 127.0.0.1:9464`);
      const { serveMetrics } = await import('../../metrics/serve.js');
      await serveMetrics(cfg, address, (m) => console.error(m));
    });
  metrics
    .command('show')
    .description('print one scrape (Prometheus text format) and exit')
    .action(async () => {
      const cfg = await ctx.config();
      const { storageCollector } = await import('../../metrics/serve.js');
      const { collector, close } = await storageCollector(cfg);
      try {
        process.stdout.write((await collector.render()).body);
      } finally {
        await close();
      }
    });
  return metrics;
}
