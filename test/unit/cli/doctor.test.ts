import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttp2Server } from 'node:http2';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, STACK_FRAME } from '../../support/cli';
import { makeTmpHome } from '../../support/tmp-home';

/**
 * `bike-retrain doctor` on deployments broken in ways that need no server:
 * nothing answers at TEMPORAL_ADDRESS here, so each test also sees the
 * Temporal check fail (and the search-attribute check skipped) while the
 * others still answer. Deployments with a server and emulators:
 * test/integration/doctor.test.ts.
 */
const { home: root, cleanup } = makeTmpHome('bike-retrain-doctor-');
afterAll(cleanup);

let deadAddress: string;
beforeAll(async () => {
  deadAddress = `127.0.0.1:${await closedPort()}`;
});

const doctor = (home: string, env: Record<string, string> = {}, args: string[] = []) =>
  runCli(home, ['doctor', '--timeout', '8', ...args], { TEMPORAL_ADDRESS: deadAddress, ...env });

describe('bike-retrain doctor (no server)', () => {
  it('no Temporal server: FAIL with the fix, the search attributes skipped, the other checks still run, exit 1', async () => {
    const r = await doctor(join(root, 'missing'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL  Temporal: no Temporal server at ${deadAddress} (connection refused)`);
    expect(r.stdout).toContain('fix: start it (`bike-retrain server` starts a dev server) or point TEMPORAL_ADDRESS');
    expect(r.stdout).toContain('skip  search attributes: not checked: see the Temporal check');
    expect(r.stdout).toMatch(/FAIL {2}data folder: .*missing does not exist/);
    expect(r.stdout).toMatch(
      /FAIL {2}champion: no champion in .*registry\.json\n {6}fix: `bike-retrain train-champion`/,
    );
    expect(r.stdout).toMatch(/4 of 5 checks failed$/m);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('an address that answers HTTP/2 but is no Temporal frontend: FAIL saying so', async () => {
    const server = http2NotFoundServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address();
    const address = `127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
    try {
      const r = await doctor(root, { TEMPORAL_ADDRESS: address });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`FAIL  Temporal: ${address} answers, but not as a Temporal frontend: `);
      expect(r.stdout).toContain("fix: point TEMPORAL_ADDRESS at the Temporal frontend's gRPC address");
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('a data folder that is a file', async () => {
    const file = join(root, 'not-a-folder');
    writeFileSync(file, 'x');
    const r = await doctor(file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `FAIL  data folder: ${file} is a file, not a folder\n      fix: point BIKE_RETRAIN_HOME at a folder`,
    );
  });

  // Read-only for real, root included (CI runs as root, so chmod would not stop it): sysfs takes no new
  // files from anyone (EACCES, or EROFS where /sys is mounted read-only).
  it('a read-only data folder', async () => {
    const r = await doctor('/sys/kernel');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /FAIL {2}data folder: \/sys\/kernel is not writable \((permission denied|read-only file system)\)\n {6}fix: make it writable by this user, or point BIKE_RETRAIN_HOME at a writable folder/,
    );
  });

  describe('secrets', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const keyBody = pem.split('\n')[5];
    const credentials = join(root, 'sa.json');
    const webhook = 'https://hooks.slack.com/services/T000/B000/doctor-webhook-secret-token';
    let env: Record<string, string>;
    beforeAll(async () => {
      // A real-looking service-account key; the client libraries ignore its token_uri, so every request
      // (token included) goes through a proxy that is a closed local port: nothing leaves the machine.
      const proxy = `http://127.0.0.1:${await closedPort()}`;
      writeFileSync(
        credentials,
        JSON.stringify({
          type: 'service_account',
          project_id: 'velo-prod-123',
          private_key_id: 'doctor-private-key-id-0123456789',
          private_key: pem,
          client_email: 'worker@velo-prod-123.iam.gserviceaccount.com',
          client_id: '1234567890',
        }),
      );
      env = {
        GOOGLE_APPLICATION_CREDENTIALS: credentials,
        BIKE_RETRAIN_WEBHOOK_URL: webhook,
        HTTPS_PROXY: proxy,
        https_proxy: proxy,
        NO_PROXY: '',
        no_proxy: '',
      };
    });
    const secretsIn = (text: string) =>
      [keyBody, 'doctor-private-key-id', 'doctor-webhook-secret-token', 'PRIVATE KEY'].filter((s) => text.includes(s));

    it('gcp without its variables: one error naming every missing one, no stack, no secret', async () => {
      const r = await doctor(root, { ...env, BIKE_RETRAIN_STORAGE: 'gcp' });
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(
        'error: BIKE_RETRAIN_STORAGE=gcp needs BIKE_RETRAIN_GCP_PROJECT, BIKE_RETRAIN_BQ_DATASET, BIKE_RETRAIN_GCS_BUCKET: set them (credentials come from Application Default Credentials, e.g. GOOGLE_APPLICATION_CREDENTIALS)',
      );
      expect(secretsIn(r.stdout + r.stderr)).toEqual([]);
    });

    it('gcp whose credentials cannot get a token: every storage check fails naming the credentials, no secret printed', async () => {
      const dataHome = join(root, 'gcp-cache');
      mkdirSync(dataHome, { recursive: true });
      const r = await doctor(
        dataHome,
        {
          ...env,
          BIKE_RETRAIN_STORAGE: 'gcp',
          BIKE_RETRAIN_GCP_PROJECT: 'velo-prod-123',
          BIKE_RETRAIN_BQ_DATASET: 'velo',
          BIKE_RETRAIN_GCS_BUCKET: 'velo-artifacts',
        },
        ['--timeout', '20'],
      );
      expect(r.code).toBe(1);
      for (const name of ['counts table', 'audit table', 'bucket', 'champion'])
        expect(r.stdout).toMatch(new RegExp(`^FAIL {2}${name}: `, 'm'));
      expect(r.stdout).toContain('oauth2.googleapis.com/token failed, reason: connect ECONNREFUSED');
      expect(r.stdout).toContain('check the Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS');
      expect(r.stdout).toContain('roles/bigquery.dataEditor on the dataset and roles/bigquery.jobUser');
      expect(r.stdout).toContain('roles/storage.objectAdmin on gs://velo-artifacts');
      expect(secretsIn(r.stdout + r.stderr)).toEqual([]);
      expect(r.stderr).not.toMatch(STACK_FRAME);
    });
  });
});

/** A plaintext HTTP/2 server answering 404 to everything (what a proxy or another service would). */
function http2NotFoundServer() {
  return createHttp2Server((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
}

/** A port nothing listens on (taken, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}
