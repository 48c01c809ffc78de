import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ActivityDeps } from '../../src/activities';
import { loadEnvConfig } from '../../src/config/env-config';
import type { GcpStorageConfig } from '../../src/config/storage-config';
import { createBigQueryTables } from '../../src/storage/bigquery-warehouse';
import { storageDeps } from '../../src/worker';
import { startBigQueryEmulator, type BigQueryEmulator } from './bigquery-emulator';
import { startFakeGcs, type FakeGcs } from './fake-gcs';
import { makeTmpHome } from './tmp-home';
import { TEST_RUN_CONFIG } from './world';

/**
 * A deployment on BIKE_RETRAIN_STORAGE=gcp: the BigQuery emulator and
 * fake-gcs-server (both built by `npm run setup`), its tables created, a
 * bucket, and the environment a spawned CLI or a worker reads it from.
 */
export interface GcpDeployment {
  /** The data folder: only GCP's local caches and scratch files. */
  home: string;
  storage: GcpStorageConfig;
  /** BIKE_RETRAIN_* variables for a spawned `bike-retrain`. */
  env: Record<string, string>;
  bq: BigQueryEmulator;
  gcs: FakeGcs;
  /** Activity deps on this storage, through the same factory the worker uses. */
  deps(): Promise<ActivityDeps>;
  stop(): Promise<void>;
}

export async function startGcpDeployment(): Promise<GcpDeployment> {
  const [bq, gcs] = await Promise.all([startBigQueryEmulator(), startFakeGcs()]);
  const { home, cleanup } = makeTmpHome('bike-retrain-gcp-');
  mkdirSync(home, { recursive: true });
  const env = {
    BIKE_RETRAIN_STORAGE: 'gcp',
    BIKE_RETRAIN_GCP_PROJECT: bq.projectId,
    // Not the emulator's own dataset: createBigQueryTables creates this one, as on a new project.
    BIKE_RETRAIN_BQ_DATASET: 'velo',
    BIKE_RETRAIN_GCS_BUCKET: gcs.bucket,
    BIKE_RETRAIN_GCS_PREFIX: 'bike-retrain/',
    BIKE_RETRAIN_BIGQUERY_ENDPOINT: bq.apiEndpoint,
    BIKE_RETRAIN_GCS_ENDPOINT: gcs.apiEndpoint,
  };
  // The same validation a deployment goes through.
  const storage = loadEnvConfig({ ...env, BIKE_RETRAIN_HOME: home }).storage as GcpStorageConfig;
  const stop = async () => {
    await Promise.all([bq.stop(), gcs.stop()]);
    cleanup();
  };
  try {
    await createBigQueryTables({
      bigquery: bq.bigquery,
      projectId: storage.projectId,
      dataset: storage.dataset,
      countsTable: storage.countsTable,
      auditTable: storage.auditTable,
      scratchDir: join(home, 'bigquery-scratch'),
    });
  } catch (err) {
    await stop(); // no emulator outlives a failed start
    throw err;
  }
  return {
    home,
    storage,
    env,
    bq,
    gcs,
    deps: () => storageDeps({ home, storage, env: 'test', runDefaults: TEST_RUN_CONFIG }),
    stop,
  };
}
