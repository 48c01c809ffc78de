import { BigQuery, type BigQueryOptions } from '@google-cloud/bigquery';
import { Storage } from '@google-cloud/storage';
import type { GcpStorageConfig } from '../config/storage-config';

/**
 * BigQuery and Cloud Storage clients for a gcp config. Credentials are the
 * libraries' Application Default Credentials, found by the libraries
 * themselves; a custom endpoint (an emulator) is used as given, and the
 * libraries send it no credentials.
 */
export function gcpClients(s: GcpStorageConfig): { bigquery: BigQuery; storage: Storage } {
  const bigquery = new BigQuery({
    projectId: s.projectId,
    ...(s.location ? { location: s.location } : {}),
    // An emulator answers a deterministic error with a 500 (e.g. "dataset … is already created", a 409 on
    // BigQuery), which the client would retry for ~16 s: no retries there.
    ...(s.bigqueryEndpoint ? { apiEndpoint: s.bigqueryEndpoint, authClient: NO_CREDENTIALS, autoRetry: false } : {}),
  });
  return {
    bigquery,
    storage: new Storage({ projectId: s.projectId, ...(s.gcsEndpoint ? { apiEndpoint: s.gcsEndpoint } : {}) }),
  };
}

/**
 * For a custom BigQuery endpoint, an auth client that adds no header (what
 * google-auth-library's PassThroughClient does). Without one, the client
 * probes for Application Default Credentials (the metadata server), and a load
 * job's multipart upload reaches teeny-request 10 with no headers object:
 * it throws setting Content-Type, outside any promise, and the load never ends.
 */
const NO_CREDENTIALS = {
  getRequestHeaders: async () => new Headers(),
} as unknown as BigQueryOptions['authClient'];
