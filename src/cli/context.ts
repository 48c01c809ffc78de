import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config/app-config';
import type { EnvConfig } from '../config/env-config';
import { assertTemporalReachable } from '../client/probe';

/**
 * What every command gets. The configuration is read and validated on first
 * use by a command's action (never for `--help`), then kept.
 */
export interface CliContext {
  /** The environment and the run-config defaults: for commands that run, train or judge. */
  config(): Promise<AppConfig>;
  /** The environment only (no run-config schemas to load): for commands that only look or ask. */
  environment(): Promise<EnvConfig>;
}

export function createCliContext(): CliContext {
  let config: Promise<AppConfig> | undefined;
  let environment: Promise<EnvConfig> | undefined;
  return {
    config: () => (config ??= import('../config/app-config.js').then((m) => m.loadAppConfig())),
    environment: () => (environment ??= import('../config/env-config.js').then((m) => m.loadEnvConfig())),
  };
}

/**
 * A Temporal client for one command. The address is probed before the SDK is
 * loaded, so a dead one is reported at once (TemporalUnreachableError).
 */
export async function withCliClient<T>(
  ctx: CliContext,
  work: (client: Client, cfg: EnvConfig) => Promise<T>,
): Promise<T> {
  const cfg = await ctx.environment();
  await assertTemporalReachable(cfg.temporalAddress);
  const { withClient } = await import('../client/connect.js');
  return withClient(cfg, (client) => work(client, cfg));
}
