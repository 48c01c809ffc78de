import type { FeatureMatrix } from '../../features/feature-matrix';
import { SeededRandom } from '../../stats/random';
import type { FitOptions } from '../regressor';
import { binMatrix, fitBinMapper, type BinMapper } from './binning';
import { growTree, type GrowOptions } from './grow-tree';
import { addTreePredictions, type Tree } from './tree';
import { availableParallelism } from 'node:os';
import { bootstrapRows } from './bootstrap-rows';
import { growTreesInParallel } from './parallel-forest';

export type ModelType = 'rf' | 'gbt';

export interface EnsembleParams {
  modelType: ModelType;
  nEstimators: number;
  maxDepth: number;
  minSamplesLeaf: number;
  maxFeatures: number;
  learningRate: number;
  earlyStoppingRounds: number;
  seed: number;
  maxBins: number;
  /** Worker threads for the forest (default: every core). The model does not depend on it. */
  threads?: number;
}

export interface Ensemble {
  params: EnsembleParams;
  mapper: BinMapper;
  trees: Tree[];
  /** Added to every prediction (gbt: the target mean; rf: 0). */
  base: number;
  /** Weight of each tree's output (rf: 1/trees; gbt: the learning rate). */
  treeScale: number;
}

/** A per-tree seed from (seed, tree index): tree t is the same whatever the order trees are built in. */
export function treeSeed(seed: number, t: number): number {
  let h = (seed ^ Math.imul(t + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export async function fitEnsemble(X: FeatureMatrix, y: Float64Array, p: EnsembleParams, o: FitOptions = {}): Promise<Ensemble> {
  const mapper = fitBinMapper(X, p.maxBins, p.seed);
  const binned = binMatrix(X, mapper);
  const grow: GrowOptions = { nBins: mapper.nBins, categorical: mapper.categorical, minSamplesLeaf: p.minSamplesLeaf, maxDepth: p.maxDepth, maxFeatures: p.maxFeatures };
  return p.modelType === 'rf' ? fitForest(binned, y, p, grow, mapper, o) : fitBoosting(binned, y, p, grow, mapper, o);
}

/** Below this many row-trees, starting workers costs more than it saves. */
const PARALLEL_MIN_WORK = 200_000;

async function fitForest(binned: Uint8Array[], y: Float64Array, p: EnsembleParams, grow: GrowOptions, mapper: BinMapper, o: FitOptions): Promise<Ensemble> {
  const n = y.length;
  const threads = p.threads ?? availableParallelism();
  if (threads > 1 && p.nEstimators > 1 && n * p.nEstimators >= PARALLEL_MIN_WORK) {
    const trees = await growTreesInParallel(binned, y, grow, p.seed, p.nEstimators, threads, o);
    return { params: p, mapper, trees, base: 0, treeScale: 1 / trees.length };
  }
  const trees: Tree[] = [];
  const w = new Float64Array(n);
  for (let t = 0; t < p.nEstimators; t++) {
    if (o.signal?.aborted) throw new Error('training cancelled');
    const rng = new SeededRandom(treeSeed(p.seed, t));
    const rows = bootstrapRows(n, rng, w);
    trees.push(growTree(binned, y, w, rows, grow, rng));
    o.onProgress?.({ done: t + 1, total: p.nEstimators, unit: 'trees' });
    // Yield so the activity's heartbeats and cancellation get through between trees.
    await new Promise((r) => setImmediate(r));
  }
  return { params: p, mapper, trees, base: 0, treeScale: 1 / trees.length };
}

async function fitBoosting(binned: Uint8Array[], y: Float64Array, p: EnsembleParams, grow: GrowOptions, mapper: BinMapper, o: FitOptions): Promise<Ensemble> {
  const n = y.length;
  let base = 0;
  for (let i = 0; i < n; i++) base += y[i];
  base /= n;
  const validation = o.validation ? { binned: binMatrix(o.validation.X, mapper), y: o.validation.y } : null;
  const pred = new Float64Array(n).fill(base);
  const valPred = validation ? new Float64Array(validation.y.length).fill(base) : null;
  const residual = new Float64Array(n);
  const w = new Float64Array(n).fill(1);
  const rows = Uint32Array.from({ length: n }, (_, i) => i);
  const trees: Tree[] = [];
  let bestLoss = Infinity;
  let bestRounds = 0;
  for (let t = 0; t < p.nEstimators; t++) {
    if (o.signal?.aborted) throw new Error('training cancelled');
    for (let i = 0; i < n; i++) residual[i] = y[i] - pred[i];
    const tree = growTree(binned, residual, w, rows, grow, new SeededRandom(treeSeed(p.seed, t)));
    trees.push(tree);
    addTreePredictions(tree, binned, pred, p.learningRate);
    if (validation && valPred) {
      addTreePredictions(tree, validation.binned, valPred, p.learningRate);
      let sse = 0;
      for (let i = 0; i < valPred.length; i++) sse += (validation.y[i] - valPred[i]) ** 2;
      if (sse < bestLoss) {
        bestLoss = sse;
        bestRounds = t + 1;
      } else if (t + 1 - bestRounds >= p.earlyStoppingRounds) {
        o.onProgress?.({ done: p.nEstimators, total: p.nEstimators, unit: 'rounds' });
        break;
      }
    } else bestRounds = t + 1;
    o.onProgress?.({ done: t + 1, total: p.nEstimators, unit: 'rounds' });
    await new Promise((r) => setImmediate(r));
  }
  return { params: p, mapper, trees: trees.slice(0, bestRounds), base, treeScale: p.learningRate };
}

export function predictEnsemble(e: Ensemble, X: FeatureMatrix): Float64Array {
  const binned = binMatrix(X, e.mapper);
  const out = new Float64Array(X.nRows);
  for (const t of e.trees) addTreePredictions(t, binned, out, e.treeScale);
  if (e.base !== 0) for (let i = 0; i < out.length; i++) out[i] += e.base;
  return out;
}
