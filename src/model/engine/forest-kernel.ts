import type { PackedRows } from './binning';
import { kernelInstance, newKernelMemory, type HistogramTwoWay } from './boosting-kernels';
import { TWO_WAY_MIN_ROWS, type HistogramLayout } from './histogram';
import type { NodeRows } from './partition';
import { ForestSplitKernel } from './forest-split-kernel';
import type { SplitContext } from './split-finding';

/** Histogram slots a forest tree keeps on the kernel's memory (two a depth level, see growTree); deeper ones are JavaScript arrays. */
export const KERNEL_SLOTS = 2 * 64;

/**
 * A forest worker's WebAssembly memory for boosting's SIMD histogram kernel
 * (histogram-kernel.wat's histogram_two_way): a copy of the row-major bins,
 * the tree's rows and stats (bootstrapRows writes them here), the local
 * copy of a gathered subtree (GrowWorkspace.gather), the histogram slots
 * and a spare, and the split searches' workspace. Each worker has its own (the bins are 1.6 bytes a row
 * feature more per worker, 6.6 MB for the bench's 657K rows): the kernel
 * reads everything at offsets of one memory.
 */
export class ForestKernel {
  readonly buffer: SharedArrayBuffer;
  /** `packed` with its row-major bins on this memory (the columns stay where they are). */
  readonly packed: PackedRows;
  readonly rows: Uint32Array;
  readonly stats: Float32Array;
  /** The targets the bootstrap reads (a copy) and its draw counts. */
  private readonly y: Float64Array;
  private readonly draws: Uint8Array;
  readonly local: { r: NodeRows; packed: PackedRows };
  private readonly slots: Float64Array[];
  readonly half: Float64Array;
  private readonly g: number;
  private readonly offs: number;
  private readonly bytes: number;
  private readonly twoWay: HistogramTwoWay;
  /** The split searches and partitions of forest-split-kernel.wat on this memory (GrowWorkspace, SmallSubtreeGrower). */
  readonly splits: ForestSplitKernel;

  /**
   * Whether `nRows` rows of `stride` features fit a kernel memory: wasm32 addresses 4 GiB, and the
   * bins (both layouts), rows, stats, y, draws and partition scratch take 25 bytes a row beside two bytes a
   * feature; past 2 GiB the JavaScript loops serve.
   */
  static fits(nRows: number, stride: number): boolean {
    return nRows * (2 * stride + 25) < 2 ** 31;
  }

  constructor(packed: PackedRows, layout: HistogramLayout, localRows: number, ctx: SplitContext) {
    if (layout.width !== 2) throw new Error('the forest kernel takes unweighted rows (histogram width 2)');
    const { nRows, stride } = packed;
    const cells = layout.offsets[layout.offsets.length - 1];
    this.bytes = 16 * cells;
    let at = 0;
    const take = (bytes: number) => {
      const o = at;
      at = Math.ceil((at + bytes) / 64) * 64;
      return o;
    };
    const bins = take(nRows * stride);
    const columns = Array.from({ length: stride }, () => take(nRows));
    const rows = take(4 * nRows);
    const stats = take(8 * nRows);
    const y = take(8 * nRows);
    const draws = take(nRows);
    const localBins = take(localRows * stride);
    const localRowsAt = take(4 * localRows);
    const localStats = take(8 * localRows);
    const slots = Array.from({ length: KERNEL_SLOTS + 1 }, () => take(this.bytes));
    this.g = take(this.bytes);
    this.offs = take(4 * stride);
    const splitWorkspace = take(ForestSplitKernel.bytes(stride));
    // A partition's right rows: a gathered node's, or a large node's of the tree's own rows.
    const scratchRows = Math.max(localRows, nRows);
    const scratch = take(4 * scratchRows);
    const identity = take(1024);
    const memory = newKernelMemory(at);
    const buffer = (this.buffer = memory.buffer);
    // Both layouts: large nodes' partitions stream one column (forest-split-kernel.wat's small_partition, stride 1).
    const onMemory = packed.columns.map((c, f) => {
      const column = new Uint8Array(buffer, columns[f], nRows);
      column.set(c);
      return column;
    });
    this.packed = { bins: new Uint8Array(buffer, bins, nRows * stride), stride, nRows, columns: onMemory };
    this.packed.bins.set(packed.bins);
    this.y = new Float64Array(buffer, y, nRows);
    this.draws = new Uint8Array(buffer, draws, nRows);
    this.rows = new Uint32Array(buffer, rows, nRows);
    this.stats = new Float32Array(buffer, stats, 2 * nRows);
    this.local = {
      r: {
        rows: new Uint32Array(buffer, localRowsAt, localRows),
        stats: new Float32Array(buffer, localStats, 2 * localRows),
      },
      packed: { bins: new Uint8Array(buffer, localBins, localRows * stride), stride, nRows: localRows, columns: [] },
    };
    this.slots = slots.slice(0, KERNEL_SLOTS).map((o) => new Float64Array(buffer, o, 2 * cells));
    this.half = new Float64Array(buffer, slots[KERNEL_SLOTS], 2 * cells);
    const offs = new Int32Array(buffer, this.offs, stride);
    for (let f = 0; f < stride; f++) offs[f] = 16 * layout.offsets[f];
    this.twoWay = kernelInstance(memory).exports.histogram_two_way as HistogramTwoWay;
    this.splits = new ForestSplitKernel(memory, splitWorkspace, scratch, scratchRows, this.offs, identity, ctx, stride);
  }

  /**
   * bootstrapRows' unweighted sample from `state` (see BootstrapKernel in bootstrap-rows.ts) into this
   * memory's rows and stats: the in-bag rows, or null when the JavaScript must draw (a row drawn 256 times).
   */
  bootstrap(y: Float64Array, state: number): Uint32Array | null {
    if (y.length !== this.y.length) return null;
    this.y.set(y); // a millisecond a tree; no stale copy if a caller reuses its array
    const inBag = this.splits.bootstrap(this.y, state, this.draws, this.stats, this.rows);
    return inBag < 0 ? null : this.rows.subarray(0, inBag);
  }

  /** Histogram slot i on this memory, or null past KERNEL_SLOTS. */
  slot(i: number): Float64Array | null {
    return i < KERNEL_SLOTS ? this.slots[i] : null;
  }

  /**
   * The histogram of rows[a, b) of `at` into `h`, as buildHistogram sums it (the same bits), when `h` and
   * `at`'s arrays are on this memory; false (nothing done) otherwise. From TWO_WAY_MIN_ROWS rows, its
   * two-way loop; below, the one-way loop: the kernel with g = h, so rows k and k + 1 add to h in row
   * order, and nothing to clear or add at the end (h is cleared here).
   */
  histogram(h: Float64Array, at: { r: NodeRows; packed: PackedRows }, a: number, b: number): boolean {
    const { rows, stats } = at.r;
    const bins = at.packed.bins;
    const buffer = this.buffer;
    if (h.buffer !== buffer || rows.buffer !== buffer || stats.buffer !== buffer || bins.buffer !== buffer)
      return false;
    const stride = at.packed.stride;
    if (b - a >= TWO_WAY_MIN_ROWS)
      this.twoWay(
        h.byteOffset,
        this.g,
        this.bytes,
        bins.byteOffset,
        stride,
        rows.byteOffset,
        stats.byteOffset,
        a,
        b,
        this.offs,
      );
    else {
      h.fill(0);
      this.twoWay(
        h.byteOffset,
        h.byteOffset,
        0,
        bins.byteOffset,
        stride,
        rows.byteOffset,
        stats.byteOffset,
        a,
        b,
        this.offs,
      );
    }
    return true;
  }
}
