import { parentPort, workerData } from 'node:worker_threads';
import { addTreesPredictions } from './predict';
import type { Tree } from './tree';

/** A prediction worker: its share of the trees over the shared bins; sends back its partial sums. */
interface Init {
  trees: Tree[];
  bins: SharedArrayBuffer;
  nRows: number;
  nFeatures: number;
  scale: number;
}

const init = workerData as Init;
const cols = Array.from({ length: init.nFeatures }, (_, f) => new Uint8Array(init.bins, f * init.nRows, init.nRows));
const out = new Float64Array(init.nRows);
addTreesPredictions(init.trees, cols, out, init.scale);
parentPort!.postMessage(out, [out.buffer]);
