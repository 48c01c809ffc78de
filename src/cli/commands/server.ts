import type { Command } from 'commander';
import type { CliContext } from '../context';

/** `bike-retrain server [start|stop]`. */
export function registerServerCommand(program: Command, ctx: CliContext): Command {
  const server = program.command('server').description('the Temporal dev server (Web UI on :8233)');
  server
    .command('start', { isDefault: true })
    .description('use the server at TEMPORAL_ADDRESS, or start the dev server in the background')
    .action(async () => {
      const cfg = await ctx.config();
      const { ensureServer } = await import('../../temporal/dev-server.js');
      const s = await ensureServer(cfg, (m) => console.log(m));
      console.log(`${s.origin === 'started' ? 'Started' : 'Using'} Temporal at ${s.address}; Web UI ${s.uiUrl}`);
    });
  server
    .command('stop')
    .description('stop the dev server started from this data folder')
    .action(async () => {
      const cfg = await ctx.config();
      const { stopServer } = await import('../../temporal/dev-server.js');
      console.log(stopServer(cfg) ? 'stopped' : 'no dev server started from this data folder is running');
    });
  return server;
}
