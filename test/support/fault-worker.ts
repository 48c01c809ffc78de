/**
 * A worker process for the fault suite: `bike-retrain worker` (same config,
 * same data folder, same task queue from the environment) with one fault
 * injected through createWorker's activity wrapper, so a kill -9 lands
 * inside an activity however fast it is. BIKE_RETRAIN_FAULT:
 *   hang-after:NAME  the first attempt of activity NAME does its work, then
 *                    waits (heartbeating) until the process is killed: the
 *                    retry on another worker must find the work done.
 * Run: node --import tsx test/support/fault-worker.ts
 */
import { Context } from '@temporalio/activity';
import { NativeConnection } from '@temporalio/worker';
import { loadAppConfig } from '../../src/config/app-config';
import { installCliRuntime } from '../../src/temporal/runtime';
import { createWorker, embeddedDeps } from '../../src/worker';
import { TEST_RUN_CONFIG } from './world';

async function main(): Promise<void> {
  const cfg = loadAppConfig();
  const [kind, name] = (process.env.BIKE_RETRAIN_FAULT ?? '').split(':');
  if (kind !== 'hang-after' || !name) throw new Error(`BIKE_RETRAIN_FAULT: expected hang-after:ACTIVITY`);
  installCliRuntime();
  const connection = await NativeConnection.connect({ address: cfg.temporalAddress });
  const worker = await createWorker({
    connection,
    namespace: cfg.namespace,
    taskQueue: cfg.taskQueue,
    deps: embeddedDeps({ ...cfg, runDefaults: TEST_RUN_CONFIG }),
    wrapActivities: (activities) => ({
      ...activities,
      [name]: async (...args: unknown[]) => {
        const fn = (activities as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name];
        const result = await fn(...args);
        if (Context.current().info.attempt > 1) return result;
        console.error(`fault: ${name} done, hanging until killed`);
        for (;;) await Context.current().sleep(1_000);
      },
    }),
  });
  console.error(`worker polling task queue "${cfg.taskQueue}" (pid ${process.pid})`);
  await worker.run();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
