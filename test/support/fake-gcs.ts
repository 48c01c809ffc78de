import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Storage } from '@google-cloud/storage';
import { FAKE_GCS_SERVER, findGoTool } from '../../src/tools/go-tools';

/** A running fake-gcs-server (in memory) and a client that talks to it without credentials. */
export interface FakeGcs {
  storage: Storage;
  /** A bucket created for the caller. */
  bucket: string;
  apiEndpoint: string;
  /** From spawn to the first answered request. */
  startMs: number;
  /** Another empty bucket, so each test can have its own. */
  newBucket(): Promise<string>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;

/**
 * Starts fake-gcs-server (built once by `npm run setup`, never downloaded here)
 * on a free port. An `apiEndpoint` other than Google's makes the Storage
 * client skip authentication (`useAuthWithCustomEndpoint` defaults to false),
 * for JSON API calls and resumable uploads alike; `-external-url` makes the
 * emulator's resumable-upload session URLs point back at it.
 */
export async function startFakeGcs(): Promise<FakeGcs> {
  const binary = findGoTool(FAKE_GCS_SERVER);
  if (!binary)
    throw new Error(
      `${FAKE_GCS_SERVER.name} ${FAKE_GCS_SERVER.version} is not built: run \`npm run setup\` (or set ${FAKE_GCS_SERVER.envVar})`,
    );
  const port = await freePort();
  const apiEndpoint = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn(
    binary,
    [
      '-scheme',
      'http',
      '-backend',
      'memory',
      '-host',
      '127.0.0.1',
      '-port',
      String(port),
      '-external-url',
      apiEndpoint,
      '-log-level',
      'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  try {
    await waitUntilAnswering(apiEndpoint, child, () => stderr);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const startMs = performance.now() - t0;
  const storage = new Storage({ apiEndpoint, projectId: 'test' });
  const newBucket = async (): Promise<string> => {
    const name = `test-${randomUUID().slice(0, 13)}`;
    await storage.createBucket(name);
    return name;
  };
  return {
    storage,
    bucket: await newBucket(),
    apiEndpoint,
    startMs,
    newBucket,
    stop: () => stopChild(child),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`fake-gcs-server exited (${child.exitCode ?? child.signalCode}) before answering: ${stderr()}`);
    try {
      const res = await fetch(`${endpoint}/storage/v1/b?project=test`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`fake-gcs-server did not answer at ${endpoint} within ${READY_TIMEOUT_MS} ms: ${stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}
