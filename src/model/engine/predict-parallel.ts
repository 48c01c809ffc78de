import { availableParallelism } from 'node:os';
import { predictPool, type PredictJob } from './predict-pool';
import { WasmTreeWalker } from './predict-wasm';
import type { Tree } from './tree';

/** Below this many row × tree visits, handing groups to a worker costs more than it saves. */
const PARALLEL_MIN_WORK = 2_000_000;
/** Trees are summed in fixed groups of this many, whatever the threads (see predictTrees). */
export const TREES_PER_GROUP = 8;

/**
 * Takes groups off the shared counter until none is left; returns each
 * taken group's partial sums. The main thread and the workers run it alike,
 * so a worker that starts late takes fewer groups instead of being waited on.
 */
export function sumGroups(job: PredictJob, cols: readonly Uint8Array[]): Map<number, Float64Array> {
  const next = new Int32Array(job.next);
  const done = new Map<number, Float64Array>();
  let walker: WasmTreeWalker | null = null;
  for (let g = Atomics.add(next, 0, 1); g < job.groups.length; g = Atomics.add(next, 0, 1)) {
    walker ??= new WasmTreeWalker(cols, job.nRows, job.groups.flat());
    done.set(g, walker.sum(job.groups[g], job.scale));
  }
  return done;
}

/**
 * Σ scale × tree(row) over every tree, on every core. The sum is taken in
 * fixed groups of TREES_PER_GROUP consecutive trees, each group's partial
 * sums added in group order, so predictions are the same to the last bit on
 * one thread or many. Threads take groups from a shared counter; trees
 * (from TreeBuilder or a loaded artifact) and bins are on shared memory, so
 * workers copy neither.
 */
export async function predictTrees(
  trees: readonly Tree[],
  cols: readonly Uint8Array[],
  nRows: number,
  scale: number,
  threads = availableParallelism(),
): Promise<Float64Array> {
  const groups: Tree[][] = [];
  for (let g = 0; g < trees.length; g += TREES_PER_GROUP) groups.push(trees.slice(g, g + TREES_PER_GROUP));
  const nWorkers = Math.min(threads, groups.length) - 1;
  const parallel = nWorkers > 0 && nRows * trees.length >= PARALLEL_MIN_WORK;
  // The workers' copy of the bins, on shared memory; the main thread reads `cols` as they are.
  const bins = new SharedArrayBuffer(parallel ? cols.length * nRows : 0);
  if (parallel) cols.forEach((c, f) => new Uint8Array(bins, f * nRows, nRows).set(c));
  const job: PredictJob = { groups, bins, nRows, nFeatures: cols.length, scale, next: new SharedArrayBuffer(4) };
  // Posted before this thread starts taking groups, so a worker that is already up takes its share.
  const fromWorkers = parallel ? predictPool().run(job, nWorkers) : [];
  // Handled from the start: this thread's own sums come first and must not leave a rejection unhandled.
  for (const r of fromWorkers) r.catch(() => undefined);
  const partials = new Map<number, Float64Array>();
  for (const [g, p] of sumGroups(job, cols)) partials.set(g, p);
  for (const m of await Promise.all(fromWorkers)) for (const [g, p] of m) partials.set(g, p);
  const out = partials.get(0) ?? new Float64Array(nRows);
  for (let g = 1; g < groups.length; g++) {
    const p = partials.get(g)!;
    for (let i = 0; i < nRows; i++) out[i] += p[i];
  }
  return out;
}
