import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config/app-config';
import { assertTemporalReachable } from '../client/probe';

/**
 * What every command gets. The configuration is read and validated on first
 * use by a command's action (never for `--help`), then kept.
 */
export interface CliContext {
  config(): Promise<AppConfig>;
}

export function createCliContext(): CliContext {
  let config: Promise<AppConfig> | undefined;
  return {
    config: () => (config ??= import('../config/app-config.js').then((m) => m.loadAppConfig())),
  };
}

/**
 * A Temporal client for one command. The address is probed before the SDK is
 * loaded, so a dead one is reported at once (TemporalUnreachableError).
 */
export async function withCliClient<T>(
  ctx: CliContext,
  work: (client: Client, cfg: AppConfig) => Promise<T>,
): Promise<T> {
  const cfg = await ctx.config();
  await assertTemporalReachable(cfg.temporalAddress);
  const { withClient } = await import('../client/connect.js');
  return withClient(cfg, (client) => work(client, cfg));
}
