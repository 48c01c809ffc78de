import type { BoostingHelper } from './boosting-helper';
import { BoostingKernels, type KernelMemory } from './boosting-kernels';
import { GrowWorkspace, HALVES_MIN_ROWS, type RowSource } from './grow-tree';
import { buildHistogram, newHistogram, TWO_WAY_MIN_ROWS } from './histogram';
import { partitionNode } from './partition';
import type { Split, SplitContext } from './split-finding';

/** Nodes with at least this many rows are partitioned in two halves, one a thread (see `partition`). */
export const PARALLEL_PARTITION_ROWS = 32_768;

/**
 * Boosting's grower workspace: GrowWorkspace with its histograms and
 * partitions run by the WebAssembly kernels (BoostingKernels) on the
 * kernels' shared memory, whose matrix, rows and stats the grower then
 * uses, and the large nodes' work split with a BoostingHelper thread. The
 * sums are those of GrowWorkspace's JavaScript, in the same order, and the
 * partitions the same: the trees are the same to the last bit.
 * Rows without sample weights only (histogram width 2).
 */
export class BoostingWorkspace extends GrowWorkspace {
  private readonly kernels: BoostingKernels;
  /** The second thread; null on one core (the halves are then both built here, for the same sums). */
  boostingHelper: BoostingHelper | null = null;
  private secondHalf: Float64Array | null = null;
  /** The helper's output histogram. */
  private readonly helperOut: Float64Array;

  constructor(
    readonly mem: KernelMemory,
    ctx: SplitContext,
  ) {
    super(mem.packed, ctx);
    if (this.layout.width !== 2) throw new Error('BoostingWorkspace takes rows without sample weights');
    this.kernels = new BoostingKernels(mem, 0);
    this.helperOut = mem.output(1);
  }

  /**
   * A node's histogram, as GrowWorkspace.build: the same halves from
   * HALVES_MIN_ROWS rows (the second on the helper), and below
   * TWO_WAY_MIN_ROWS the JavaScript one-way loop (its sums' order; such
   * nodes cost little).
   */
  override build(h: Float64Array, at: RowSource, a: number, b: number): void {
    if (at.packed !== this.packed || b - a < TWO_WAY_MIN_ROWS) {
      buildHistogram(h, this.layout, at.packed, at.r.rows, at.r.stats, a, b, this.spare);
      return;
    }
    if (b - a < HALVES_MIN_ROWS) {
      h.set(this.kernels.histogram(a, b));
      return;
    }
    const mid = (a + b) >>> 1;
    const helper = this.boostingHelper;
    helper?.requestHistogram(mid, b);
    h.set(this.kernels.histogram(a, mid));
    let second: Float64Array;
    if (helper) {
      helper.wait();
      second = this.helperOut;
    } else {
      second = this.secondHalf ??= newHistogram(this.layout);
      second.set(this.kernels.histogram(mid, b));
    }
    for (let c = 0; c < h.length; c++) h[c] += second[c];
  }

  /**
   * partitionNode's partition of the grower's rows (the same result), by
   * the kernel; a large node's halves are partitioned apart on the two
   * threads, then their four runs (left₁ left₂ right₁ right₂) copied in
   * order.
   */
  partition(split: Split, start: number, end: number): number {
    const { rows, scratch } = this.mem;
    const rowMajor = end - start <= this.smallNodeRows;
    if (rowMajor) return partitionNode(rows, this.scratch, this.packed, split, start, end, true);
    const helper = this.boostingHelper;
    if (!helper || end - start < PARALLEL_PARTITION_ROWS) {
      const nl = this.kernels.partitionApart(split, start, end, false);
      rows.set(scratch.subarray(start, end - nl), start + nl);
      return start + nl;
    }
    const mid = (start + end) >>> 1;
    helper.requestPartition(split, mid, end, false);
    const l1 = this.kernels.partitionApart(split, start, mid, false);
    const l2 = helper.wait();
    const r1 = mid - start - l1;
    rows.copyWithin(start + l1, mid, mid + l2);
    rows.set(scratch.subarray(start, start + r1), start + l1 + l2);
    rows.set(scratch.subarray(mid, end - l2), start + l1 + l2 + r1);
    return start + l1 + l2;
  }

  /**
   * A round's end (see KernelMemory.leafRanges): pred += each row's leaf value and its residual stat
   * becomes y − pred, for the first `nLeaves` leaves of the table; the positions in two halves, one a
   * thread.
   */
  updatePredictions(nLeaves: number, m: number): void {
    const helper = this.boostingHelper;
    const mid = helper ? m >>> 1 : m;
    helper?.requestUpdate(nLeaves, mid, m);
    this.kernels.updatePredictions(nLeaves, 0, mid);
    helper?.wait();
  }
}
