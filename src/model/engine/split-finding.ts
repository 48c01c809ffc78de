import type { PackedRows } from './binning';
import { countOffset, type HistogramLayout, type StatWidth } from './histogram';

/**
 * The best split of a node, for squared error: the reduction in weighted SSE
 * is SL²/WL + SR²/WR − S²/W. Numeric features scan bins left to right (left
 * = bins ≤ threshold). Categorical features (the counter) order their
 * categories by mean target and scan that order, which finds the optimal
 * two-way partition for squared error (Fisher 1958) — far better than
 * splitting arbitrary category codes by `≤`. Missing values always go right.
 *
 * Two sources, one scan: a node's full histogram (large nodes), or a sparse
 * histogram of the few bins a small node's rows touch (`findBestSplitSmall`):
 * a node of 10 rows then costs 10 rows × features, not ~700 cells. Both sum
 * each bin's rows in the same order, so they pick the same split.
 *
 * minSamplesLeaf bounds each child's row count N (bootstrap draws in a
 * forest), not its weight W, as scikit-learn's min_samples_leaf: without
 * sample weights the two are the same number (a cell's weight is its count);
 * with them, cells carry the count beside the weight (HistogramLayout.width 3).
 */
export interface Split {
  feature: number;
  gain: number;
  /** Numeric: rows with bin ≤ threshold go left. */
  threshold: number;
  /** Categorical: the bins that go left, as the tree stores them (bit b & 31 of word b >> 5). */
  leftCategories: Uint32Array | null;
  /** The left child's weight, weighted target sum and row count (the right's are the node's minus these). */
  wl: number;
  sl: number;
  nl: number;
}

export interface SplitContext {
  nBins: readonly number[];
  categorical: readonly boolean[];
  minSamplesLeaf: number;
  /** Rows carry sample weights: their stats and histogram cells are (weight, sum, count), width 3 (see NodeRows). */
  weighted?: boolean;
}

const IDENTITY = Int32Array.from({ length: 256 }, (_, i) => i);

/** Running best of one node's search. */
class Best {
  gain: number;
  split: Split | null = null;
  constructor(minGain: number) {
    this.gain = minGain;
  }
}

/** The least gain a split must beat: relative to the node's score, so rounding noise never splits a pure node. */
export function minGain(W: number, S: number): number {
  return 1e-9 * Math.max(1, Math.abs((S * S) / W));
}

/**
 * `constant`, when given, receives the features whose rows all share one
 * bin here: they stay constant in every descendant, which then skips them
 * (as scikit-learn's splitter does). Deep in a forest's trees most features
 * are constant (one counter left fixes its latitude and longitude).
 */
/** `N`: the node's row count (without sample weights, its weight W). */
export function findBestSplit(
  h: Float64Array,
  layout: HistogramLayout,
  features: readonly number[],
  W: number,
  S: number,
  ctx: SplitContext,
  constant?: number[],
  N = W,
): Split | null {
  const best = new Best(minGain(W, S));
  const width = layout.width;
  for (const f of features) {
    const base = layout.offsets[f];
    if (constant && isConstant(h, width, base, ctx.nBins[f] + 1)) {
      constant.push(f);
      continue;
    }
    scanFeature(h, width, base, IDENTITY, 0, ctx.nBins[f], f, W, S, N, ctx, best);
  }
  return best.split;
}

function isConstant(h: Float64Array, width: number, base: number, cells: number): boolean {
  let seen = 0;
  for (let c = width * base, end = width * (base + cells); c < end; c += width)
    if (h[c] > 0 && ++seen > 1) return false;
  return true;
}

/** Scratch for the sparse histograms of small nodes (one per growing thread). */
export class SmallNodeScratch {
  readonly cells: Float64Array;
  readonly mark: Int32Array;
  /** Feature f's touched bins are touched[256f …], nTouched[f] of them. */
  readonly touched: Int32Array;
  readonly nTouched: Int32Array;
  epoch = 0;

  constructor(readonly layout: HistogramLayout) {
    const cells = layout.offsets[layout.offsets.length - 1];
    this.cells = new Float64Array(layout.width * cells);
    this.mark = new Int32Array(cells);
    const nFeatures = layout.offsets.length - 1;
    this.touched = new Int32Array(256 * nFeatures);
    this.nTouched = new Int32Array(nFeatures);
  }
}

/**
 * The small-node search: one pass over the node's rows fills a sparse
 * histogram (only the cells its rows touch are reset, by epoch), then each
 * feature's touched bins are sorted and scanned like a full histogram.
 */
export function findBestSplitSmall(
  packed: PackedRows,
  rows: Uint32Array,
  stats: Float32Array,
  start: number,
  end: number,
  features: readonly number[],
  W: number,
  S: number,
  ctx: SplitContext,
  scratch: SmallNodeScratch,
  constant?: number[],
  N = W,
): Split | null {
  const width = scratch.layout.width;
  // A pure node (every row the same target: common deep in a tree of counts) has nothing to gain.
  const y0 = stats[width * rows[start] + 1] / stats[width * rows[start]];
  let pure = true;
  for (let k = start + 1; k < end && pure; k++) pure = stats[width * rows[k] + 1] / stats[width * rows[k]] === y0;
  if (pure) return null;
  const best = new Best(minGain(W, S));
  const { bins, stride } = packed;
  const { cells, mark, touched, nTouched } = scratch;
  const offsets = scratch.layout.offsets;
  const epoch = ++scratch.epoch;
  const nf = features.length;
  for (let j = 0; j < nf; j++) nTouched[features[j]] = 0;
  if (width === 2)
    for (let k = start; k < end; k++) {
      const i = rows[k];
      const w = stats[2 * i];
      const wy = stats[2 * i + 1];
      const base = i * stride;
      for (let j = 0; j < nf; j++) {
        const f = features[j];
        const b = bins[base + f];
        const cell = offsets[f] + b;
        const c = cell << 1;
        if (mark[cell] !== epoch) {
          mark[cell] = epoch;
          touched[(f << 8) + nTouched[f]++] = b;
          cells[c] = 0;
          cells[c + 1] = 0;
        }
        cells[c] += w;
        cells[c + 1] += wy;
      }
    }
  else
    for (let k = start; k < end; k++) {
      const i = rows[k];
      const w = stats[3 * i];
      const wy = stats[3 * i + 1];
      const n = stats[3 * i + 2];
      const base = i * stride;
      for (let j = 0; j < nf; j++) {
        const f = features[j];
        const b = bins[base + f];
        const cell = offsets[f] + b;
        const c = cell * 3;
        if (mark[cell] !== epoch) {
          mark[cell] = epoch;
          touched[(f << 8) + nTouched[f]++] = b;
          cells[c] = 0;
          cells[c + 1] = 0;
          cells[c + 2] = 0;
        }
        cells[c] += w;
        cells[c + 1] += wy;
        cells[c + 2] += n;
      }
    }
  for (let j = 0; j < nf; j++) {
    const f = features[j];
    const nt = nTouched[f];
    if (nt < 2) {
      constant?.push(f);
      continue;
    }
    // Insertion sort: a small node touches few distinct bins.
    const t0 = f << 8;
    for (let a = t0 + 1; a < t0 + nt; a++) {
      const v = touched[a];
      let b = a - 1;
      while (b >= t0 && touched[b] > v) {
        touched[b + 1] = touched[b];
        b--;
      }
      touched[b + 1] = v;
    }
    const nb = ctx.nBins[f];
    const nonMissing = touched[t0 + nt - 1] === nb ? nt - 1 : nt;
    scanFeature(cells, width, offsets[f], touched, t0, nonMissing, f, W, S, N, ctx, best);
  }
  return best.split;
}

/**
 * Scans one feature's cells `cells[width·(base + bins[j])]` for j in [from, from + count) (bins
 * ascending, missing excluded) and records a better split in `best`.
 */
function scanFeature(
  cells: Float64Array,
  width: StatWidth,
  base: number,
  bins: Int32Array,
  from: number,
  count: number,
  f: number,
  W: number,
  S: number,
  N: number,
  ctx: SplitContext,
  best: Best,
): void {
  const parentScore = (S * S) / W;
  const minLeaf = ctx.minSamplesLeaf;
  const nb = ctx.nBins[f];
  if (ctx.categorical[f]) {
    scanCategories(cells, width, base, bins, from, count, f, W, S, N, parentScore, minLeaf, best);
    return;
  }
  // Without weights (width 2) the count is the weight cell itself: nl and wl are the same sums.
  const co = countOffset(width);
  let wl = 0;
  let sl = 0;
  let nl = 0;
  for (let j = from; j < from + count; j++) {
    const b = bins[j];
    if (b > nb - 2) break; // every non-missing row left is no split
    const c = width * (base + b);
    wl += cells[c];
    sl += cells[c + 1];
    nl += cells[c + co];
    if (nl < minLeaf) continue;
    if (N - nl < minLeaf) break;
    const wr = W - wl;
    const sr = S - sl;
    const gain = (sl * sl) / wl + (sr * sr) / wr - parentScore;
    if (gain > best.gain) {
      best.gain = gain;
      best.split = { feature: f, gain, threshold: b, leftCategories: null, wl, sl, nl };
    }
  }
}

const catBins = new Int32Array(256);
const catMeans = new Float64Array(256);

/** Categories present, ordered by mean target (ties by bin), then scanned as a numeric feature would be. */
function scanCategories(
  cells: Float64Array,
  width: StatWidth,
  base: number,
  bins: Int32Array,
  from: number,
  count: number,
  f: number,
  W: number,
  S: number,
  N: number,
  parentScore: number,
  minLeaf: number,
  best: Best,
): void {
  let nc = 0;
  for (let j = from; j < from + count; j++) {
    const b = bins[j];
    const c = width * (base + b);
    if (!(cells[c] > 0)) continue;
    const m = cells[c + 1] / cells[c];
    // Insertion by (mean, bin): bins arrive ascending, so equal means keep bin order.
    let i = nc - 1;
    while (i >= 0 && catMeans[i] > m) {
      catMeans[i + 1] = catMeans[i];
      catBins[i + 1] = catBins[i];
      i--;
    }
    catMeans[i + 1] = m;
    catBins[i + 1] = b;
    nc++;
  }
  if (nc < 2) return;
  const co = countOffset(width);
  let wl = 0;
  let sl = 0;
  let nl = 0;
  let bestK = -1;
  let bestWl = 0;
  let bestSl = 0;
  let bestNl = 0;
  for (let k = 0; k < nc - 1; k++) {
    const c = width * (base + catBins[k]);
    wl += cells[c];
    sl += cells[c + 1];
    nl += cells[c + co];
    if (nl < minLeaf || N - nl < minLeaf) continue;
    const wr = W - wl;
    const sr = S - sl;
    const gain = (sl * sl) / wl + (sr * sr) / wr - parentScore;
    if (gain > best.gain) {
      best.gain = gain;
      bestK = k;
      bestWl = wl;
      bestSl = sl;
      bestNl = nl;
    }
  }
  // The category set is built once, for the winner only (allocating per candidate dominated deep trees).
  if (bestK >= 0) {
    const left = new Uint32Array(8);
    for (let j = 0; j <= bestK; j++) left[catBins[j] >> 5] |= 1 << (catBins[j] & 31);
    best.split = {
      feature: f,
      gain: best.gain,
      threshold: 0,
      leftCategories: left,
      wl: bestWl,
      sl: bestSl,
      nl: bestNl,
    };
  }
}
