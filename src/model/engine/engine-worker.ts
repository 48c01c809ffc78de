import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Starts one of the engine's worker scripts (tree, prediction, histogram helper)
 * beside this file. From TypeScript sources (tsx, vitest) the worker first
 * registers tsx's require hook, since Node 20 does not pass --import loaders
 * on to workers (about 35 ms a worker); compiled .js runs as is.
 */
export function startEngineWorker(
  name: 'tree-worker' | 'predict-worker' | 'histogram-worker' | 'boosting-helper-worker',
  workerData: unknown,
): Worker {
  const file = join(__dirname, `${name}${extname(__filename)}`);
  return file.endsWith('.ts')
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData })
    : new Worker(file, { workerData });
}

/** A copy of a typed array on shared memory: workers then see it without a copy of their own. */
export function shareArray<T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(a: T): T {
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}
