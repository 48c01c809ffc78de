import { join } from 'node:path';
import type { ArtifactStore } from './artifact-store';
import { DuckDbWarehouse } from './duckdb-warehouse';
import { LocalArtifactStore } from './local-artifact-store';
import type { Warehouse } from './warehouse';
import { LocalVersionedDocument, type VersionedDocumentStore } from './versioned-document';

export type { ArtifactStore } from './artifact-store';
export { ArtifactConflictError } from './artifact-store';
export { GcsArtifactStore, type GcsArtifactStoreOptions } from './gcs-artifact-store';
export { GcsVersionedDocument, type GcsVersionedDocumentOptions } from './gcs-versioned-document';
export type {
  Warehouse,
  CountConflict,
  CountWindowQuery,
  CountsSummary,
  InsertCountsOptions,
  InsertCountsResult,
} from './warehouse';
export { readCountsParquet, writeCountsParquet } from './count-parquet';
export {
  AUDIT_TABLE_SCHEMA,
  BigQueryWarehouse,
  COUNTS_TABLE_SCHEMA,
  createBigQueryTables,
  type BigQueryWarehouseOptions,
} from './bigquery-warehouse';

/** The embedded warehouse of a data folder (`BIKE_RETRAIN_HOME`). */
export function openWarehouse(home: string): Warehouse {
  return new DuckDbWarehouse(join(home, 'warehouse.duckdb'));
}

export function openArtifactStore(home: string): ArtifactStore {
  return new LocalArtifactStore(join(home, 'artifacts'));
}

/** The champion registry's document (compare-and-swap on a generation). */
export function openRegistryDocument<T>(home: string): VersionedDocumentStore<T> {
  return new LocalVersionedDocument<T>(join(home, 'artifacts', 'registry', 'registry.json'));
}
