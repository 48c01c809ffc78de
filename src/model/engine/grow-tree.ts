import type { SeededRandom } from '../../stats/random';
import type { PackedRows } from './binning';
import {
  buildHistogram,
  countOffset,
  histogramLayout,
  newHistogram,
  subtractHistogram,
  histogramTotals,
  type HistogramLayout,
} from './histogram';
import { partitionNode, partitionScratch, type NodeRows } from './partition';
import type { HistogramHelper } from './histogram-helper';
import {
  findBestSplit,
  findBestSplitSmall,
  minGain,
  SmallNodeScratch,
  type Split,
  type SplitContext,
} from './split-finding';
import { SmallSubtreeGrower, type SmallSubtreeTask } from './grow-small-subtree';
import { MAX_FEATURES, setWordsFor, TreeBuilder, type Tree } from './tree';
import { ForestKernel } from './forest-kernel';

export interface GrowOptions extends SplitContext {
  /** 0 = unlimited. */
  maxDepth: number;
  /** Share of features considered at each split (1 = all, as scikit-learn's regressor default). */
  maxFeatures: number;
  /** Best-first growth (boosting) stops at this many leaves, as HistGradientBoosting's max_leaf_nodes; 0 = no limit. Depth-first growth (forests) ignores it. */
  maxLeafNodes?: number;
}

/**
 * Nodes with at most this many rows find their split from a sparse histogram
 * of the bins their rows touch instead of a full one (see split-finding.ts).
 * Measured on the 657K-row forest: most of a depth-20 tree's ~280K nodes
 * are this small.
 */
export const SMALL_NODE_ROWS = 64;

/**
 * Subtrees of at most this many rows grow on a local copy of their rows
 * (see GrowWorkspace.gather). Measured, 40 forest trees on two workers:
 * 6.07 s without, 5.97 s from 1,024 rows, 5.60 s from 4,096, 5.2–5.3 s from
 * 65,536, 5.4 s from 131,072 (large nodes then lose their column-wise
 * partition).
 */
export const GATHER_ROWS = 65536;

/** Where a node's rows are: the tree's own arrays, or a gathered local copy (rows 0..m−1). */
export interface RowSource {
  r: NodeRows;
  packed: PackedRows;
}

/** Nodes with at least this many rows build their histogram in two halves (see GrowWorkspace.build). */
export const HALVES_MIN_ROWS = 32_768;

/** What growing trees needs besides the rows, allocated once per thread and reused tree after tree. */
export class GrowWorkspace {
  readonly layout: HistogramLayout;
  readonly scratch: Uint32Array;
  readonly small: SmallNodeScratch;
  /** The second accumulator of two-way histogram builds. */
  readonly spare: Float64Array;
  /** The second half of a large node's histogram, when there is no helper thread. */
  private half: Float64Array | null = null;
  /** A thread building the second halves (boosting; see HistogramHelper). Its rows and stats must be the grower's. */
  helper: HistogramHelper | null = null;
  private readonly pool: Float64Array[] = [];
  /** Rows at most this many take the sparse path (a parameter only so tests can compare both paths). */
  smallNodeRows = SMALL_NODE_ROWS;
  private local: RowSource | null = null;
  private builder: TreeBuilder | null = null;
  private smallGrower: SmallSubtreeGrower | null = null;
  /** Small subtrees take SmallSubtreeGrower (a parameter only so tests can compare it with the general path). */
  smallSubtreeGrower = true;

  /** Words of the trees' category sets (see setWordsFor). */
  readonly setWords: number;
  /** The WebAssembly histogram kernel's memory (forests without sample weights, see forForest), or null. */
  readonly kernel: ForestKernel | null = null;
  readonly packed: PackedRows;

  constructor(
    packed: PackedRows,
    readonly ctx: SplitContext,
    withKernel = false,
  ) {
    if (packed.stride > MAX_FEATURES)
      throw new Error(`at most ${MAX_FEATURES} features are supported, got ${packed.stride}`);
    this.setWords = setWordsFor(ctx.nBins, ctx.categorical);
    this.layout = histogramLayout(ctx.nBins, ctx.weighted ? 3 : 2);
    if (withKernel && !ctx.weighted && ForestKernel.fits(packed.nRows, packed.stride)) {
      this.kernel = new ForestKernel(packed, this.layout, GATHER_ROWS, ctx);
      packed = this.kernel.packed;
      this.local = this.kernel.local;
    }
    this.packed = packed;
    this.scratch = partitionScratch(packed.nRows);
    this.small = new SmallNodeScratch(this.layout);
    this.spare = newHistogram(this.layout);
  }

  /** The root's weight, target sum and row count, building its histogram into `h` when it gets one. */
  rootTotals(h: Float64Array | null, at: RowSource): { W: number; S: number; N: number } {
    const { rows, stats } = at.r;
    if (h) {
      this.build(h, at, 0, rows.length);
      return histogramTotals(h, this.layout);
    }
    const width = this.layout.width;
    const co = countOffset(width);
    let W = 0;
    let S = 0;
    let N = 0;
    for (let k = 0; k < rows.length; k++) {
      W += stats[width * rows[k]];
      S += stats[width * rows[k] + 1];
      N += stats[width * rows[k] + co];
    }
    return { W, S, N };
  }

  /** The workspace's tree builder, emptied: tree after tree reuses its arrays (finish() copies the tree out). */
  treeBuilder(): TreeBuilder {
    const b = (this.builder ??= new TreeBuilder(this.setWords));
    b.reset();
    return b;
  }

  /** The histogram-free grower of small subtrees, for unweighted rows only (null with sample weights). */
  smallSubtrees(): SmallSubtreeGrower | null {
    if (this.ctx.weighted || !this.smallSubtreeGrower) return null;
    return (this.smallGrower ??= new SmallSubtreeGrower(this.ctx, this.scratch, this.kernel?.splits ?? null));
  }

  /**
   * A forest's workspace: histograms of more than TWO_WAY_MIN_ROWS rows by the WebAssembly kernel (the
   * same sums, about twice as fast) on its own copy of the bins, when the rows have no sample weights.
   */
  static forForest(packed: PackedRows, ctx: SplitContext): GrowWorkspace {
    return new GrowWorkspace(packed, ctx, true);
  }

  /** Histogram slot i (depth-first growth reuses one pair per depth). */
  histogram(i: number): Float64Array {
    return (this.pool[i] ??= this.kernel?.slot(i) ?? newHistogram(this.layout));
  }

  newHistogram(): Float64Array {
    return newHistogram(this.layout);
  }

  /** Cost of building a histogram from `rows` rows, in the unit of subtracting one (cells). */
  rowsCost(rows: number): number {
    return rows * this.packed.stride;
  }

  get cells(): number {
    return this.layout.offsets[this.layout.offsets.length - 1];
  }

  findSplit(
    h: Float64Array | null,
    at: RowSource,
    start: number,
    end: number,
    features: readonly number[],
    W: number,
    S: number,
    N: number,
    constant?: number[],
  ): Split | null {
    const k = this.kernel;
    if (h && k && h.buffer === k.buffer) {
      // findBestSplit in WebAssembly (the same split, see forest-split-kernel.wat); unweighted, so N is W.
      const found = k.splits.searchHistogram(h, features, W, S, this.ctx.minSamplesLeaf, minGain(W, S));
      if (constant) for (let c = 0; c < k.splits.nConstant; c++) constant.push(k.splits.constant[c]);
      return found ? k.splits.result() : null;
    }
    return h
      ? findBestSplit(h, this.layout, features, W, S, this.ctx, constant, N)
      : findBestSplitSmall(
          at.packed,
          at.r.rows,
          at.r.stats,
          start,
          end,
          features,
          W,
          S,
          this.ctx,
          this.small,
          constant,
          N,
        );
  }

  /**
   * Copies a node's rows (bins, row-major, and stats) into the workspace's
   * local arrays, in order: its whole subtree is then grown on contiguous
   * rows (a byte a feature, 8 bytes of stats, 12 with sample weights) instead of re-reading
   * scattered rows of the full matrix (6.5 MB, shared with the other
   * workers) at every level. The local arrays serve one subtree at a time
   * (depth-first growth); at most GATHER_ROWS rows.
   */
  gather(from: RowSource, start: number, end: number): RowSource {
    const { stride, bins } = this.packed;
    const { r } = from;
    const m = end - start;
    const width = this.layout.width;
    const local = (this.local ??= {
      r: { rows: new Uint32Array(GATHER_ROWS), stats: new Float32Array(width * GATHER_ROWS) },
      packed: { bins: new Uint8Array(GATHER_ROWS * stride), stride, nRows: GATHER_ROWS, columns: [] },
    });
    const k = this.kernel;
    if (k && width === 2 && k.splits.holds(from) && k.splits.holds(local)) {
      k.splits.gather(from, local, start, end);
      return local;
    }
    const lb = local.packed.bins;
    const ls = local.r.stats;
    for (let k = 0; k < m; k++) {
      const i = r.rows[start + k];
      local.r.rows[k] = k;
      for (let f = 0, o = i * stride, q = k * stride; f < stride; f++) lb[q + f] = bins[o + f];
      ls[width * k] = r.stats[width * i];
      ls[width * k + 1] = r.stats[width * i + 1];
      if (width === 3) ls[3 * k + 2] = r.stats[3 * i + 2];
    }
    return local;
  }

  /**
   * Histograms of a split node's children that need one (more than
   * `smallNodeRows` rows): the cheaper of building from rows or subtracting
   * the sibling's from the parent's. Returns null for a small child.
   */
  childHistograms(
    parent: Float64Array | null,
    at: RowSource,
    start: number,
    mid: number,
    end: number,
    lh: Float64Array,
    rh: Float64Array,
  ): [Float64Array | null, Float64Array | null] {
    const nl = mid - start;
    const nr = end - mid;
    const needL = nl > this.smallNodeRows;
    const needR = nr > this.smallNodeRows;
    if (!needL && !needR) return [null, null];
    if (needL && needR) {
      if (nl <= nr) this.buildThenSibling(parent, at, start, mid, end, lh, rh, nr);
      else this.buildThenSibling(parent, at, mid, end, start, rh, lh, nl);
      return [lh, rh];
    }
    if (needL) {
      if (this.viaSibling(parent, nl, nr)) {
        this.build(rh, at, mid, end);
        this.subtract(lh, parent!, rh);
      } else this.build(lh, at, start, mid);
      return [lh, null];
    }
    if (this.viaSibling(parent, nr, nl)) {
      this.build(lh, at, start, mid);
      this.subtract(rh, parent!, lh);
    } else this.build(rh, at, mid, end);
    return [null, rh];
  }

  /** Builds the smaller child [a, b) from its rows, then the other ([other, a) or [b, other)) the cheaper way. */
  private buildThenSibling(
    parent: Float64Array | null,
    at: RowSource,
    a: number,
    b: number,
    other: number,
    small: Float64Array,
    big: Float64Array,
    bigRows: number,
  ): void {
    this.build(small, at, a, b);
    if (this.viaSibling(parent, bigRows, b - a)) this.subtract(big, parent!, small);
    else if (other < a) this.build(big, at, other, a);
    else this.build(big, at, b, other);
  }

  /**
   * A node's histogram from its rows. From HALVES_MIN_ROWS rows, the two
   * halves of the range are built apart and added, on the helper thread
   * when there is one; always, so the sums (and the model) are the same to
   * the last bit with or without it.
   */
  build(h: Float64Array, at: RowSource, a: number, b: number): void {
    const { r, packed } = at;
    if (b - a < HALVES_MIN_ROWS) {
      if (!this.kernel?.histogram(h, at, a, b))
        buildHistogram(h, this.layout, packed, r.rows, r.stats, a, b, this.spare);
      return;
    }
    // The helper works on the grower's own arrays (never a gathered copy, which is smaller than this).
    const helper = packed === this.packed ? this.helper : null;
    const mid = (a + b) >>> 1;
    helper?.request(mid, b);
    if (!this.kernel?.histogram(h, at, a, mid))
      buildHistogram(h, this.layout, packed, r.rows, r.stats, a, mid, this.spare);
    let second: Float64Array;
    if (helper) second = helper.wait();
    else {
      second = this.half ??= this.kernel?.half ?? newHistogram(this.layout);
      if (!this.kernel?.histogram(second, at, mid, b))
        buildHistogram(second, this.layout, packed, r.rows, r.stats, mid, b, this.spare);
    }
    if (!this.kernel?.splits.addInto(h, second)) for (let c = 0; c < h.length; c++) h[c] += second[c];
  }

  /** out = parent − child: on the kernel's memory in WebAssembly (the same bits), else subtractHistogram. */
  private subtract(out: Float64Array, parent: Float64Array, child: Float64Array): void {
    if (!this.kernel?.splits.subtract(out, parent, child)) subtractHistogram(out, parent, child);
  }

  /**
   * partitionNode of rows[start, end) of `at`: on the kernel's memory (a gathered copy, or the tree's own
   * rows with the forest kernel's columns) by the kernel's partition (the same rows in the same order);
   * row-major when the rows are in cache anyway (gathered, or a small node whose search just read them),
   * else a large node streams one column.
   */
  partitionRows(at: RowSource, global: RowSource, split: Split, start: number, end: number): number {
    const { r, packed } = at;
    const k = this.kernel;
    const rowMajor = at !== global || end - start <= this.smallNodeRows;
    if (k && k.splits.holds(at)) return k.splits.partition(at, start, end, split, rowMajor);
    return partitionNode(r.rows, this.scratch, packed, split, start, end, rowMajor);
  }

  /** Subtracting costs about two passes over the cells; building costs a pass over the rows' bins. */
  viaSibling(parent: Float64Array | null, own: number, sibling: number): boolean {
    return parent !== null && this.rowsCost(sibling) + 2 * this.cells < this.rowsCost(own);
  }
}

/**
 * Grows one tree depth-first over rows [0, r.rows.length) of `r` (in-bag
 * rows with their weights), as scikit-learn's forests do: split every node
 * until maxDepth, minSamplesLeaf or no gain. Histograms: one pair per depth
 * level, reused; `r` is reordered in place.
 */
export function growTree(ws: GrowWorkspace, r: NodeRows, o: GrowOptions, rng: SeededRandom): Tree {
  const nFeatures = ws.packed.stride;
  const all = Array.from({ length: nFeatures }, (_, f) => f);
  const nSampled = Math.max(1, Math.round(o.maxFeatures * nFeatures));
  const builder = ws.treeBuilder();
  const n = r.rows.length;
  const global: RowSource = { r, packed: ws.packed };
  const root = n > ws.smallNodeRows ? ws.histogram(0) : null;
  const { W, S, N } = ws.rootTotals(root, global);
  const maxDepth = o.maxDepth > 0 ? o.maxDepth : Infinity;

  const constant: number[] = [];
  const small = ws.smallSubtrees();
  const smallTask: SmallSubtreeTask = { builder, rng, maxDepth, nSampled, sampleFeatures };
  // `active`: the features not yet known to be constant in this node. `at`: where its rows are, the
  // tree's own arrays or, from GATHER_ROWS rows down, the workspace's local copy (ws.gather).
  const visit = (
    node: number,
    start: number,
    end: number,
    depth: number,
    hist: Float64Array | null,
    W: number,
    S: number,
    N: number,
    active: readonly number[],
    at: RowSource,
  ): void => {
    if (depth >= maxDepth || end - start < 2 || N < 2 * o.minSamplesLeaf) return;
    if (at === global && end - start <= GATHER_ROWS) {
      at = ws.gather(at, start, end);
      end -= start;
      start = 0;
    }
    // A small node (no histogram) on the local copy: its whole subtree takes the histogram-free path.
    if (small && !hist && at !== global) {
      small.grow(smallTask, at, node, start, end, depth, W, S, active);
      return;
    }
    const features = nSampled >= active.length ? active : sampleFeatures(active, nSampled, rng);
    constant.length = 0;
    const split = ws.findSplit(hist, at, start, end, features, W, S, N, constant);
    if (!split) return;
    if (constant.length > 0) active = active.filter((f) => !constant.includes(f));
    const left = builder.addLeaf(split.sl / split.wl);
    builder.addLeaf((S - split.sl) / (W - split.wl));
    builder.makeSplit(node, split.feature, split.threshold, split.leftCategories, left);
    // Children at the depth limit stay leaves: their rows need not be sorted out.
    if (depth + 1 >= maxDepth) return;
    const mid = ws.partitionRows(at, global, split, start, end);
    // Slots 2(d+1) and 2(d+1)+1 hold depth d+1's pair; the right child's stays valid while the left subtree uses deeper slots.
    const [lh, rh] = ws.childHistograms(
      hist,
      at,
      start,
      mid,
      end,
      ws.histogram(2 * depth + 2),
      ws.histogram(2 * depth + 3),
    );
    visit(left, start, mid, depth + 1, lh, split.wl, split.sl, split.nl, active, at);
    visit(left + 1, mid, end, depth + 1, rh, W - split.wl, S - split.sl, N - split.nl, active, at);
  };
  visit(builder.addLeaf(S / W), 0, n, 0, root, W, S, N, all, global);
  return builder.finish();
}

export function sampleFeatures(all: readonly number[], k: number, rng: SeededRandom): number[] {
  const a = [...all];
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(a.length - i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k).sort((x, y) => x - y);
}
