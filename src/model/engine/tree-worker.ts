import { parentPort } from 'node:worker_threads';
import { packedRowsOn } from './binning';
import { forestStats, growForestTree } from './ensemble';
import { GrowWorkspace } from './grow-tree';
import type { TreeWorkerInit } from './parallel-forest';

/**
 * A forest worker: its first message holds the binned matrix (packRows) and
 * the target as SharedArrayBuffers (no copy per worker); each later one is a
 * tree index. It grows the trees it is asked for, reusing one workspace, and
 * sends each back. (Started before the rows exist: see TreeWorkers.)
 */
interface Grower {
  init: TreeWorkerInit;
  ws: GrowWorkspace;
  y: Float64Array;
  weight: Float64Array | null;
  stats: Float32Array;
}

let grower: Grower | null = null;

parentPort!.on('message', (msg: TreeWorkerInit | number) => {
  if (typeof msg !== 'number') {
    const packed = packedRowsOn(msg.bins, msg.nRows, msg.stride);
    const weight = msg.weight ? new Float64Array(msg.weight) : null;
    const ws = GrowWorkspace.forForest(packed, msg.grow);
    grower = { init: msg, ws, y: new Float64Array(msg.y), weight, stats: forestStats(ws, msg.nRows) };
    return;
  }
  const g = grower!;
  const tree = growForestTree(g.ws, g.y, g.weight, g.stats, g.init.grow, g.init.seed, msg);
  // The tree's arrays live on shared memory (TreeBuilder.finish): posting shares them, no copy.
  parentPort!.postMessage({ t: msg, tree });
});
