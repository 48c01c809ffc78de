import { extname, join } from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { loadAppConfig, webUiUrl, type AppConfig } from './config/app-config';
import { ConfigError } from './core/errors';
import { ChampionRegistry, type RegistryDoc } from './registry/champion-registry';
import { openArtifactStore, openRegistryDocument, openWarehouse } from './storage';
import { openStorage, type OpenedStorage } from './storage/open-storage';

type DepsConfig = Pick<AppConfig, 'home' | 'env' | 'runDefaults'> &
  Partial<Pick<AppConfig, 'webhookUrl' | 'uiPort' | 'namespace'>>;

/** Storage and clock of a data folder, for activities (tests and backtest copies: always embedded). */
export function embeddedDeps(cfg: DepsConfig): ActivityDeps {
  return depsOn(
    {
      warehouse: openWarehouse(cfg.home),
      artifacts: openArtifactStore(cfg.home),
      registryDocument: <T>() => openRegistryDocument<T>(cfg.home),
    },
    cfg,
  );
}

/** The configured storage (BIKE_RETRAIN_STORAGE: embedded or gcp) and clock, for activities and commands. */
export async function storageDeps(cfg: DepsConfig & Pick<AppConfig, 'storage'>): Promise<ActivityDeps> {
  return depsOn(await openStorage(cfg), cfg);
}

function depsOn(s: Pick<OpenedStorage, 'warehouse' | 'artifacts' | 'registryDocument'>, cfg: DepsConfig): ActivityDeps {
  return {
    warehouse: s.warehouse,
    artifacts: s.artifacts,
    registry: new ChampionRegistry(s.registryDocument<RegistryDoc>(), s.artifacts),
    runDefaults: cfg.runDefaults,
    env: cfg.env,
    clock: () => new Date(),
    webhookUrl: cfg.webhookUrl,
    webUiBase: cfg.uiPort && cfg.namespace ? webUiUrl({ uiPort: cfg.uiPort, namespace: cfg.namespace }) : undefined,
  };
}

/** The workflow bundle's entry, next to this file: `.ts` under tsx and vitest, `.js` once compiled. */
export const workflowsPath = join(__dirname, 'workflows', `index${extname(__filename)}`);

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Tests pass a bundle built once; otherwise the worker bundles `workflowsPath`. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Tests wrap activities (fault injection). */
  wrapActivities?: (a: ReturnType<typeof createActivities>) => object;
}

export async function createWorker(o: CreateWorkerOptions): Promise<Worker> {
  const activities = createActivities(o.deps);
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    activities: o.wrapActivities ? o.wrapActivities(activities) : activities,
    ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : { workflowsPath }),
    // Training holds a worker for a while; two at once would halve each one's cores.
    maxConcurrentActivityTaskExecutions: 2,
  });
}

/**
 * What a worker process serves. `light`: the workflows and every step on the run's task queue.
 * `heavy`: training and evaluation only, on the heavy task queue, so they can run on bigger machines.
 */
export type WorkerQueue = 'light' | 'heavy';
export const WORKER_QUEUES: readonly WorkerQueue[] = ['light', 'heavy'];

export interface CreateWorkersOptions extends Omit<CreateWorkerOptions, 'taskQueue'> {
  taskQueue: string;
  heavyTaskQueue: string;
  queues: readonly WorkerQueue[];
}

/** One SDK worker per queue served, sharing the connection (and the process's storage handles). */
export async function createWorkers(o: CreateWorkersOptions): Promise<{ queue: string; worker: Worker }[]> {
  const out: { queue: string; worker: Worker }[] = [];
  if (o.queues.includes('light')) out.push({ queue: o.taskQueue, worker: await createWorker(o) });
  if (o.queues.includes('heavy') && o.heavyTaskQueue !== o.taskQueue) {
    const activities = createActivities(o.deps);
    // Activities only: the workflow itself stays on the light queue, whichever machine trains.
    const worker = await Worker.create({
      connection: o.connection,
      namespace: o.namespace,
      taskQueue: o.heavyTaskQueue,
      activities: o.wrapActivities ? o.wrapActivities(activities) : activities,
      // One training at a time: it uses every core it gets.
      maxConcurrentActivityTaskExecutions: 1,
    });
    out.push({ queue: o.heavyTaskQueue, worker });
  }
  return out;
}

/** Runs every worker until `work` settles, then shuts them all down. */
export async function runWorkersUntil<T>(workers: readonly { worker: Worker }[], work: Promise<T>): Promise<T> {
  return workers.reduce<Promise<T>>((inner, { worker }) => worker.runUntil(inner), work);
}

/** Parses `--queues light,heavy`. */
export function parseWorkerQueues(spec: string): WorkerQueue[] {
  const names = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !WORKER_QUEUES.includes(n as WorkerQueue));
  if (names.length === 0 || bad.length > 0)
    throw new ConfigError(`--queues: expected light, heavy or light,heavy; got "${spec}"`);
  return [...new Set(names as WorkerQueue[])];
}

/** `bike-retrain worker`: runs until interrupted. */
export async function runWorker(
  cfg: AppConfig = loadAppConfig(),
  queues: readonly WorkerQueue[] = WORKER_QUEUES,
): Promise<void> {
  const storage = await openStorage(cfg);
  const deps = depsOn(storage, cfg);
  const connection = await NativeConnection.connect({ address: cfg.temporalAddress });
  try {
    const workers = await createWorkers({
      connection,
      namespace: cfg.namespace,
      taskQueue: cfg.taskQueue,
      heavyTaskQueue: cfg.heavyTaskQueue,
      queues,
      deps,
    });
    const polled = workers.map((w) => `"${w.queue}"`).join(' and ');
    console.error(
      `worker polling task queue ${polled} at ${cfg.temporalAddress} (${storage.describe()}); Ctrl-C to stop`,
    );
    // Ctrl-C shuts every worker down (the SDK's runtime handles the signal); one failing stops the others.
    await Promise.all(workers.map(({ worker }) => worker.run())).catch((err: unknown) => {
      for (const { worker } of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      throw err;
    });
  } finally {
    await connection.close();
  }
}
