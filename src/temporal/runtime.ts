import { DefaultLogger, Runtime, type LogLevel, type RuntimeOptions } from '@temporalio/worker';
import { ConfigError } from '../core/errors';

const LOG_LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/** The SDK metrics address the Runtime was installed with ('' for none), or null before install. */
let installedMetrics: string | null = null;

/**
 * The SDK logs every worker state change and the whole webpack report at
 * INFO; a person running the CLI wants warnings and errors only
 * (BIKE_RETRAIN_LOG_LEVEL=INFO brings them back). Installed once, before the
 * first worker or native connection: only the commands that create one (worker,
 * demo) call it, since `@temporalio/client` connections do not use the Runtime.
 */
export function installCliRuntime(level: string = process.env.BIKE_RETRAIN_LOG_LEVEL || 'WARN'): void {
  install(level, '');
}

/**
 * The Runtime of a process that runs workers: the CLI's logging and, when
 * `workerMetricsAddress` (BIKE_RETRAIN_WORKER_METRICS_ADDRESS) is set, the
 * SDK's Prometheus exporter on it (task latencies, activity failures,
 * schedule-to-start, …, at `/metrics`). Off by default: each worker on a
 * machine needs its own port, and the domain metrics come from
 * `bike-retrain metrics serve`, not from workers.
 */
export function installWorkerRuntime(
  cfg: { workerMetricsAddress?: string },
  level: string = process.env.BIKE_RETRAIN_LOG_LEVEL || 'WARN',
): void {
  install(level, cfg.workerMetricsAddress ?? '');
}

/** The SDK's Prometheus exporter: durations in seconds and `_total` counters, as Prometheus names them. */
export function sdkMetricsTelemetry(bindAddress: string): NonNullable<RuntimeOptions['telemetryOptions']> {
  return {
    metrics: {
      prometheus: { bindAddress, countersTotalSuffix: true, useSecondsForDurations: true, unitSuffix: true },
    },
  };
}

function install(level: string, metricsAddress: string): void {
  if (installedMetrics !== null) {
    // One Runtime per process: a second install cannot add or move the exporter, so asking for it is a bug.
    if (metricsAddress && metricsAddress !== installedMetrics)
      throw new ConfigError(
        `the Temporal Runtime is already installed ${installedMetrics ? `with SDK metrics on ${installedMetrics}` : 'without SDK metrics'}; install it once, before the first worker, with BIKE_RETRAIN_WORKER_METRICS_ADDRESS=${metricsAddress}`,
      );
    return;
  }
  const upper = level.toUpperCase() as LogLevel;
  // DefaultLogger takes an unknown level as "log everything".
  if (!LOG_LEVELS.includes(upper))
    throw new ConfigError(
      `BIKE_RETRAIN_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(level)}`,
    );
  Runtime.install({
    logger: new DefaultLogger(upper),
    ...(metricsAddress ? { telemetryOptions: sdkMetricsTelemetry(metricsAddress) } : {}),
  });
  installedMetrics = metricsAddress;
}
