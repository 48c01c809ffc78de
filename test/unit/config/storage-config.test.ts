import { describe, expect, it } from 'vitest';
import { loadEnvConfig } from '../../../src/config/env-config';
import { describeStorage } from '../../../src/config/storage-config';
import { ConfigError } from '../../../src/core/errors';

const GCP = {
  BIKE_RETRAIN_STORAGE: 'gcp',
  BIKE_RETRAIN_GCP_PROJECT: 'velo-prod-123',
  BIKE_RETRAIN_BQ_DATASET: 'velo',
  BIKE_RETRAIN_GCS_BUCKET: 'velo-artifacts',
};

function configError(env: NodeJS.ProcessEnv): Error {
  try {
    loadEnvConfig(env);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a ConfigError');
}

describe('storage config (BIKE_RETRAIN_STORAGE)', () => {
  it('is embedded by default, whatever GCP variables are around', () => {
    expect(loadEnvConfig({}).storage).toEqual({ kind: 'embedded' });
    expect(loadEnvConfig({ BIKE_RETRAIN_GCS_BUCKET: 'x-y-z' }).storage).toEqual({ kind: 'embedded' });
  });

  it('gcp: defaults for the table names, the prefix ends with "/", endpoints lose a trailing "/"', () => {
    const s = loadEnvConfig({
      ...GCP,
      BIKE_RETRAIN_GCS_PREFIX: 'bike-retrain',
      BIKE_RETRAIN_BQ_LOCATION: 'EU',
      BIKE_RETRAIN_BIGQUERY_ENDPOINT: 'http://127.0.0.1:9050/',
      BIKE_RETRAIN_GCS_ENDPOINT: 'http://127.0.0.1:4443',
    }).storage;
    expect(s).toEqual({
      kind: 'gcp',
      projectId: 'velo-prod-123',
      dataset: 'velo',
      countsTable: 'comptage_velo',
      auditTable: 'monitoring_audit_logs',
      location: 'EU',
      bucket: 'velo-artifacts',
      prefix: 'bike-retrain/',
      bigqueryEndpoint: 'http://127.0.0.1:9050',
      gcsEndpoint: 'http://127.0.0.1:4443',
    });
    expect(loadEnvConfig(GCP).storage).toMatchObject({ prefix: '' });
  });

  it('gcp without its required variables: one ConfigError naming every missing one', () => {
    const err = configError({ BIKE_RETRAIN_STORAGE: 'gcp' });
    expect(err).toBeInstanceOf(ConfigError);
    for (const v of ['BIKE_RETRAIN_GCP_PROJECT', 'BIKE_RETRAIN_BQ_DATASET', 'BIKE_RETRAIN_GCS_BUCKET'])
      expect(err.message).toContain(v);
    expect(configError({ ...GCP, BIKE_RETRAIN_BQ_DATASET: '' }).message).toMatch(
      /needs BIKE_RETRAIN_BQ_DATASET: set it/,
    );
  });

  it.each([
    ['BIKE_RETRAIN_STORAGE', 'bigquery'],
    ['BIKE_RETRAIN_BQ_AUDIT_TABLE', 'monitoring_audit.logs'],
    ['BIKE_RETRAIN_BQ_COUNTS_TABLE', 'x; DROP TABLE y'],
    ['BIKE_RETRAIN_GCS_BUCKET', 'gs://velo'],
    ['BIKE_RETRAIN_GCP_PROJECT', 'My Project'],
    ['BIKE_RETRAIN_GCS_PREFIX', '/abs'],
  ])('refuses %s=%j at start, naming the variable', (name, value) => {
    const err = configError({ ...GCP, [name]: value });
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(name);
  });

  it('refuses an endpoint carrying credentials without echoing them', () => {
    const err = configError({ ...GCP, BIKE_RETRAIN_GCS_ENDPOINT: 'https://user:s3cr3t-pa55@gcs.example.com' });
    expect(err.message).toContain('BIKE_RETRAIN_GCS_ENDPOINT');
    expect(err.message).not.toContain('s3cr3t-pa55');
  });

  it('describes the storage by names and endpoint origins only', () => {
    const cfg = loadEnvConfig({
      ...GCP,
      BIKE_RETRAIN_BIGQUERY_ENDPOINT: 'http://127.0.0.1:9050/some/path?key=abc',
    });
    const text = describeStorage(cfg.storage, cfg.home);
    expect(text).toBe(
      'BigQuery velo-prod-123.velo (counts comptage_velo, audit monitoring_audit_logs) at http://127.0.0.1:9050, Cloud Storage gs://velo-artifacts/',
    );
    expect(describeStorage({ kind: 'embedded' }, '/data')).toContain('embedded storage in /data');
  });
});
