import { BigQuery } from '@google-cloud/bigquery';
import { Storage } from '@google-cloud/storage';
import type { GcpStorageConfig } from '../config/storage-config';

/**
 * BigQuery and Cloud Storage clients for a gcp config. Credentials are the
 * libraries' Application Default Credentials; a custom endpoint (an emulator)
 * is used as given, and the libraries skip authentication for it.
 */
export function gcpClients(s: GcpStorageConfig): { bigquery: BigQuery; storage: Storage } {
  return {
    bigquery: new BigQuery({
      projectId: s.projectId,
      ...(s.location ? { location: s.location } : {}),
      ...(s.bigqueryEndpoint ? { apiEndpoint: s.bigqueryEndpoint } : {}),
    }),
    storage: new Storage({ projectId: s.projectId, ...(s.gcsEndpoint ? { apiEndpoint: s.gcsEndpoint } : {}) }),
  };
}
