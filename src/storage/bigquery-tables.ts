import type { BigQuery, TableField, TableMetadata } from '@google-cloud/bigquery';
import { ConfigError } from '../core/errors';
import { RAW } from './count-columns-sql';

/** Where the BigQuery warehouse lives; the same options build the warehouse and create its tables. */
export interface BigQueryWarehouseOptions {
  bigquery: BigQuery;
  projectId: string;
  dataset: string;
  /** The raw hourly counts (the replaced system's `comptage_velo`). */
  countsTable: string;
  auditTable: string;
  /** The dataset's location (e.g. "EU"); jobs run there. */
  location?: string;
  /** A local folder for the files on their way in (load jobs) and out (Parquet exports). */
  scratchDir: string;
}

/**
 * The raw counts table: the Paris open-data export's columns, snake_cased as in
 * the production table. The key (counter id, hour) and the count are typed and
 * are what this application reads and writes; the descriptive columns are kept
 * (nullable) so rows loaded by other tools from the full export fit the same
 * table. Partitioned by day and clustered by counter: every query here filters
 * a time window.
 */
export const COUNTS_TABLE_SCHEMA: TableField[] = [
  { name: RAW.counterId, type: 'STRING', mode: 'REQUIRED', description: 'Identifiant du compteur' },
  { name: RAW.counterName, type: 'STRING', description: 'Nom du compteur' },
  { name: RAW.siteId, type: 'STRING', description: 'Identifiant du site de comptage' },
  { name: 'nom_du_site_de_comptage', type: 'STRING', description: 'Nom du site de comptage' },
  { name: RAW.count, type: 'FLOAT64', description: 'Comptage horaire' },
  { name: RAW.timestamp, type: 'TIMESTAMP', mode: 'REQUIRED', description: 'Date et heure de comptage' },
  {
    name: 'date_d_installation_du_site_de_comptage',
    type: 'DATE',
    description: "Date d'installation du site de comptage",
  },
  { name: 'lien_vers_photo_du_site_de_comptage', type: 'STRING', description: 'Lien vers photo du site de comptage' },
  { name: RAW.lat, type: 'FLOAT64', description: 'Coordonnées géographiques (latitude)' },
  { name: RAW.lon, type: 'FLOAT64', description: 'Coordonnées géographiques (longitude)' },
  { name: 'identifiant_technique_compteur', type: 'STRING', description: 'Identifiant technique compteur' },
  { name: 'mois_annee_comptage', type: 'STRING', description: 'mois_annee_comptage' },
];

/**
 * One row per (workflow id, run id). A few columns typed for ad-hoc queries in
 * the console; `row_json` holds the whole AuditRow, which is what `listAudit`
 * returns. `audit_job_id` is the query job that wrote the row: how a retried
 * write knows whether it was the one that landed.
 */
export const AUDIT_TABLE_SCHEMA: TableField[] = [
  { name: 'workflow_id', type: 'STRING', mode: 'REQUIRED' },
  { name: 'run_id', type: 'STRING', mode: 'REQUIRED' },
  { name: 'started_at', type: 'TIMESTAMP' },
  { name: 'finished_at', type: 'TIMESTAMP' },
  { name: 'as_of', type: 'TIMESTAMP' },
  { name: 'trigger_source', type: 'STRING' },
  { name: 'forced', type: 'BOOL' },
  { name: 'test_mode', type: 'BOOL' },
  { name: 'drift_detected', type: 'BOOL' },
  { name: 'drift_share', type: 'FLOAT64' },
  { name: 'trigger_rule', type: 'STRING' },
  { name: 'fine_tune_triggered', type: 'BOOL' },
  { name: 'decision', type: 'STRING', mode: 'REQUIRED' },
  { name: 'promoted', type: 'BOOL' },
  { name: 'error', type: 'STRING' },
  { name: 'row_json', type: 'STRING', mode: 'REQUIRED' },
  { name: 'audit_job_id', type: 'STRING', mode: 'REQUIRED' },
];

const COUNTS_TABLE_LAYOUT: TableMetadata = {
  timePartitioning: { type: 'DAY', field: RAW.timestamp },
  clustering: { fields: [RAW.counterId] },
};

/**
 * The production set-up, idempotent: creates the dataset and both tables when
 * missing; existing tables are checked for the columns this application uses.
 */
export async function createBigQueryTables(o: BigQueryWarehouseOptions): Promise<void> {
  assertBigQueryNames(o);
  const dataset = o.bigquery.dataset(o.dataset, { projectId: o.projectId, location: o.location });
  await ignoreAlreadyExists(dataset.create({ location: o.location }));
  await ensureTable(o, o.countsTable, { schema: { fields: COUNTS_TABLE_SCHEMA }, ...COUNTS_TABLE_LAYOUT });
  await ensureTable(o, o.auditTable, {
    schema: { fields: AUDIT_TABLE_SCHEMA },
    clustering: { fields: ['workflow_id', 'run_id'] },
  });
}

async function ensureTable(o: BigQueryWarehouseOptions, name: string, metadata: TableMetadata): Promise<void> {
  const table = o.bigquery.dataset(o.dataset, { projectId: o.projectId, location: o.location }).table(name);
  const created = await ignoreAlreadyExists(table.create(metadata));
  if (created) return;
  const [existing] = await table.getMetadata();
  const have = new Set(((existing as TableMetadata).schema?.fields ?? []).map((f) => f.name));
  const missing = (metadata.schema?.fields ?? []).filter((f) => f.mode === 'REQUIRED' && !have.has(f.name ?? ''));
  if (missing.length > 0)
    throw new ConfigError(
      `BigQuery table ${o.projectId}.${o.dataset}.${name} exists without the column(s) ` +
        `${missing.map((f) => f.name).join(', ')}: add them or point the configuration at another table`,
    );
}

/** true when created, false when it was already there. */
async function ignoreAlreadyExists(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 409 || /already (exists|created)/i.test(String((err as Error).message)))
      return false;
    throw err;
  }
}

/**
 * Table and dataset names end up in SQL text (identifiers cannot be query
 * parameters), so only plain names pass.
 */
export function assertBigQueryNames(
  o: Pick<BigQueryWarehouseOptions, 'projectId' | 'dataset' | 'countsTable' | 'auditTable'>,
): void {
  const checks: [string, string, RegExp, string][] = [
    [
      'projectId',
      o.projectId,
      /^[a-z][a-z0-9-]{4,61}[a-z0-9]$|^[a-z0-9.-]+:[a-z][a-z0-9-]{4,61}[a-z0-9]$/,
      'a GCP project id',
    ],
    ['dataset', o.dataset, /^[A-Za-z0-9_]{1,1024}$/, 'letters, digits and underscores'],
    ['countsTable', o.countsTable, /^[A-Za-z0-9_-]{1,1024}$/, 'letters, digits, "_" and "-"'],
    ['auditTable', o.auditTable, /^[A-Za-z0-9_-]{1,1024}$/, 'letters, digits, "_" and "-"'],
  ];
  for (const [option, value, pattern, expected] of checks)
    if (!pattern.test(value))
      throw new ConfigError(`BigQuery ${option} ${JSON.stringify(value)} is not valid: expected ${expected}`);
}
