import { availableParallelism } from 'node:os';
import { startEngineWorker } from './engine-worker';
import { addTreesPredictions } from './predict';
import { nodeCount, type Tree } from './tree';

/** Below this many row × tree visits, a worker's start (~20–40 ms) costs more than it saves. */
const PARALLEL_MIN_WORK = 2_000_000;
/** Trees are summed in fixed groups of this many, whatever the threads (see predictTrees). */
export const TREES_PER_GROUP = 16;

/**
 * Σ scale × tree(row) over every tree, on every core. The sum is taken in
 * fixed groups of TREES_PER_GROUP consecutive trees, each group's partial
 * sums added in group order, so predictions are the same to the last bit on
 * one thread or many. Threads take consecutive groups of about equal node
 * count; the main thread walks the first share while workers walk the
 * others over the same bins (shared memory, as are trees from TreeBuilder
 * and loaded artifacts).
 */
export async function predictTrees(trees: readonly Tree[], cols: readonly Uint8Array[], nRows: number, scale: number, threads = availableParallelism()): Promise<Float64Array> {
  const groups: Tree[][] = [];
  for (let g = 0; g < trees.length; g += TREES_PER_GROUP) groups.push(trees.slice(g, g + TREES_PER_GROUP));
  const shares = Math.min(threads, groups.length);
  const sumGroups = (gs: readonly Tree[][]) =>
    gs.map((g) => {
      const partial = new Float64Array(nRows);
      addTreesPredictions(g, cols, partial, scale);
      return partial;
    });
  let partials: Float64Array[];
  if (shares < 2 || nRows * trees.length < PARALLEL_MIN_WORK) partials = sumGroups(groups);
  else {
    const bins = new SharedArrayBuffer(cols.length * nRows);
    cols.forEach((c, f) => new Uint8Array(bins, f * nRows, nRows).set(c));
    const parts = splitBySize(groups, shares);
    const workers = parts.slice(1).map((part) => startEngineWorker('predict-worker', { groups: part, bins, nRows, nFeatures: cols.length, scale }));
    try {
      const fromWorkers = workers.map(
        (w) =>
          new Promise<Float64Array[]>((resolve, reject) => {
            w.once('message', resolve);
            w.once('error', reject);
            w.once('exit', (code) => reject(new Error(`prediction worker exited with code ${code}`)));
          }),
      );
      const mine = sumGroups(parts[0]);
      partials = [...mine, ...(await Promise.all(fromWorkers)).flat()];
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  }
  const out = partials[0] ?? new Float64Array(nRows);
  for (let g = 1; g < partials.length; g++) {
    const p = partials[g];
    for (let i = 0; i < nRows; i++) out[i] += p[i];
  }
  return out;
}

/** Consecutive shares of groups of about equal node count. */
function splitBySize(groups: readonly Tree[][], shares: number): Tree[][][] {
  const size = (g: readonly Tree[]) => g.reduce((s, t) => s + nodeCount(t), 0);
  const total = groups.reduce((s, g) => s + size(g), 0);
  const parts: Tree[][][] = [[]];
  let acc = 0;
  for (const g of groups) {
    if (acc >= (total * parts.length) / shares && parts.length < shares) parts.push([]);
    parts[parts.length - 1].push(g);
    acc += size(g);
  }
  return parts;
}
