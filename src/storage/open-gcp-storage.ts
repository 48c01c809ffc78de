import { join } from 'node:path';
import { describeStorage, type GcpStorageConfig } from '../config/storage-config';
import { BigQueryWarehouse } from './bigquery-warehouse';
import { gcpClients } from './gcp-clients';
import { GcsArtifactStore } from './gcs-artifact-store';
import { GcsVersionedDocument } from './gcs-versioned-document';
import type { OpenedStorage } from './opened-storage';

/** Registry document key under the prefix: where the embedded store keeps it under artifacts/. */
export const REGISTRY_KEY = 'registry/registry.json';

/** BigQuery tables and a Cloud Storage bucket; local caches and scratch files stay in the data folder. */
export function openGcpStorage(s: GcpStorageConfig, home: string): OpenedStorage {
  const { bigquery, storage } = gcpClients(s);
  return {
    kind: 'gcp',
    warehouse: new BigQueryWarehouse({
      bigquery,
      projectId: s.projectId,
      dataset: s.dataset,
      countsTable: s.countsTable,
      auditTable: s.auditTable,
      ...(s.location ? { location: s.location } : {}),
      scratchDir: join(home, 'bigquery-scratch'),
    }),
    artifacts: new GcsArtifactStore({ storage, bucket: s.bucket, prefix: s.prefix, cacheDir: join(home, 'gcs-cache') }),
    registryDocument: <T>() =>
      new GcsVersionedDocument<T>({ storage, bucket: s.bucket, key: `${s.prefix}${REGISTRY_KEY}` }),
    describe: () => describeStorage(s, home),
  };
}
