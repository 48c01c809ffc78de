import { parentPort, workerData } from 'node:worker_threads';
import { packedRowsOn } from './binning';
import { growForestTree } from './ensemble';
import { GrowWorkspace, type GrowOptions } from './grow-tree';

/**
 * A forest worker: the binned matrix (packRows) and the target are
 * SharedArrayBuffers (no copy per worker); it grows the trees it is asked
 * for, reusing one workspace, and sends each back.
 */
interface Init {
  bins: SharedArrayBuffer;
  y: SharedArrayBuffer;
  /** Sample weights (then `grow.weighted`), or null. */
  weight: SharedArrayBuffer | null;
  nRows: number;
  stride: number;
  grow: GrowOptions;
  seed: number;
}

const init = workerData as Init;
const packed = packedRowsOn(init.bins, init.nRows, init.stride);
const y = new Float64Array(init.y);
const ws = new GrowWorkspace(packed, init.grow);
const weight = init.weight ? new Float64Array(init.weight) : null;
const stats = new Float32Array((weight ? 3 : 2) * init.nRows);

parentPort!.on('message', (t: number) => {
  const tree = growForestTree(ws, y, weight, stats, init.grow, init.seed, t);
  // The tree's arrays live on shared memory (TreeBuilder.finish): posting shares them, no copy.
  parentPort!.postMessage({ t, tree });
});
