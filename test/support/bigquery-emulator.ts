import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { BigQuery, type BigQueryOptions } from '@google-cloud/bigquery';
import { BIGQUERY_EMULATOR, findGoTool } from '../../src/tools/go-tools';

/** A running goccy/bigquery-emulator (in-memory SQLite), one per test file. */
export interface BigQueryEmulator {
  bigquery: BigQuery;
  projectId: string;
  dataset: string;
  apiEndpoint: string;
  /** Milliseconds from spawn to the first answered API call. */
  startMs: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/**
 * The emulator takes no credentials. With only `apiEndpoint` set, the client
 * looks for Application Default Credentials (a metadata-server probe), finds
 * none and sends requests without headers: plain calls work, but a load job's
 * multipart upload then crashes inside teeny-request (it sets Content-Type on
 * the missing headers object). An auth client that adds no header (what
 * google-auth-library's PassThroughClient does; that package is only a
 * transitive dependency here) fixes both.
 */
const NO_CREDENTIALS = {
  getRequestHeaders: async () => new Headers(),
} as unknown as BigQueryOptions['authClient'];

/**
 * Starts the emulator built by `npm run setup` (never downloaded here). Missing
 * binary: fails with the command that builds it.
 */
export async function startBigQueryEmulator(
  o: { projectId?: string; dataset?: string } = {},
): Promise<BigQueryEmulator> {
  const binary = findGoTool(BIGQUERY_EMULATOR);
  if (!binary)
    throw new Error(
      `${BIGQUERY_EMULATOR.name} ${BIGQUERY_EMULATOR.version} is not built: run \`npm run setup\` ` +
        `(or set ${BIGQUERY_EMULATOR.envVar} to an existing binary)`,
    );
  const projectId = o.projectId ?? 'bike-retrain-test';
  const dataset = o.dataset ?? 'bike_retrain';
  const [port, grpcPort] = await Promise.all([freePort(), freePort()]);
  const started = Date.now();
  const child = spawn(
    binary,
    [
      `--project=${projectId}`,
      `--dataset=${dataset}`,
      `--port=${port}`,
      `--grpc-port=${grpcPort}`,
      '--log-level=error',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const apiEndpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(`${apiEndpoint}/bigquery/v2/projects/${projectId}/datasets`, child, () => output);
  } catch (err) {
    await stopChild(child, exited);
    throw err;
  }
  const startMs = Date.now() - started;
  const bigquery = new BigQuery({
    projectId,
    apiEndpoint,
    // A failing call surfaces at once instead of after the client's backoff.
    autoRetry: false,
    authClient: NO_CREDENTIALS,
  });
  return { bigquery, projectId, dataset, apiEndpoint, startMs, stop: () => stopChild(child, exited) };
}

async function waitUntilAnswering(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`bigquery-emulator exited with code ${child.exitCode} before answering:\n${output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline)
      throw new Error(`bigquery-emulator did not answer ${url} within ${READY_TIMEOUT_MS} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
