import type { Worker } from 'node:worker_threads';
import { startEngineWorker } from './engine-worker';
import type { FitOptions } from '../regressor';
import type { PackedRows } from './binning';
import type { GrowOptions } from './grow-tree';
import type { Tree } from './tree';

/** What a tree worker is sent first: the shared rows and the growth options (see tree-worker.ts). */
export interface TreeWorkerInit {
  bins: SharedArrayBuffer;
  y: SharedArrayBuffer;
  /** Sample weights (then `grow.weighted`), or null. */
  weight: SharedArrayBuffer | null;
  nRows: number;
  stride: number;
  grow: GrowOptions;
  seed: number;
}

/**
 * Forest workers, started before the rows are binned: a worker takes 0.1–0.2 s
 * to boot (tsx's hook and the engine's modules), which then overlaps the
 * binning on the main thread instead of following it. They get their rows in
 * a first message (`grow`) and must be ended with `terminate`.
 */
export class TreeWorkers {
  private readonly workers: Worker[];
  /** An error a worker raised before `grow` listened (e.g. while booting). */
  private failure: Error | null = null;

  constructor(count: number) {
    this.workers = Array.from({ length: count }, () => {
      const w = startEngineWorker('tree-worker', null);
      w.on('error', (e: Error) => (this.failure ??= e));
      return w;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Grows trees 0..nTrees-1 over one shared row-major binned matrix. Tree t
   * depends only on (seed, t), so the forest is the same whatever the number
   * of threads or the order trees finish in. The main thread only
   * dispatches, so heartbeats and cancellation get through.
   */
  async grow(
    packed: PackedRows,
    y: Float64Array,
    weight: Float64Array | null,
    grow: GrowOptions,
    seed: number,
    nTrees: number,
    o: FitOptions,
  ): Promise<Tree[]> {
    const nRows = y.length;
    const sharedY = new SharedArrayBuffer(nRows * 8);
    new Float64Array(sharedY).set(y);
    let sharedWeight: SharedArrayBuffer | null = null;
    if (weight) {
      sharedWeight = new SharedArrayBuffer(nRows * 8);
      new Float64Array(sharedWeight).set(weight);
    }
    const init: TreeWorkerInit = {
      bins: packed.bins.buffer as SharedArrayBuffer,
      y: sharedY,
      weight: sharedWeight,
      nRows,
      stride: packed.stride,
      grow,
      seed,
    };
    const trees: Tree[] = new Array(nTrees);
    let next = 0;
    let done = 0;
    await new Promise<void>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const onAbort = () => reject(new Error('training cancelled'));
      o.signal?.addEventListener('abort', onAbort, { once: true });
      for (const worker of this.workers) {
        worker.on('error', reject);
        worker.on('message', (msg: { t: number; tree: Tree }) => {
          trees[msg.t] = msg.tree;
          done++;
          o.onProgress?.({ done, total: nTrees, unit: 'trees' });
          if (next < nTrees) worker.postMessage(next++);
          if (done === nTrees) resolve();
        });
        worker.postMessage(init);
        if (next < nTrees) worker.postMessage(next++);
      }
    });
    return trees;
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
