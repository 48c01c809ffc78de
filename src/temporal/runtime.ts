import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;

/**
 * The SDK logs every worker state change and the whole webpack report at
 * INFO; a person running the CLI wants warnings and errors only
 * (BIKE_RETRAIN_LOG_LEVEL=INFO brings them back). Installed once, before any
 * connection is made.
 */
export function installCliRuntime(
  level: LogLevel = (process.env.BIKE_RETRAIN_LOG_LEVEL as LogLevel | undefined) ?? 'WARN',
): void {
  if (installed) return;
  installed = true;
  Runtime.install({ logger: new DefaultLogger(level) });
}
