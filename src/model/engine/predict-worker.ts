import { parentPort, workerData } from 'node:worker_threads';
import { addTreesPredictions } from './predict';
import type { Tree } from './tree';

/** A prediction worker: one partial sum per group of trees it is given, over the shared bins. */
interface Init {
  groups: Tree[][];
  bins: SharedArrayBuffer;
  nRows: number;
  nFeatures: number;
  scale: number;
}

const init = workerData as Init;
const cols = Array.from({ length: init.nFeatures }, (_, f) => new Uint8Array(init.bins, f * init.nRows, init.nRows));
const partials = init.groups.map((g) => {
  const out = new Float64Array(init.nRows);
  addTreesPredictions(g, cols, out, init.scale);
  return out;
});
parentPort!.postMessage(partials, partials.map((p) => p.buffer));
