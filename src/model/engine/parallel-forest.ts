import { startEngineWorker } from './engine-worker';
import type { FitOptions } from '../regressor';
import type { PackedRows } from './binning';
import type { GrowOptions } from './grow-tree';
import type { Tree } from './tree';

/**
 * Grows trees 0..nTrees-1 on `threads` workers over one shared row-major
 * binned matrix. Tree t depends only on (seed, t), so the forest is the same
 * whatever the number of threads or the order trees finish in. The main
 * thread only dispatches, so heartbeats and cancellation get through.
 */
export async function growTreesInParallel(
  packed: PackedRows,
  y: Float64Array,
  weight: Float64Array | null,
  grow: GrowOptions,
  seed: number,
  nTrees: number,
  threads: number,
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
  const workerData = {
    bins: packed.bins.buffer,
    y: sharedY,
    weight: sharedWeight,
    nRows,
    stride: packed.stride,
    grow,
    seed,
  };
  const workers = Array.from({ length: Math.min(threads, nTrees) }, () => startEngineWorker('tree-worker', workerData));
  const trees: Tree[] = new Array(nTrees);
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new Error('training cancelled'));
      o.signal?.addEventListener('abort', onAbort, { once: true });
      for (const worker of workers) {
        worker.on('error', reject);
        worker.on('message', (msg: { t: number; tree: Tree }) => {
          trees[msg.t] = msg.tree;
          done++;
          o.onProgress?.({ done, total: nTrees, unit: 'trees' });
          if (next < nTrees) worker.postMessage(next++);
          if (done === nTrees) resolve();
        });
        if (next < nTrees) worker.postMessage(next++);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return trees;
}
