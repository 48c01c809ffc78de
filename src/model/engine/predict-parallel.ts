import { availableParallelism } from 'node:os';
import { startEngineWorker } from './engine-worker';
import { addTreesPredictions } from './predict';
import { nodeCount, type Tree } from './tree';

/** Below this many row × tree visits, a worker's start (~20–40 ms) costs more than it saves. */
const PARALLEL_MIN_WORK = 2_000_000;

/**
 * Σ scale × tree(row) over every tree, on every core: the trees are split
 * into `threads` shares of about equal size; the main thread walks one while
 * workers walk the others over the same bins (shared memory, as are trees
 * from TreeBuilder and loaded artifacts), and the partial sums are added.
 */
export async function predictTrees(trees: readonly Tree[], cols: readonly Uint8Array[], nRows: number, scale: number, threads = availableParallelism()): Promise<Float64Array> {
  const out = new Float64Array(nRows);
  const shares = Math.min(threads, trees.length);
  if (shares < 2 || nRows * trees.length < PARALLEL_MIN_WORK) {
    addTreesPredictions(trees, cols, out, scale);
    return out;
  }
  const bins = new SharedArrayBuffer(cols.length * nRows);
  cols.forEach((c, f) => new Uint8Array(bins, f * nRows, nRows).set(c));
  const parts = splitBySize(trees, shares);
  const workers = parts.slice(1).map((part) => startEngineWorker('predict-worker', { trees: part, bins, nRows, nFeatures: cols.length, scale }));
  try {
    const partials = workers.map(
      (w) =>
        new Promise<Float64Array>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
          w.once('exit', (code) => reject(new Error(`prediction worker exited with code ${code}`)));
        }),
    );
    addTreesPredictions(parts[0], cols, out, scale);
    for (const partial of await Promise.all(partials)) for (let i = 0; i < nRows; i++) out[i] += partial[i];
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}

/** Consecutive shares of about equal node count (the trees' order is kept). */
function splitBySize(trees: readonly Tree[], shares: number): Tree[][] {
  const total = trees.reduce((s, t) => s + nodeCount(t), 0);
  const parts: Tree[][] = [[]];
  let acc = 0;
  for (const t of trees) {
    if (acc >= (total * parts.length) / shares && parts.length < shares) parts.push([]);
    parts[parts.length - 1].push(t);
    acc += nodeCount(t);
  }
  return parts;
}
