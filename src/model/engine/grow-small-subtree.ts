import type { SeededRandom } from '../../stats/random';
import type { PackedRows } from './binning';
import { partitionNode, type NodeRows } from './partition';
import { minGain, type Split, type SplitContext } from './split-finding';
import type { ForestSplitKernel } from './forest-split-kernel';
import { MAX_FEATURES, type TreeBuilder } from './tree';

/** Cells of one feature's sparse histogram: weight and weight × target for each of 256 bins. */
const CELLS_PER_FEATURE = 2 * 256;
/** Room for one feature's distinct bins, plus the slot the branch-free append writes past the last. */
const TOUCHED_PER_FEATURE = 257;

/** The gain of sending (wl, sl) left, in the scans' very operations. */
function twoWayGain(wl: number, sl: number, W: number, S: number, parentScore: number): number {
  const wr = W - wl;
  const sr = S - sl;
  return (sl * sl) / wl + (sr * sr) / wr - parentScore;
}

/** What a small subtree's growth needs from the tree being grown (see growTree). */
export interface SmallSubtreeTask {
  builder: TreeBuilder;
  rng: SeededRandom;
  /** Depth at which nodes stay leaves (Infinity: none). */
  maxDepth: number;
  /** Features drawn at each split (all active ones when at least their number). */
  nSampled: number;
  sampleFeatures: (active: readonly number[], k: number, rng: SeededRandom) => number[];
}

/**
 * Grows the subtree of a small node (at most SMALL_NODE_ROWS rows, on the
 * gathered local copy: bins row-major, rows 0..m−1) without histograms,
 * depth-first, for unweighted rows (stats of width 2). Most of a depth-20
 * tree's nodes are this small (half of them hold 2 or 3 rows), so its cost
 * is per-node overhead: this path allocates nothing per node (one Split
 * object and one category set, reused), reads each feature's bins of the
 * node in one tight loop, and carries no histogram slots.
 *
 * It is the general path (growTree's visit with findBestSplitSmall) for
 * these nodes, made cheaper: the same split at every node (bins summed in
 * row order, scanned ascending, the same gain formula and ties: first
 * feature, then lowest bin), the same constant-feature pruning, the same
 * random draws in the same order, so the same tree, byte for byte
 * (test/unit/model/engine/grow-small-subtree.test.ts compares both).
 */
export class SmallSubtreeGrower {
  /** Each feature's sparse histogram (CELLS_PER_FEATURE apart), indexed by bin: weight and weight × target, interleaved. */
  private cells = new Float64Array(0);
  /** Each feature's distinct bins in the node (TOUCHED_PER_FEATURE apart), in order of first row, then sorted. */
  private touched = new Int32Array(0);
  /** How many distinct bins each feature's rows touch. */
  private distinct = new Int32Array(0);
  private readonly best = { gain: 0, found: false };
  private readonly catBins = new Int32Array(256);
  private readonly catMeans = new Float64Array(256);
  /** Features found constant in the node being searched: constant[0..nConstant). */
  private readonly constant = new Int32Array(MAX_FEATURES);
  private nConstant = 0;
  private readonly split: Split = { feature: 0, gain: 0, threshold: 0, leftCategories: null, wl: 0, sl: 0, nl: 0 };
  private readonly leftSet = new Uint32Array(8);
  private task!: SmallSubtreeTask;
  /** The kernel, when the subtree being grown is on its memory (a gathered copy is), else null. */
  private onKernel: ForestSplitKernel | null = null;
  /** Where the subtree's rows are (the gathered local copy), with `packed` and `r` its parts. */
  private at!: { r: NodeRows; packed: PackedRows };
  private packed!: PackedRows;
  private r!: NodeRows;

  /**
   * @param kernel the split search in WebAssembly (same splits, see forest-split-kernel.wat), used for
   * nodes whose rows are on its memory; null: the JavaScript below serves every node.
   */
  constructor(
    private readonly ctx: SplitContext,
    private readonly scratch: Uint32Array,
    private readonly kernel: ForestSplitKernel | null = null,
  ) {
    if (ctx.weighted) throw new Error('the small-subtree path takes unweighted rows (stats of width 2)');
  }

  /** Grows node `node` (already a leaf of the builder) over rows [start, end) of `at`, at `depth`. */
  grow(
    task: SmallSubtreeTask,
    at: { r: NodeRows; packed: PackedRows },
    node: number,
    start: number,
    end: number,
    depth: number,
    W: number,
    S: number,
    active: readonly number[],
  ): void {
    this.task = task;
    this.at = at;
    this.packed = at.packed;
    this.r = at.r;
    const k = this.kernel;
    this.onKernel = k?.holds(at) ? k : null;
    this.visit(node, start, end, depth, W, S, active);
  }

  // Without sample weights a node's row count N is its weight W (see NodeRows).
  private visit(
    node: number,
    start: number,
    end: number,
    depth: number,
    W: number,
    S: number,
    active: readonly number[],
  ): void {
    const t = this.task;
    if (depth >= t.maxDepth || end - start < 2 || W < 2 * this.ctx.minSamplesLeaf) return;
    const features = t.nSampled >= active.length ? active : t.sampleFeatures(active, t.nSampled, t.rng);
    this.nConstant = 0;
    const split = this.find(start, end, features, W, S);
    if (!split) return;
    if (this.nConstant > 0) active = this.withoutConstant(active);
    const { wl, sl } = split;
    const left = t.builder.addLeaf(sl / wl);
    t.builder.addLeaf((S - sl) / (W - wl));
    t.builder.makeSplit(node, split.feature, split.threshold, split.leftCategories, left);
    if (depth + 1 >= t.maxDepth) return;
    const mid = this.onKernel
      ? this.onKernel.partition(this.at, start, end, split)
      : partitionNode(this.r.rows, this.scratch, this.packed, split, start, end, true);
    this.visit(left, start, mid, depth + 1, wl, sl, active);
    this.visit(left + 1, mid, end, depth + 1, W - wl, S - sl, active);
  }

  /** `active` less the features just found constant (a new array: the caller's stays its siblings'). */
  private withoutConstant(active: readonly number[]): number[] {
    const next: number[] = [];
    for (let a = 0; a < active.length; a++) {
      const f = active[a];
      let isConstant = false;
      for (let c = 0; c < this.nConstant; c++) isConstant ||= this.constant[c] === f;
      if (!isConstant) next.push(f);
    }
    return next;
  }

  /**
   * The node's best split (the reused Split object) or null; features whose rows share one bin go to
   * `constant`. One pass over the rows fills every feature's sparse histogram (a row's weight and target
   * are read once, not once a feature: the pass was 60% of a forest tree's small-node time); each cell
   * still sums its rows in row order, so the sums are the general path's to the bit.
   */
  private find(start: number, end: number, features: readonly number[], W: number, S: number): Split | null {
    const { rows, stats } = this.r;
    // A pure node (every row the same target: common deep in a tree of counts) has nothing to gain.
    const y0 = stats[2 * rows[start] + 1] / stats[2 * rows[start]];
    let pure = true;
    for (let k = start + 1; k < end && pure; k++) pure = stats[2 * rows[k] + 1] / stats[2 * rows[k]] === y0;
    if (pure) return null;
    if (end - start === 2 && this.ctx.minSamplesLeaf >= 1)
      return this.findOfTwo(rows[start], rows[start + 1], features, W, S);
    if (this.onKernel) return this.findByKernel(this.onKernel, start, end, features, W, S);
    const { bins, stride } = this.packed;
    const nf = features.length;
    this.size(nf);
    const { cells, touched, distinct } = this;
    distinct.fill(0, 0, nf);
    // In-bag rows weigh at least 1, so an empty cell is one of weight 0 (cells are zeroed after each scan).
    // Each row's bin is appended to its feature's list and the count advances only for a new bin
    // (branch-free: whether a bin is new is a coin flip in small nodes).
    for (let k = start; k < end; k++) {
      const i = rows[k];
      const w = stats[2 * i];
      const s = stats[2 * i + 1];
      const at = i * stride;
      for (let j = 0; j < nf; j++) {
        const b = bins[at + features[j]];
        const c = j * CELLS_PER_FEATURE + (b << 1);
        const nt = distinct[j];
        touched[j * TOUCHED_PER_FEATURE + nt] = b;
        distinct[j] = nt + (cells[c] === 0 ? 1 : 0);
        cells[c] += w;
        cells[c + 1] += s;
      }
    }
    const best = this.best;
    best.gain = minGain(W, S);
    best.found = false;
    for (let j = 0; j < nf; j++) {
      const f = features[j];
      const nt = distinct[j];
      const cb = j * CELLS_PER_FEATURE;
      const tb = j * TOUCHED_PER_FEATURE;
      if (nt < 2) {
        this.clearCells(cb, tb, nt);
        this.constant[this.nConstant++] = f;
        continue;
      }
      // Insertion sort: a small node touches few distinct bins.
      for (let a = tb + 1; a < tb + nt; a++) {
        const v = touched[a];
        let b = a - 1;
        while (b >= tb && touched[b] > v) {
          touched[b + 1] = touched[b];
          b--;
        }
        touched[b + 1] = v;
      }
      const nb = this.ctx.nBins[f];
      const count = touched[tb + nt - 1] === nb ? nt - 1 : nt; // the missing bin is never scanned
      if (this.ctx.categorical[f]) this.scanCategories(cb, tb, count, f, W, S, best);
      else this.scanNumeric(cb, tb, count, f, W, S, best);
      this.clearCells(cb, tb, nt);
    }
    return best.found ? this.split : null;
  }

  /** `find` from the scatter on, by the WebAssembly kernel: the split it found copied into the reused Split. */
  private findByKernel(
    kernel: ForestSplitKernel,
    start: number,
    end: number,
    features: readonly number[],
    W: number,
    S: number,
  ): Split | null {
    const { rows, stats } = this.r;
    const { bins, stride } = this.packed;
    const found = kernel.search(
      rows.byteOffset,
      stats.byteOffset,
      bins.byteOffset,
      stride,
      start,
      end,
      features,
      W,
      S,
      this.ctx.minSamplesLeaf,
      minGain(W, S),
    );
    for (let c = 0; c < kernel.nConstant; c++) this.constant[this.nConstant++] = kernel.constant[c];
    return found ? kernel.readInto(this.split) : null;
  }

  /** The per-feature arrays for `nf` features, grown when a tree has more features than the last. */
  private size(nf: number): void {
    if (this.distinct.length >= nf) return;
    this.cells = new Float64Array(nf * CELLS_PER_FEATURE);
    this.touched = new Int32Array(nf * TOUCHED_PER_FEATURE);
    this.distinct = new Int32Array(nf);
  }

  private clearCells(cb: number, tb: number, nt: number): void {
    for (let j = 0; j < nt; j++) {
      const c = cb + (this.touched[tb + j] << 1);
      this.cells[c] = 0;
      this.cells[c + 1] = 0;
    }
  }

  /**
   * A node of two (distinct, differently valued) rows: any feature that separates them splits it the one
   * way, so its gain is one of two numbers (which row goes left), each computed as the scans would; the
   * features are then walked in order with the scans' rules (missing goes right, a category set holds the
   * lower mean) and ties (strictly better only). Needs minSamplesLeaf ≥ 1: both rows on one side is then
   * never a split.
   */
  private findOfTwo(i1: number, i2: number, features: readonly number[], W: number, S: number): Split | null {
    const { bins, stride } = this.packed;
    const { stats } = this.r;
    const minLeaf = this.ctx.minSamplesLeaf;
    const parentScore = (S * S) / W;
    const w1 = stats[2 * i1];
    const s1 = stats[2 * i1 + 1];
    const w2 = stats[2 * i2];
    const s2 = stats[2 * i2 + 1];
    // Accumulated from 0 as the scans do: wl = 0 + w is w itself.
    const gain1 = w1 < minLeaf || W - w1 < minLeaf ? -Infinity : twoWayGain(w1, s1, W, S, parentScore);
    const gain2 = w2 < minLeaf || W - w2 < minLeaf ? -Infinity : twoWayGain(w2, s2, W, S, parentScore);
    let bestGain = minGain(W, S);
    let found = false;
    for (let j = 0; j < features.length; j++) {
      const f = features[j];
      const b1 = bins[i1 * stride + f];
      const b2 = bins[i2 * stride + f];
      if (b1 === b2) {
        this.constant[this.nConstant++] = f;
        continue;
      }
      const nb = this.ctx.nBins[f];
      let firstLeft: boolean; // row 1 goes left
      if (this.ctx.categorical[f]) {
        if (b1 === nb || b2 === nb) continue; // one category left: no split
        // Means differ (the node is not pure); the lower one goes left.
        firstLeft = s1 / w1 < s2 / w2;
      } else {
        firstLeft = b1 < b2;
        // The lower bin's rows go left; a lower bin past nb − 2 is no split.
        if ((firstLeft ? b1 : b2) > nb - 2) continue;
      }
      const gain = firstLeft ? gain1 : gain2;
      if (!(gain > bestGain)) continue;
      bestGain = gain;
      found = true;
      const w = firstLeft ? w1 : w2;
      const s = firstLeft ? s1 : s2;
      if (this.ctx.categorical[f]) {
        const b = firstLeft ? b1 : b2;
        const left = this.leftSet;
        left.fill(0);
        left[b >> 5] |= 1 << (b & 31);
        this.setSplit(f, gain, 0, left, w, s, w);
      } else this.setSplit(f, gain, firstLeft ? b1 : b2, null, w, s, w);
    }
    return found ? this.split : null;
  }

  /** As split-finding.ts's scanFeature for width 2: bins ascending, left = bins ≤ threshold. */
  private scanNumeric(
    cb: number,
    tb: number,
    count: number,
    f: number,
    W: number,
    S: number,
    best: { gain: number; found: boolean },
  ): void {
    const { cells, touched } = this;
    const parentScore = (S * S) / W;
    const minLeaf = this.ctx.minSamplesLeaf;
    const nb = this.ctx.nBins[f];
    let wl = 0;
    let sl = 0;
    let nl = 0;
    for (let j = 0; j < count; j++) {
      const b = touched[tb + j];
      if (b > nb - 2) break; // every non-missing row left is no split
      const c = cb + (b << 1);
      wl += cells[c];
      sl += cells[c + 1];
      nl += cells[c];
      if (nl < minLeaf) continue;
      if (W - nl < minLeaf) break;
      const wr = W - wl;
      const sr = S - sl;
      const gain = (sl * sl) / wl + (sr * sr) / wr - parentScore;
      if (gain > best.gain) {
        best.gain = gain;
        best.found = true;
        this.setSplit(f, gain, b, null, wl, sl, nl);
      }
    }
  }

  /** As split-finding.ts's scanCategories for width 2: categories by mean target (ties by bin), then scanned. */
  private scanCategories(
    cb: number,
    tb: number,
    count: number,
    f: number,
    W: number,
    S: number,
    best: { gain: number; found: boolean },
  ): void {
    const { cells, touched, catBins, catMeans } = this;
    let nc = 0;
    for (let j = 0; j < count; j++) {
      const b = touched[tb + j];
      const c = cb + (b << 1);
      if (!(cells[c] > 0)) continue;
      const m = cells[c + 1] / cells[c];
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
    const parentScore = (S * S) / W;
    const minLeaf = this.ctx.minSamplesLeaf;
    let wl = 0;
    let sl = 0;
    let nl = 0;
    let bestK = -1;
    let bestWl = 0;
    let bestSl = 0;
    let bestNl = 0;
    for (let k = 0; k < nc - 1; k++) {
      const c = cb + 2 * catBins[k];
      wl += cells[c];
      sl += cells[c + 1];
      nl += cells[c];
      if (nl < minLeaf || W - nl < minLeaf) continue;
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
    if (bestK < 0) return;
    const left = this.leftSet;
    left.fill(0);
    for (let j = 0; j <= bestK; j++) left[catBins[j] >> 5] |= 1 << (catBins[j] & 31);
    best.found = true;
    this.setSplit(f, best.gain, 0, left, bestWl, bestSl, bestNl);
  }

  private setSplit(
    feature: number,
    gain: number,
    threshold: number,
    leftCategories: Uint32Array | null,
    wl: number,
    sl: number,
    nl: number,
  ): void {
    const s = this.split;
    s.feature = feature;
    s.gain = gain;
    s.threshold = threshold;
    s.leftCategories = leftCategories;
    s.wl = wl;
    s.sl = sl;
    s.nl = nl;
  }
}
