import type { PackedRows } from './binning';
import type { SharedWasmMemory } from './boosting-kernels';
import type { NodeRows } from './partition';
import { FOREST_SPLIT_KERNEL_WASM } from './forest-split-kernel-wasm';
import type { Split, SplitContext } from './split-finding';

type SmallFind = (
  rows: number,
  stats: number,
  bins: number,
  stride: number,
  start: number,
  end: number,
  nf: number,
  W: number,
  S: number,
  minLeaf: number,
  minGain: number,
  ws: number,
) => number;

// The part of the WebAssembly API used here (the project's libs declare none of it; see boosting-kernels.ts).
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
type SmallPartition = (
  rows: number,
  bins: number,
  stride: number,
  start: number,
  end: number,
  feature: number,
  threshold: number,
  set: number,
  scratch: number,
) => number;

type DenseFind = (
  h: number,
  nf: number,
  W: number,
  S: number,
  minLeaf: number,
  minGain: number,
  ws: number,
  offs: number,
  identity: number,
) => number;

type Gather = (
  rows: number,
  stats: number,
  bins: number,
  stride: number,
  start: number,
  end: number,
  localRows: number,
  localStats: number,
  localBins: number,
) => void;

type Bootstrap = (y: number, n: number, state: number, draws: number, stats: number, rows: number) => number;
type Subtract = (out: number, a: number, b: number, bytes: number) => void;
type AddInto = (out: number, b: number, bytes: number) => void;

const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | null = null;

/** Byte offsets in the kernel's workspace (forest-split-kernel.wat lays them out and says what each holds). */
const WS = { features: 0, nBins: 1024, categorical: 2048, out: 4096, constant: 4224, touched: 8320 } as const;

/** The most features the workspace's per-feature tables hold (tree.ts's MAX_FEATURES is no more). */
const MAX_KERNEL_FEATURES = 256;

/**
 * forest-split-kernel.wat's split searches (a small node's rows, or a full histogram) and partitions, on a
 * forest worker's kernel memory (forest-kernel.ts): the node's rows, stats, bins and histogram must be on
 * that memory (the gathered local copy and the first 64 levels' histogram slots are). Its workspace holds the settings per feature (written once), the node's feature list, and the
 * result, read back through the views below.
 */
export class ForestSplitKernel {
  private readonly find: SmallFind;
  private readonly partitionRows: SmallPartition;
  private readonly denseFind: DenseFind;
  private readonly gatherRows: Gather;
  private readonly drawRows: Bootstrap;
  private readonly subtractCells: Subtract;
  private readonly addCells: AddInto;
  /** The memory the node's arrays must be on. */
  readonly buffer: SharedArrayBuffer;
  private readonly features: Int32Array;
  private readonly out: Int32Array;
  private readonly outF64: Float64Array;
  /** The winning category set's words, when the split is categorical. */
  readonly leftSet: Uint32Array;
  /** The features found constant: constant[0..nConstant). */
  readonly constant: Int32Array;

  /** Workspace bytes for `stride` features (the touched lists and the cells grow with it). */
  static bytes(stride: number): number {
    return WS.touched + stride * 1028 + 16 + stride * 4096;
  }

  /**
   * @param ws the workspace's byte offset (16-byte aligned, ForestSplitKernel.bytes(stride) bytes)
   * @param scratch byte offset of room for `scratchRows` row indices, the most a partition moves
   * @param offs byte offset of each feature's first histogram cell (i32 each), for full histograms
   * @param identity byte offset of 1 KiB the kernel fills with i32 0..255
   */
  constructor(
    memory: SharedWasmMemory,
    private readonly ws: number,
    private readonly scratch: number,
    private readonly scratchRows: number,
    private readonly offs: number,
    private readonly identity: number,
    ctx: SplitContext,
    stride: number,
  ) {
    if (stride > MAX_KERNEL_FEATURES) throw new Error(`the forest split kernel takes at most 256 features`);
    if (ws % 16 !== 0) throw new Error('the forest split kernel workspace must be 16-byte aligned');
    const buffer = (this.buffer = memory.buffer);
    new Uint8Array(buffer, ws, ForestSplitKernel.bytes(stride)).fill(0);
    this.features = new Int32Array(buffer, ws + WS.features, stride);
    const nBins = new Int32Array(buffer, ws + WS.nBins, stride);
    const categorical = new Int32Array(buffer, ws + WS.categorical, stride);
    for (let f = 0; f < stride; f++) {
      nBins[f] = ctx.nBins[f];
      categorical[f] = ctx.categorical[f] ? 1 : 0;
    }
    this.out = new Int32Array(buffer, ws + WS.out, 4);
    this.outF64 = new Float64Array(buffer, ws + WS.out + 16, 4);
    this.leftSet = new Uint32Array(buffer, ws + WS.out + 48, 8);
    this.constant = new Int32Array(buffer, ws + WS.constant, stride);
    compiled ??= new wasm.Module(Buffer.from(FOREST_SPLIT_KERNEL_WASM, 'base64'));
    const { exports } = new wasm.Instance(compiled, { env: { memory } });
    this.find = exports.small_find as SmallFind;
    this.partitionRows = exports.small_partition as SmallPartition;
    this.denseFind = exports.dense_find as DenseFind;
    this.gatherRows = exports.gather as Gather;
    this.drawRows = exports.bootstrap as Bootstrap;
    this.subtractCells = exports.subtract as Subtract;
    this.addCells = exports.add_into as AddInto;
    new Int32Array(buffer, identity, 256).set(Int32Array.from({ length: 256 }, (_, b) => b));
  }

  /**
   * The best split of rows[start, end) (byte offsets of rows, stats and bins on the kernel memory) over
   * `features`, gaining more than `minGain`: whether one was found; then `result` has it.
   */
  search(
    rows: number,
    stats: number,
    bins: number,
    stride: number,
    start: number,
    end: number,
    features: readonly number[],
    W: number,
    S: number,
    minLeaf: number,
    minGain: number,
  ): boolean {
    const nf = features.length;
    for (let j = 0; j < nf; j++) this.features[j] = features[j];
    return this.find(rows, stats, bins, stride, start, end, nf, W, S, minLeaf, minGain, this.ws) === 1;
  }

  /**
   * findBestSplit (split-finding.ts) on a full histogram `h` on the kernel memory, unweighted: whether a
   * split gains more than `minGain`; then `result` has it, and `constant` the features found constant.
   */
  searchHistogram(
    h: Float64Array,
    features: readonly number[],
    W: number,
    S: number,
    minLeaf: number,
    minGain: number,
  ): boolean {
    const nf = features.length;
    for (let j = 0; j < nf; j++) this.features[j] = features[j];
    return this.denseFind(h.byteOffset, nf, W, S, minLeaf, minGain, this.ws, this.offs, this.identity) === 1;
  }

  /**
   * The last search's split, written into `split` (a grower's reused one): its category set is this
   * kernel's, overwritten by the next search (TreeBuilder.makeSplit copies it, partition reads it).
   */
  readInto(split: Split): Split {
    split.feature = this.out[0];
    split.threshold = this.out[1];
    split.leftCategories = this.out[2] === 1 ? this.leftSet : null;
    split.gain = this.outF64[0];
    split.wl = this.outF64[1];
    split.sl = this.outF64[2];
    split.nl = this.outF64[3];
    return split;
  }

  /** The last search's split as a new Split, its category set copied (a depth-first grower keeps each node's). */
  result(): Split {
    const split = this.readInto({ feature: 0, gain: 0, threshold: 0, leftCategories: null, wl: 0, sl: 0, nl: 0 });
    if (split.leftCategories) split.leftCategories = split.leftCategories.slice();
    return split;
  }

  /** Whether a node's rows, stats and bins are all on this kernel's memory (a forest worker's gathered copy is). */
  holds(at: { r: NodeRows; packed: PackedRows }): boolean {
    const b = this.buffer;
    return at.r.rows.buffer === b && at.r.stats.buffer === b && at.packed.bins.buffer === b;
  }

  /**
   * partitionNode (partition.ts) of rows[start, end) of `at` (on the kernel memory, see `holds`) by
   * `split`: the first right position. On row-major bins, or (`rowMajor` false) streaming the split
   * feature's column, which must be on the kernel memory too (a forest kernel's packed rows' are).
   */
  partition(
    at: { r: NodeRows; packed: PackedRows },
    start: number,
    end: number,
    split: Split,
    rowMajor = true,
  ): number {
    if (end - start > this.scratchRows) throw new Error(`a kernel partition takes at most ${this.scratchRows} rows`);
    let set = 0;
    if (split.leftCategories) {
      // A set found in JavaScript (a node of two rows, a full histogram's copy) is copied where the kernel reads it.
      if (split.leftCategories !== this.leftSet) this.leftSet.set(split.leftCategories);
      set = this.leftSet.byteOffset;
    }
    const { rows } = at.r;
    if (!rowMajor) {
      const column = at.packed.columns[split.feature];
      if (column.buffer !== this.buffer) throw new Error('a column partition needs the column on the kernel memory');
      return this.partitionRows(
        rows.byteOffset,
        column.byteOffset,
        1,
        start,
        end,
        0,
        split.threshold,
        set,
        this.scratch,
      );
    }
    const { bins, stride } = at.packed;
    return this.partitionRows(
      rows.byteOffset,
      bins.byteOffset,
      stride,
      start,
      end,
      split.feature,
      split.threshold,
      set,
      this.scratch,
    );
  }

  /**
   * bootstrapRows' unweighted draws from `state` (bootstrap-rows.ts, the reference) into `rows` and
   * `stats`, with `y` and the byte counts `draws` (n bytes): all on the kernel memory. The in-bag rows'
   * count, or −1 when a row was drawn 256 times or more (then only `draws` was written).
   */
  bootstrap(y: Float64Array, state: number, draws: Uint8Array, stats: Float32Array, rows: Uint32Array): number {
    const b = this.buffer;
    const n = y.length;
    if (y.buffer !== b || draws.buffer !== b || stats.buffer !== b || rows.buffer !== b)
      throw new Error('a kernel bootstrap needs y, draws, stats and rows on the kernel memory');
    if (draws.length < n || stats.length < 2 * n || rows.length < n)
      throw new Error('kernel bootstrap: arrays too short');
    return this.drawRows(y.byteOffset, n, state, draws.byteOffset, stats.byteOffset, rows.byteOffset);
  }

  /** out = a − b, cell by cell (subtractHistogram), when all three are on the kernel memory; else false. */
  subtract(out: Float64Array, a: Float64Array, b: Float64Array): boolean {
    const m = this.buffer;
    const sameLength = a.length === out.length && b.length === out.length && out.length % 2 === 0;
    if (out.buffer !== m || a.buffer !== m || b.buffer !== m || !sameLength) return false;
    this.subtractCells(out.byteOffset, a.byteOffset, b.byteOffset, 8 * out.length);
    return true;
  }

  /** out += b, cell by cell, when both are on the kernel memory; else false. */
  addInto(out: Float64Array, b: Float64Array): boolean {
    const m = this.buffer;
    if (out.buffer !== m || b.buffer !== m || b.length !== out.length || out.length % 2 !== 0) return false;
    this.addCells(out.byteOffset, b.byteOffset, 8 * out.length);
    return true;
  }

  /**
   * GrowWorkspace.gather of rows at positions [start, end) of `from` into `to` (both on the kernel
   * memory, unweighted): local row k is the k-th, with its bins and stats.
   */
  gather(
    from: { r: NodeRows; packed: PackedRows },
    to: { r: NodeRows; packed: PackedRows },
    start: number,
    end: number,
  ): void {
    const stride = from.packed.stride;
    this.gatherRows(
      from.r.rows.byteOffset,
      from.r.stats.byteOffset,
      from.packed.bins.byteOffset,
      stride,
      start,
      end,
      to.r.rows.byteOffset,
      to.r.stats.byteOffset,
      to.packed.bins.byteOffset,
    );
  }

  /** How many features the last search found constant. */
  get nConstant(): number {
    return this.out[3];
  }
}
