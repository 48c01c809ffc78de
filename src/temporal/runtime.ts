import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { ConfigError } from '../core/errors';

const LOG_LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

let installed = false;

/**
 * The SDK logs every worker state change and the whole webpack report at
 * INFO; a person running the CLI wants warnings and errors only
 * (BIKE_RETRAIN_LOG_LEVEL=INFO brings them back). Installed once, before the
 * first worker or native connection: only the commands that create one (worker,
 * demo) call it, since `@temporalio/client` connections do not use the Runtime.
 */
export function installCliRuntime(level: string = process.env.BIKE_RETRAIN_LOG_LEVEL || 'WARN'): void {
  if (installed) return;
  const upper = level.toUpperCase() as LogLevel;
  // DefaultLogger takes an unknown level as "log everything".
  if (!LOG_LEVELS.includes(upper))
    throw new ConfigError(
      `BIKE_RETRAIN_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(level)}`,
    );
  installed = true;
  Runtime.install({ logger: new DefaultLogger(upper) });
}
