import { BigQuery } from '@google-cloud/bigquery';
import { Storage } from '@google-cloud/storage';
import type { GcpStorageConfig } from '../config/storage-config';

/**
 * BigQuery and Cloud Storage clients for a gcp config. Credentials are the
 * libraries' Application Default Credentials; a custom endpoint (an emulator)
 * is used as given, and the libraries skip authentication for it.
 */
export function gcpClients(s: GcpStorageConfig): { bigquery: BigQuery; storage: Storage } {
  const bigquery = new BigQuery({
    projectId: s.projectId,
    ...(s.location ? { location: s.location } : {}),
    ...(s.bigqueryEndpoint ? { apiEndpoint: s.bigqueryEndpoint } : {}),
  });
  if (s.bigqueryEndpoint) withRequestHeaders(bigquery);
  return {
    bigquery,
    storage: new Storage({ projectId: s.projectId, ...(s.gcsEndpoint ? { apiEndpoint: s.gcsEndpoint } : {}) }),
  };
}

type AuthenticatedRequest = (reqOpts: { headers?: Record<string, string> }, ...rest: unknown[]) => unknown;

/**
 * Without authentication (a custom endpoint) a load job's multipart upload
 * reaches teeny-request with no `headers` object, and teeny-request 10 throws
 * setting its Content-Type (`Cannot set properties of undefined`), outside any
 * promise: the load never ends. Authenticated requests always carry headers,
 * so production never meets this; an empty object is what they would start from.
 */
function withRequestHeaders(bigquery: BigQuery): void {
  const target = bigquery as unknown as { makeAuthenticatedRequest: AuthenticatedRequest };
  const original = target.makeAuthenticatedRequest;
  target.makeAuthenticatedRequest = (reqOpts, ...rest) =>
    original({ ...reqOpts, headers: { ...reqOpts.headers } }, ...rest);
}
