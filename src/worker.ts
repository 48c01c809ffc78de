import { extname, join } from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { loadAppConfig, webUiUrl, type AppConfig } from './config/app-config';
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

/** `bike-retrain worker`: runs until interrupted. */
export async function runWorker(cfg: AppConfig = loadAppConfig()): Promise<void> {
  const storage = await openStorage(cfg);
  const deps = depsOn(storage, cfg);
  const connection = await NativeConnection.connect({ address: cfg.temporalAddress });
  try {
    const worker = await createWorker({
      connection,
      namespace: cfg.namespace,
      taskQueue: cfg.taskQueue,
      deps,
    });
    console.error(
      `worker polling task queue "${cfg.taskQueue}" at ${cfg.temporalAddress} (${storage.describe()}); Ctrl-C to stop`,
    );
    await worker.run();
  } finally {
    await connection.close();
  }
}
