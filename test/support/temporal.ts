import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  NativeConnection,
  type Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { inject } from 'vitest';
import type { ActivityDeps } from '../../src/activities';
import { installCliRuntime } from '../../src/temporal/runtime';
import { createWorker, workflowsPath, type CreateWorkerOptions } from '../../src/worker';

/** Connections and one workflow bundle per test file (bundling takes seconds). */
export interface TemporalTestContext {
  client: Client;
  nativeConnection: NativeConnection;
  bundle: WorkflowBundleWithSourceMap;
  close(): Promise<void>;
}

let bundlePromise: Promise<WorkflowBundleWithSourceMap> | undefined;

export async function connectTestTemporal(): Promise<TemporalTestContext> {
  // Test output stays readable: the SDK's INFO chatter (worker state changes) only with BIKE_RETRAIN_LOG_LEVEL=INFO.
  installCliRuntime();
  const address = inject('temporalAddress');
  bundlePromise ??= bundleWorkflowCode({ workflowsPath, logger: quietLogger() });
  const [connection, nativeConnection, bundle] = await Promise.all([
    Connection.connect({ address }),
    NativeConnection.connect({ address }),
    bundlePromise,
  ]);
  return {
    client: new Client({ connection, namespace: 'default' }),
    nativeConnection,
    bundle,
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

/** A task queue of its own for each test, so tests never steal each other's tasks. */
export function uniqueTaskQueue(name: string): string {
  return `test-${name}-${randomUUID().slice(0, 8)}`;
}

export async function testWorker(
  ctx: TemporalTestContext,
  taskQueue: string,
  deps: ActivityDeps,
  wrapActivities?: CreateWorkerOptions['wrapActivities'],
): Promise<Worker> {
  return createWorker({
    connection: ctx.nativeConnection,
    namespace: 'default',
    taskQueue,
    deps,
    workflowBundle: ctx.bundle,
    wrapActivities,
  });
}

function quietLogger() {
  const noop = () => undefined;
  return { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
}
