import { join } from 'node:path';
import type { EnvConfig } from '../config/env-config';
import { ConfigError } from '../core/errors';
import { createBigQueryTables } from '../storage/bigquery-warehouse';
import { gcpClients } from '../storage/gcp-clients';

/** `doctor --create-tables`: the dataset and both tables, created when missing (idempotent). */
export async function createMissingTables(cfg: Pick<EnvConfig, 'home' | 'storage'>): Promise<string> {
  const s = cfg.storage;
  if (s.kind !== 'gcp')
    throw new ConfigError('--create-tables is for BIKE_RETRAIN_STORAGE=gcp: the embedded warehouse creates its own');
  await createBigQueryTables({
    bigquery: gcpClients(s).bigquery,
    projectId: s.projectId,
    dataset: s.dataset,
    countsTable: s.countsTable,
    auditTable: s.auditTable,
    ...(s.location ? { location: s.location } : {}),
    scratchDir: join(cfg.home, 'bigquery-scratch'),
  });
  return `tables ${s.projectId}.${s.dataset}.${s.countsTable} and .${s.auditTable} are there`;
}
