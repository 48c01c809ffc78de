import { randomUUID } from 'node:crypto';
import type { BigQuery } from '@google-cloud/bigquery';
import type { Storage } from '@google-cloud/storage';
import type { GcpStorageConfig } from '../config/storage-config';
import { gcpClients } from '../storage/gcp-clients';
import { CheckFailed, errorText, ok, type Check } from './check';

const BQ_ROLES = 'roles/bigquery.dataEditor on the dataset and roles/bigquery.jobUser on the project';
const ADC =
  'check the Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, or `gcloud auth application-default login`) and the network path to Google';

/** Refused (403): a missing role. No HTTP answer or 401: the credentials, or the way there. */
function accessFix(err: unknown, grant: string): string {
  return httpCode(err) === 403
    ? grant
    : `${ADC}; the account needs ${grant.replace(/^grant the worker's service account /, '')}`;
}

/**
 * Each table is present, readable (a query) and writable (a DML statement
 * that matches no row: it needs the same permissions as a real write and
 * changes nothing); the bucket is present, listable, and takes a probe
 * object that is deleted at once.
 */
export function gcpChecks(s: GcpStorageConfig): Check[] {
  const { bigquery, storage } = gcpClients(s);
  return [
    tableCheck(bigquery, s, 'counts', s.countsTable),
    tableCheck(bigquery, s, 'audit', s.auditTable),
    bucketCheck(storage, s),
  ];
}

function tableCheck(bigquery: BigQuery, s: GcpStorageConfig, role: string, table: string): Check {
  const id = `${s.projectId}.${s.dataset}.${table}`;
  const denied = (what: string, err: unknown) =>
    new CheckFailed(
      `${what} ${id}: ${errorText(err)}`,
      accessFix(err, `grant the worker's service account ${BQ_ROLES} (${s.projectId}:${s.dataset})`),
    );
  return {
    name: `${role} table`,
    async run() {
      try {
        await bigquery.dataset(s.dataset, { projectId: s.projectId }).table(table).getMetadata();
      } catch (err) {
        if (httpCode(err) === 404)
          throw new CheckFailed(
            `${id} not found`,
            `create it with the application's schema: \`bike-retrain doctor --create-tables\` (or fix BIKE_RETRAIN_BQ_DATASET / BIKE_RETRAIN_BQ_${role.toUpperCase()}_TABLE)`,
          );
        throw denied('cannot read the metadata of', err);
      }
      const query = async (sql: string) => {
        const [job] = await bigquery.createQueryJob({ query: sql, ...(s.location ? { location: s.location } : {}) });
        await job.getQueryResults({ maxResults: 1 });
      };
      await query(`SELECT 1 FROM \`${id}\` LIMIT 1`).catch((err: unknown) => {
        throw denied('cannot read', err);
      });
      await query(`DELETE FROM \`${id}\` WHERE FALSE`).catch((err: unknown) => {
        throw denied('cannot write to', err);
      });
      return ok(`${id} present, readable, writable`);
    },
  };
}

function bucketCheck(storage: Storage, s: GcpStorageConfig): Check {
  const where = `gs://${s.bucket}/${s.prefix}`;
  const denied = (what: string, err: unknown) =>
    new CheckFailed(
      `cannot ${what} ${where}: ${errorText(err)}`,
      accessFix(err, `grant the worker's service account roles/storage.objectAdmin on gs://${s.bucket}`),
    );
  return {
    name: 'bucket',
    async run() {
      const bucket = storage.bucket(s.bucket);
      let exists: boolean;
      try {
        [exists] = await bucket.exists();
      } catch (err) {
        throw denied('look up', err);
      }
      if (!exists)
        throw new CheckFailed(
          `gs://${s.bucket} not found`,
          `create it (\`gcloud storage buckets create gs://${s.bucket}\`) or fix BIKE_RETRAIN_GCS_BUCKET`,
        );
      await bucket.getFiles({ prefix: s.prefix, maxResults: 1, autoPaginate: false }).catch((err: unknown) => {
        throw denied('list', err);
      });
      const probe = bucket.file(`${s.prefix}doctor/probe-${randomUUID()}`);
      await probe.save('doctor probe', { resumable: false }).catch((err: unknown) => {
        throw denied('write to', err);
      });
      await probe.delete().catch((err: unknown) => {
        throw denied('delete from', err);
      });
      return ok(`${where} present, readable, writable`);
    },
  };
}

function httpCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}
