import { parentPort, workerData } from 'node:worker_threads';
import { SeededRandom } from '../../stats/random';
import { bootstrapRows } from './bootstrap-rows';
import { treeSeed } from './ensemble';
import { growTree, type GrowOptions } from './grow-tree';

/**
 * A forest worker: the binned matrix and the target are SharedArrayBuffers
 * (no copy per worker); it grows the trees it is asked for and sends each
 * back as transferable typed arrays.
 */
interface Init {
  binned: SharedArrayBuffer;
  y: SharedArrayBuffer;
  nRows: number;
  nFeatures: number;
  grow: GrowOptions;
  seed: number;
}

const init = workerData as Init;
const binned = Array.from({ length: init.nFeatures }, (_, f) => new Uint8Array(init.binned, f * init.nRows, init.nRows));
const y = new Float64Array(init.y);
const w = new Float64Array(init.nRows);

parentPort!.on('message', (t: number) => {
  const rng = new SeededRandom(treeSeed(init.seed, t));
  const rows = bootstrapRows(init.nRows, rng, w);
  const tree = growTree(binned, y, w, rows, init.grow, rng);
  const arrays = [tree.feature, tree.threshold, tree.categorySet, tree.left, tree.right, tree.value, tree.categories];
  parentPort!.postMessage({ t, tree }, arrays.map((a) => a.buffer as ArrayBuffer));
});
