import { z } from 'zod';
import { ConfigError } from '../core/errors';

/**
 * Where the tables and artifacts live. `embedded` (the default): DuckDB and a
 * folder inside BIKE_RETRAIN_HOME. `gcp`: BigQuery tables and a Cloud Storage
 * bucket, authenticated by Application Default Credentials: the client
 * libraries find GOOGLE_APPLICATION_CREDENTIALS (or the metadata server)
 * themselves, so no credential ever passes through this config, a log or an error.
 */
export type StorageConfig = EmbeddedStorageConfig | GcpStorageConfig;

export interface EmbeddedStorageConfig {
  kind: 'embedded';
}

export interface GcpStorageConfig {
  kind: 'gcp';
  projectId: string;
  dataset: string;
  countsTable: string;
  auditTable: string;
  /** BigQuery location (e.g. `EU`); unset: the dataset's own. */
  location?: string;
  bucket: string;
  /** Key prefix inside the bucket: '' or ending with '/'. */
  prefix: string;
  /** Emulators or private endpoints only; production leaves them unset. */
  bigqueryEndpoint?: string;
  gcsEndpoint?: string;
}

export const DEFAULT_COUNTS_TABLE = 'comptage_velo';
/** The old DAG wrote `monitoring_audit.logs`; one dataset here, so the table says what it holds. */
export const DEFAULT_AUDIT_TABLE = 'monitoring_audit_logs';

const GCP_REQUIRED = ['BIKE_RETRAIN_GCP_PROJECT', 'BIKE_RETRAIN_BQ_DATASET', 'BIKE_RETRAIN_GCS_BUCKET'] as const;

// Names as BigQuery and Cloud Storage accept them; checked here so a typo fails at start, not mid-run.
const projectId = z
  .string()
  .regex(/^(?:[a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'expected a GCP project id like my-project-123');
const datasetName = z.string().regex(/^\w{1,1024}$/, 'expected a BigQuery dataset name (letters, digits, _)');
const tableName = z
  .string()
  .regex(/^[\w-]{1,1024}$/, 'expected a table name in BIKE_RETRAIN_BQ_DATASET (letters, digits, _ or -), no dataset.');
const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'expected a bucket name (lowercase letters, digits, ., _, -)');
const endpoint = z
  .url({ protocol: /^https?$/ })
  .refine((u) => !new URL(u).username && !new URL(u).password, { message: 'must not carry credentials' });

/** `VAR=` in a shell or an env file means unset, not an empty name. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const storageEnvSchema = z.object({
  BIKE_RETRAIN_STORAGE: optional(z.enum(['embedded', 'gcp'])),
  BIKE_RETRAIN_GCP_PROJECT: optional(projectId),
  BIKE_RETRAIN_BQ_DATASET: optional(datasetName),
  BIKE_RETRAIN_BQ_COUNTS_TABLE: optional(tableName),
  BIKE_RETRAIN_BQ_AUDIT_TABLE: optional(tableName),
  BIKE_RETRAIN_BQ_LOCATION: optional(
    z.string().regex(/^[A-Za-z0-9-]+$/, 'expected a BigQuery location like EU or europe-west1'),
  ),
  BIKE_RETRAIN_GCS_BUCKET: optional(bucketName),
  BIKE_RETRAIN_GCS_PREFIX: optional(
    z.string().regex(/^[^/\s]\S*$/, 'expected a key prefix without leading "/" or spaces, e.g. bike-retrain/'),
  ),
  BIKE_RETRAIN_BIGQUERY_ENDPOINT: optional(endpoint),
  BIKE_RETRAIN_GCS_ENDPOINT: optional(endpoint),
});

export type StorageEnv = z.infer<typeof storageEnvSchema>;

/** The storage part of a parsed environment; a gcp one missing variables names them all at once. */
export function storageConfigFrom(e: StorageEnv): StorageConfig {
  if (e.BIKE_RETRAIN_STORAGE !== 'gcp') return { kind: 'embedded' };
  const missing = GCP_REQUIRED.filter((k) => !e[k]);
  if (missing.length)
    throw new ConfigError(
      `BIKE_RETRAIN_STORAGE=gcp needs ${missing.join(', ')}: set ${missing.length > 1 ? 'them' : 'it'} (credentials come from Application Default Credentials, e.g. GOOGLE_APPLICATION_CREDENTIALS)`,
    );
  const rawPrefix = e.BIKE_RETRAIN_GCS_PREFIX ?? '';
  return {
    kind: 'gcp',
    projectId: e.BIKE_RETRAIN_GCP_PROJECT!,
    dataset: e.BIKE_RETRAIN_BQ_DATASET!,
    countsTable: e.BIKE_RETRAIN_BQ_COUNTS_TABLE ?? DEFAULT_COUNTS_TABLE,
    auditTable: e.BIKE_RETRAIN_BQ_AUDIT_TABLE ?? DEFAULT_AUDIT_TABLE,
    ...(e.BIKE_RETRAIN_BQ_LOCATION ? { location: e.BIKE_RETRAIN_BQ_LOCATION } : {}),
    bucket: e.BIKE_RETRAIN_GCS_BUCKET!,
    prefix: rawPrefix && !rawPrefix.endsWith('/') ? `${rawPrefix}/` : rawPrefix,
    ...(e.BIKE_RETRAIN_BIGQUERY_ENDPOINT ? { bigqueryEndpoint: stripSlash(e.BIKE_RETRAIN_BIGQUERY_ENDPOINT) } : {}),
    ...(e.BIKE_RETRAIN_GCS_ENDPOINT ? { gcsEndpoint: stripSlash(e.BIKE_RETRAIN_GCS_ENDPOINT) } : {}),
  };
}

/** How logs and `doctor` name the storage: names and endpoints' origins, never a credential. */
export function describeStorage(s: StorageConfig, home: string): string {
  if (s.kind === 'embedded') return `embedded storage in ${home} (DuckDB warehouse.duckdb, artifacts/)`;
  const bq = `BigQuery ${s.projectId}.${s.dataset} (counts ${s.countsTable}, audit ${s.auditTable}${s.location ? `, location ${s.location}` : ''})`;
  const gcs = `Cloud Storage gs://${s.bucket}/${s.prefix}`;
  const at = (u?: string) => (u ? ` at ${new URL(u).origin}` : '');
  return `${bq}${at(s.bigqueryEndpoint)}, ${gcs}${at(s.gcsEndpoint)}`;
}

function stripSlash(u: string): string {
  return u.replace(/\/+$/, '');
}
