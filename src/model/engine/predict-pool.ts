import type { Worker } from 'node:worker_threads';
import { startEngineWorker } from './engine-worker';
import type { Tree } from './tree';

/** One predictTrees call's work, shared by its threads (see predictTrees in predict-parallel.ts). */
export interface PredictJob {
  groups: Tree[][];
  bins: SharedArrayBuffer;
  nRows: number;
  nFeatures: number;
  scale: number;
  /** The next group to take, shared by every thread. */
  next: SharedArrayBuffer;
}

/** A job's partial sums by group, or why the worker could not take it. */
export type PredictReply = { id: number; partials: Map<number, Float64Array> } | { id: number; error: string };

interface PooledWorker {
  worker: Worker;
  pending: Map<number, { resolve: (p: Map<number, Float64Array>) => void; reject: (e: Error) => void }>;
}

/**
 * Prediction workers kept from one predictTrees call to the next. Booting one (its thread, the engine's
 * modules, the kernel's compile: 70–150 ms compiled on the 2-core Intel Xeon host, more under tsx) was
 * paid on every call, and a weekly run predicts on test_baseline twice, a backtest hundreds of times.
 * Each call posts its job to every pooled worker; a worker busy with another call's job finds that
 * job's groups taken when it gets to it and replies with none, so calls may overlap. A worker is
 * referenced while it owes a reply and unreferenced when idle: it never keeps a process alive. One that
 * fails is dropped, its pending jobs rejected, and the next call starts a new one.
 */
class PredictPool {
  private readonly workers: PooledWorker[] = [];
  private nextId = 1;

  /** The pooled workers' thread ids, oldest first. */
  get threadIds(): number[] {
    return this.workers.map((w) => w.worker.threadId);
  }

  /** Runs `job` on `count` pooled workers: each worker's partial sums (possibly none). */
  run(job: PredictJob, count: number): Promise<Map<number, Float64Array>>[] {
    while (this.workers.length < count) this.workers.push(this.start());
    return this.workers.slice(0, count).map((w) => {
      const id = this.nextId++;
      const reply = new Promise<Map<number, Float64Array>>((resolve, reject) => w.pending.set(id, { resolve, reject }));
      w.worker.ref();
      w.worker.postMessage({ id, job });
      return reply;
    });
  }

  private start(): PooledWorker {
    const w: PooledWorker = { worker: startEngineWorker('predict-worker', null), pending: new Map() };
    const settle = (id: number) => {
      const p = w.pending.get(id);
      w.pending.delete(id);
      if (w.pending.size === 0) w.worker.unref();
      return p;
    };
    w.worker.on('message', (m: PredictReply) => {
      const p = settle(m.id);
      if ('error' in m) p?.reject(new Error(`prediction worker: ${m.error}`));
      else p?.resolve(m.partials);
    });
    const fail = (e: Error) => {
      const i = this.workers.indexOf(w);
      if (i >= 0) this.workers.splice(i, 1);
      for (const id of [...w.pending.keys()]) settle(id)?.reject(e);
    };
    w.worker.on('error', fail);
    w.worker.on('exit', (code) => fail(new Error(`prediction worker exited with code ${code}`)));
    w.worker.unref();
    return w;
  }
}

let pool: PredictPool | null = null;

/** The process's prediction workers (started on first use). */
export function predictPool(): PredictPool {
  return (pool ??= new PredictPool());
}
