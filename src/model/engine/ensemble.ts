import type { FeatureMatrix } from '../../features/feature-matrix';
import { SeededRandom } from '../../stats/random';
import type { FitOptions } from '../regressor';
import { binMatrix, fitBinMapper, packRows, type BinMapper, type PackedRows } from './binning';
import { growTree, GrowWorkspace, HALVES_MIN_ROWS, type GrowOptions } from './grow-tree';
import { HistogramHelper } from './histogram-helper';
import { histogramLayout } from './histogram';
import { BoostingHelper } from './boosting-helper';
import { KernelMemory, LEAF_TABLE, reserveKernelMemory, type ReservedKernelMemory } from './boosting-kernels';
import { BoostingWorkspace } from './boosting-workspace';
import { growTreeBestFirst } from './grow-tree-best-first';
import { nextRootHistogram } from './root-histogram';
import { addTreePredictions, PredictScratch } from './predict';
import { predictTrees } from './predict-parallel';
import type { Tree } from './tree';
import { availableParallelism } from 'node:os';
import { bootstrapRows } from './bootstrap-rows';
import { TreeWorkers } from './parallel-forest';
import { checkSampleWeight } from './sample-weight';

export type ModelType = 'rf' | 'gbt';

export interface EnsembleParams {
  modelType: ModelType;
  nEstimators: number;
  /** 0 = unlimited. */
  maxDepth: number;
  minSamplesLeaf: number;
  maxFeatures: number;
  /** gbt: leaves per tree, grown best-first (0 = no leaf limit: trees grow to maxDepth). */
  maxLeafNodes: number;
  learningRate: number;
  /** gbt: stop after this many rounds without a better validation loss (0 = never). */
  earlyStoppingRounds: number;
  /** gbt without a validation set: the share of training rows held out for early stopping. */
  validationFraction: number;
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

export async function fitEnsemble(
  X: FeatureMatrix,
  y: Float64Array,
  p: EnsembleParams,
  o: FitOptions = {},
): Promise<Ensemble> {
  // Null when absent or all 1: the unweighted path, byte for byte the model trained without weights.
  const weight = checkSampleWeight(o.sampleWeight, y.length);
  const valWeight = o.validation
    ? checkSampleWeight(o.validation.sampleWeight, o.validation.y.length, 'validation.sampleWeight')
    : null;
  const early = p.modelType === 'gbt' && !weight ? startKernels(X.nRows, X.columns.length, p.threads) : null;
  // A parallel forest's workers boot while the rows are binned (see TreeWorkers).
  const workers = p.modelType === 'rf' ? forestWorkers(p, y.length) : null;
  try {
    // The bins do not depend on the weights (as HistGradientBoosting's binning ignores sample_weight).
    const mapper = fitBinMapper(X, p.maxBins, p.seed);
    const packed = packRows(binMatrix(X, mapper), X.nRows);
    return await fitBinned(packed, mapper, y, weight, valWeight, p, o, early, workers);
  } finally {
    await workers?.terminate();
    await early?.helper?.then(
      (h) => h.close(),
      () => undefined,
    );
  }
}

/**
 * Boosting without sample weights grows its trees with the WebAssembly kernels on shared memory
 * (BoostingWorkspace), whose helper thread starts here, before binning: a worker takes 50–200 ms
 * to start, which binning then hides. Null helper: one thread, or too few rows to share.
 */
function startKernels(
  nRows: number,
  nFeatures: number,
  threads: number | undefined,
): { reserved: ReservedKernelMemory; helper: Promise<BoostingHelper> | null } {
  const reserved = reserveKernelMemory(nRows, nFeatures);
  const share = (threads ?? availableParallelism()) > 1 && nRows >= 2 * HALVES_MIN_ROWS;
  return { reserved, helper: share ? BoostingHelper.start(reserved.memory) : null };
}

async function fitBinned(
  packed: PackedRows,
  mapper: BinMapper,
  y: Float64Array,
  weight: Float64Array | null,
  valWeight: Float64Array | null,
  p: EnsembleParams,
  o: FitOptions,
  kernels: KernelStart | null,
  workers: TreeWorkers | null,
): Promise<Ensemble> {
  const grow: GrowOptions = {
    nBins: mapper.nBins,
    categorical: mapper.categorical,
    minSamplesLeaf: p.minSamplesLeaf,
    maxDepth: p.maxDepth,
    maxFeatures: p.maxFeatures,
    maxLeafNodes: p.maxLeafNodes,
  };
  if (weight) grow.weighted = true;
  return p.modelType === 'rf'
    ? fitForest(packed, y, weight, p, grow, mapper, o, workers)
    : fitBoosting(packed, y, weight, valWeight, p, grow, mapper, o, kernels);
}

type KernelStart = ReturnType<typeof startKernels>;

/** Below this many row-trees, starting workers costs more than it saves. */
const PARALLEL_MIN_WORK = 200_000;

/** A forest's worker threads, or null when it grows on this thread (too little work, or one thread). */
function forestWorkers(p: EnsembleParams, n: number): TreeWorkers | null {
  const threads = p.threads ?? availableParallelism();
  if (threads > 1 && p.nEstimators > 1 && n * p.nEstimators >= PARALLEL_MIN_WORK)
    return new TreeWorkers(Math.min(threads, p.nEstimators));
  return null;
}

/** `workers`: the forestWorkers to grow on (the caller ends them), or null to grow here. */
async function fitForest(
  packed: PackedRows,
  y: Float64Array,
  weight: Float64Array | null,
  p: EnsembleParams,
  grow: GrowOptions,
  mapper: BinMapper,
  o: FitOptions,
  workers: TreeWorkers | null,
): Promise<Ensemble> {
  const n = y.length;
  if (workers) {
    const trees = await workers.grow(packed, y, weight, grow, p.seed, p.nEstimators, o);
    return { params: p, mapper, trees, base: 0, treeScale: 1 / trees.length };
  }
  const trees: Tree[] = [];
  const ws = GrowWorkspace.forForest(packed, grow);
  const stats = forestStats(ws, n);
  for (let t = 0; t < p.nEstimators; t++) {
    if (o.signal?.aborted) throw new Error('training cancelled');
    trees.push(growForestTree(ws, y, weight, stats, grow, p.seed, t));
    o.onProgress?.({ done: t + 1, total: p.nEstimators, unit: 'trees' });
    // Yield so the activity's heartbeats and cancellation get through between trees.
    await new Promise((r) => setImmediate(r));
  }
  return { params: p, mapper, trees, base: 0, treeScale: 1 / trees.length };
}

/**
 * Tree t of a forest: its bootstrap sample and feature draws come from (seed, t) alone. With sample
 * weights (`grow.weighted`, stats of 3n), each draw of a row counts its weight (see bootstrapRows).
 */
export function growForestTree(
  ws: GrowWorkspace,
  y: Float64Array,
  weight: Float64Array | null,
  stats: Float32Array,
  grow: GrowOptions,
  seed: number,
  t: number,
): Tree {
  const rng = new SeededRandom(treeSeed(seed, t));
  const onKernel = ws.kernel && stats === ws.kernel.stats ? ws.kernel : null;
  return growTree(ws, bootstrapRows(y, rng, stats, weight, onKernel?.rows ?? null, onKernel), grow, rng);
}

/** A forest workspace's row stats (NodeRows): on its kernel's memory when it has one. */
export function forestStats(ws: GrowWorkspace, nRows: number): Float32Array {
  return ws.kernel?.stats ?? new Float32Array((ws.ctx.weighted ? 3 : 2) * nRows);
}

/**
 * Least-squares gradient boosting: each round fits a best-first tree to the
 * residuals of all training rows and adds it scaled by the learning rate.
 * Early stopping watches the loss on a validation set: the caller's, or a
 * seeded `validationFraction` of the training rows (as HistGradientBoosting
 * does), and keeps the best round's trees.
 *
 * With sample weights w (as HistGradientBoosting's sample_weight): each
 * row's gradient and hessian are multiplied by w, so a leaf is Σ w·r / Σ w
 * (the weighted mean residual), the base is the weighted mean of y, and the
 * validation loss is Σ w·(y − ŷ)² (the held-out rows' own weights, or the
 * caller's validation weights). minSamplesLeaf counts rows, not weight; rows
 * of weight 0 take no part in the trees (they can still be held out).
 */
async function fitBoosting(
  packed: PackedRows,
  y: Float64Array,
  weight: Float64Array | null,
  callerValWeight: Float64Array | null,
  p: EnsembleParams,
  grow: GrowOptions,
  mapper: BinMapper,
  o: FitOptions,
  kernels: KernelStart | null,
): Promise<Ensemble> {
  const n = y.length;
  const early = p.earlyStoppingRounds > 0;
  // As HistGradientBoosting's early_stopping='auto': only above 10,000 rows is a held-out share worth its rows.
  const split =
    early && !o.validation && p.validationFraction > 0 && n > AUTO_EARLY_STOPPING_ROWS
      ? holdOut(n, p.validationFraction, p.seed)
      : null;
  let trainRows = split ? split.train : Uint32Array.from({ length: n }, (_, i) => i);
  if (weight) trainRows = trainRows.filter((i) => weight[i] > 0);
  const m = trainRows.length;
  if (m === 0) throw new Error('no training row has a positive sample weight outside the early-stopping hold-out');
  let base = 0;
  if (weight) {
    let sw = 0;
    for (let k = 0; k < m; k++) {
      const i = trainRows[k];
      base += weight[i] * y[i];
      sw += weight[i];
    }
    base /= sw;
  } else {
    for (let k = 0; k < m; k++) base += y[trainRows[k]];
    base /= m;
  }

  // Validation rows: the caller's set, binned with the training mapper, or the held-out rows of the training matrix.
  const valCols = o.validation
    ? binMatrix(o.validation.X, mapper)
    : split
      ? gatherColumns(packed, split.validation)
      : null;
  const valY = o.validation ? o.validation.y : split ? Float64Array.from(split.validation, (i) => y[i]) : null;
  // Null: every validation row counts 1 (the loss is the plain SSE, as without weights).
  const valW = o.validation
    ? callerValWeight
    : split && weight
      ? Float64Array.from(split.validation, (i) => weight[i])
      : null;
  const valPred = valY ? new Float64Array(valY.length).fill(base) : null;
  const valScratch = valY ? new PredictScratch(valY.length) : null;

  // Weight 1 and the residual (the negative gradient of squared error) per row: see NodeRows. With sample
  // weights, (w, w × residual, 1): weighted hessian and gradient, and the row's count. Shared with the
  // histogram helper thread.
  const width = weight ? 3 : 2;
  const threads = p.threads ?? availableParallelism();
  // Without sample weights the WebAssembly kernels grow the trees, on their own memory: the grower's
  // rows and stats are then views of it (see BoostingWorkspace). With weights, the JavaScript grower.
  const mem = kernels ? KernelMemory.create(packed, histogramLayout(grow.nBins, 2), kernels.reserved) : null;
  const stats = mem ? mem.stats : new Float32Array(new SharedArrayBuffer(4 * width * n));
  const pred = mem ? mem.pred.fill(base) : new Float64Array(n).fill(base);
  if (mem) mem.y.set(y);
  if (weight)
    for (let k = 0; k < m; k++) {
      const i = trainRows[k];
      stats[3 * i] = weight[i];
      stats[3 * i + 2] = 1;
    }
  else for (let k = 0; k < m; k++) stats[2 * trainRows[k]] = 1;
  const rows = mem ? mem.rows.subarray(0, m) : new Uint32Array(new SharedArrayBuffer(4 * m));
  const ws = mem ? new BoostingWorkspace(mem, grow) : new GrowWorkspace(packed, grow);
  if (ws instanceof BoostingWorkspace && kernels?.helper) {
    // Started by fitEnsemble (which closes it).
    ws.boostingHelper = await kernels.helper;
    ws.boostingHelper.setPlan(mem!.plan);
  } else if (!mem && threads > 1 && m >= 2 * HALVES_MIN_ROWS)
    ws.helper = await HistogramHelper.start(packed, ws.layout, rows, stats);
  const kernelWs = ws instanceof BoostingWorkspace ? ws : null;
  let root: Float64Array | null = null;
  const trees: Tree[] = [];
  let bestLoss = Infinity;
  let bestRounds = 0;
  try {
    // The first round's residuals; later rounds' are updated with the predictions, leaf by leaf (below).
    if (weight)
      for (let k = 0; k < m; k++) {
        const i = trainRows[k];
        // The float32 weight times the residual: a row's stats divide back to its residual within rounding.
        stats[3 * i + 1] = stats[3 * i] * (y[i] - pred[i]);
      }
    else
      for (let k = 0; k < m; k++) {
        const i = trainRows[k];
        stats[2 * i + 1] = y[i] - pred[i];
      }
    for (let t = 0; t < p.nEstimators; t++) {
      if (o.signal?.aborted) throw new Error('training cancelled');
      rows.set(trainRows);
      const r = { rows, stats };
      // The root's histogram comes from the last round's (see nextRootHistogram).
      const grown = growTreeBestFirst(ws, r, grow, { root, keepHistograms: true });
      const { tree, leaves } = grown;
      trees.push(tree);
      const leafValues = Float64Array.from(
        leaves,
        (leaf) => p.learningRate * tree.values[tree.nodes[2 * leaf.node + 1]],
      );
      // Training predictions straight from the leaves' row ranges (no tree walk), and the next round's
      // residuals in the same pass: the same numbers as a pass over all rows after it. By the kernels,
      // on both threads, when they grow the trees.
      if (kernelWs && leaves.length <= LEAF_TABLE) {
        leaves.forEach((leaf, j) => {
          mem!.leafRanges[2 * j] = leaf.start;
          mem!.leafRanges[2 * j + 1] = leaf.end;
        });
        mem!.leafValues.set(leafValues);
        kernelWs.updatePredictions(leaves.length, m);
      } else
        for (const [j, leaf] of leaves.entries()) {
          const v = leafValues[j];
          const rr = r.rows;
          if (weight)
            for (let k = leaf.start; k < leaf.end; k++) {
              const i = rr[k];
              pred[i] += v;
              stats[3 * i + 1] = stats[3 * i] * (y[i] - pred[i]);
            }
          else
            for (let k = leaf.start; k < leaf.end; k++) {
              const i = rr[k];
              pred[i] += v;
              stats[2 * i + 1] = y[i] - pred[i];
            }
        }
      root = nextRootHistogram(grown, leafValues, ws.layout, ws.packed, r);
      if (valCols && valY && valPred) {
        addTreePredictions(tree, valCols, valPred, p.learningRate, valScratch!);
        let sse = 0;
        if (valW) for (let i = 0; i < valPred.length; i++) sse += valW[i] * (valY[i] - valPred[i]) ** 2;
        else for (let i = 0; i < valPred.length; i++) sse += (valY[i] - valPred[i]) ** 2;
        if (sse < bestLoss) {
          bestLoss = sse;
          bestRounds = t + 1;
        } else if (early && t + 1 - bestRounds >= p.earlyStoppingRounds) {
          o.onProgress?.({ done: t + 1, total: t + 1, unit: `rounds (stopped early; best ${bestRounds})` });
          break;
        }
      } else bestRounds = t + 1;
      o.onProgress?.({ done: t + 1, total: p.nEstimators, unit: 'rounds' });
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    await ws.helper?.close();
  }
  return { params: p, mapper, trees: trees.slice(0, bestRounds), base, treeScale: p.learningRate };
}

const AUTO_EARLY_STOPPING_ROWS = 10_000;

/** A seeded split of rows 0..n−1: `fraction` of them (at least one) for validation, both sorted. */
function holdOut(n: number, fraction: number, seed: number): { train: Uint32Array; validation: Uint32Array } {
  const rng = new SeededRandom(treeSeed(seed, -1));
  const nVal = Math.max(1, Math.min(n - 1, Math.round(n * fraction)));
  const perm = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < nVal; i++) {
    const j = i + rng.int(n - i);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return { validation: perm.slice(0, nVal).sort(), train: perm.slice(nVal).sort() };
}

/** The given rows of a row-major matrix, column-major (as prediction reads them). */
function gatherColumns(packed: PackedRows, rows: Uint32Array): Uint8Array[] {
  return packed.columns.map((col) => Uint8Array.from(rows, (i) => col[i]));
}

export async function predictEnsemble(e: Ensemble, X: FeatureMatrix, threads?: number): Promise<Float64Array> {
  const out = await predictTrees(e.trees, binMatrix(X, e.mapper), X.nRows, e.treeScale, threads ?? e.params.threads);
  if (e.base !== 0) for (let i = 0; i < out.length; i++) out[i] += e.base;
  return out;
}
