/**
 * A worker process as `bike-retrain worker` runs it once its Runtime serves the SDK's metrics:
 * `installWorkerRuntime(cfg)` (BIKE_RETRAIN_WORKER_METRICS_ADDRESS) before the first connection,
 * with the tests' small model sizes. Run: node --import tsx test/support/metrics-worker.ts
 */
import { NativeConnection } from '@temporalio/worker';
import { loadAppConfig } from '../../src/config/app-config';
import { installWorkerRuntime } from '../../src/temporal/runtime';
import { createWorker, embeddedDeps } from '../../src/worker';
import { TEST_RUN_CONFIG } from './world';

async function main(): Promise<void> {
  const cfg = loadAppConfig();
  installWorkerRuntime(cfg);
  const connection = await NativeConnection.connect({ address: cfg.temporalAddress });
  const worker = await createWorker({
    connection,
    namespace: cfg.namespace,
    taskQueue: cfg.taskQueue,
    deps: embeddedDeps({ ...cfg, runDefaults: TEST_RUN_CONFIG }),
  });
  console.error(`worker polling task queue "${cfg.taskQueue}" (pid ${process.pid})`);
  await worker.run();
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
