import { describe, expect, it } from 'vitest';
import { loadEnvConfig } from '../../../src/config/env-config';
import { openStorage } from '../../../src/storage/open-storage';

describe('openStorage (BIKE_RETRAIN_STORAGE)', () => {
  it('embedded: the data folder, as before', async () => {
    const s = await openStorage(loadEnvConfig({ BIKE_RETRAIN_HOME: '/data/bike' }));
    expect(s.kind).toBe('embedded');
    expect(s.artifacts.uriFor('models/x.brf')).toBe('file:///data/bike/artifacts/models/x.brf');
    expect(s.registryDocument().location).toBe('/data/bike/artifacts/registry/registry.json');
    expect(s.describe()).toBe('embedded storage in /data/bike (DuckDB warehouse.duckdb, artifacts/)');
  });

  it('gcp: artifacts and the registry under the bucket prefix, tables named, no I/O to open', async () => {
    const s = await openStorage(
      loadEnvConfig({
        BIKE_RETRAIN_HOME: '/data/bike',
        BIKE_RETRAIN_STORAGE: 'gcp',
        BIKE_RETRAIN_GCP_PROJECT: 'velo-prod-123',
        BIKE_RETRAIN_BQ_DATASET: 'velo',
        BIKE_RETRAIN_GCS_BUCKET: 'velo-artifacts',
        BIKE_RETRAIN_GCS_PREFIX: 'bike-retrain',
      }),
    );
    expect(s.kind).toBe('gcp');
    expect(s.artifacts.uriFor('models/x.brf')).toBe('gs://velo-artifacts/bike-retrain/models/x.brf');
    expect(s.registryDocument().location).toBe('gs://velo-artifacts/bike-retrain/registry/registry.json');
    expect(s.warehouse.source().name).toContain('velo-prod-123.velo.comptage_velo');
    expect(s.describe()).toBe(
      'BigQuery velo-prod-123.velo (counts comptage_velo, audit monitoring_audit_logs), Cloud Storage gs://velo-artifacts/bike-retrain/',
    );
  });
});
