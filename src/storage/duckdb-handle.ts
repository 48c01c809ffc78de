import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/**
 * DuckDB allows one read-write process per database file. The worker, the
 * CLI (`audit`, `data import`) and tests are separate processes, so nothing
 * keeps the file open between operations: each operation opens it, works and
 * closes. Inside one process, concurrent operations share one instance
 * (ref-counted); across processes, a locked file is retried for a while.
 */
interface OpenInstance {
  instance: DuckDBInstance;
  users: number;
}

const open = new Map<string, Promise<OpenInstance>>();
const LOCK_RETRY_MS = 30_000;

export async function withDuckDb<T>(path: string, work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const handle = await acquire(path);
  const connection = await handle.instance.connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
    release(path, handle);
  }
}

async function acquire(path: string): Promise<OpenInstance> {
  let pending = open.get(path);
  if (!pending) {
    pending = openWithRetry(path).then((instance) => ({ instance, users: 0 }));
    open.set(path, pending);
    pending.catch(() => open.delete(path));
  }
  const handle = await pending;
  handle.users++;
  return handle;
}

function release(path: string, handle: OpenInstance): void {
  handle.users--;
  if (handle.users === 0) {
    open.delete(path);
    handle.instance.closeSync();
  }
}

async function openWithRetry(path: string): Promise<DuckDBInstance> {
  if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
  const deadline = Date.now() + LOCK_RETRY_MS;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    try {
      return await DuckDBInstance.create(path);
    } catch (err) {
      const locked = /lock/i.test(String((err as Error).message));
      if (!locked || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** SQL string literal for the few places DuckDB takes no parameter (COPY targets). */
export function sqlLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
