import { packedRowsOn, type PackedRows } from './binning';
import { HISTOGRAM_KERNEL_WASM } from './histogram-kernel-wasm';
import type { HistogramLayout } from './histogram';
import type { Split } from './split-finding';

/** The kernel's two-way histogram export (the forest's workspace calls it too). */
export type HistogramTwoWay = (
  h: number,
  g: number,
  bytes: number,
  bins: number,
  stride: number,
  rows: number,
  stats: number,
  start: number,
  end: number,
  offs: number,
) => void;
type UpdatePredictions = (
  ranges: number,
  values: number,
  nLeaves: number,
  a: number,
  b: number,
  rows: number,
  pred: number,
  y: number,
  stats: number,
) => void;
type Partition = (
  rows: number,
  scratch: number,
  col: number,
  stride: number,
  start: number,
  end: number,
  threshold: number,
  set: number,
) => number;

// The part of the WebAssembly API used here: the project's libs (ES2022, no DOM) do not declare it.
export interface SharedWasmMemory {
  buffer: SharedArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => SharedWasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | null = null;
/** The compiled histogram-kernel.wat (once a thread). */
export function kernelModule(): object {
  return (compiled ??= new wasm.Module(Buffer.from(HISTOGRAM_KERNEL_WASM, 'base64')));
}

/** Threads that use the kernels at once (the grower and its helper), each with its own output area. */
export const KERNEL_THREADS = 2;

/** A category set's words: as many as a tree's largest set (256 bins). */
const SET_WORDS = 8;

/** Leaves a round's prediction update takes at once (BoostingKernels.updatePredictions); trees with more update in JavaScript. */
export const LEAF_TABLE = 4096;

/**
 * Byte offsets of boosting's arrays in the kernels' shared memory. The matrix
 * comes first in packRows' layout (row-major bins, then the columns), so
 * `packedRowsOn(memory.buffer, …)` reads it as PackedRows; then the grower's
 * rows, stats and partition scratch; then per thread a histogram pair and a
 * category set; the targets, training predictions and a round's leaf table
 * (see BoostingKernels.updatePredictions). Plain numbers, so a worker gets it in its workerData.
 */
export interface KernelMemoryPlan {
  nRows: number;
  stride: number;
  cells: number;
  rows: number;
  stats: number;
  scratch: number;
  y: number;
  pred: number;
  leafRanges: number;
  leafValues: number;
  offs: number;
  /** Per thread: histograms h and g (16 bytes a cell) and a category set. */
  areas: { h: number; g: number; set: number }[];
  bytes: number;
}

const align = (x: number) => Math.ceil(x / 64) * 64;

/**
 * `areaCells` (≥ cells) sizes the threads' histogram areas: memory reserved before the bins are
 * known (see reserveKernelMemory) takes the largest a feature count allows.
 */
export function kernelMemoryPlan(nRows: number, stride: number, cells: number, areaCells = cells): KernelMemoryPlan {
  let at = 0;
  const take = (bytes: number) => {
    const o = at;
    at = align(at + bytes);
    return o;
  };
  take(2 * nRows * stride);
  const rows = take(4 * nRows);
  const stats = take(8 * nRows);
  const scratch = take(4 * nRows);
  const y = take(8 * nRows);
  const pred = take(8 * nRows);
  const leafRanges = take(8 * LEAF_TABLE);
  const leafValues = take(8 * LEAF_TABLE);
  const offs = take(4 * stride);
  const areas = Array.from({ length: KERNEL_THREADS }, () => ({
    h: take(16 * areaCells),
    g: take(16 * areaCells),
    set: take(4 * SET_WORDS),
  }));
  return { nRows, stride, cells, rows, stats, scratch, y, pred, leafRanges, leafValues, offs, areas, bytes: at };
}

/** Memory for a KernelMemory of `nRows` × `stride` bins, before binning (so the helper thread can start meanwhile). */
export interface ReservedKernelMemory {
  memory: SharedWasmMemory;
  nRows: number;
  stride: number;
  /** The most histogram cells `stride` features can have (256 bins each, the missing one included). */
  maxCells: number;
}

/** Shared WebAssembly memory of at least `bytes` bytes (the kernels import shared memory). */
export function newKernelMemory(bytes: number): SharedWasmMemory {
  const pages = Math.ceil(bytes / 65536);
  return new wasm.Memory({ initial: pages, maximum: pages, shared: true });
}

/** An instance of the kernels on `memory`. */
export function kernelInstance(memory: SharedWasmMemory): { exports: Record<string, unknown> } {
  return new wasm.Instance(kernelModule(), { env: { memory } });
}

export function reserveKernelMemory(nRows: number, stride: number): ReservedKernelMemory {
  const maxCells = 256 * stride;
  const pages = Math.ceil(kernelMemoryPlan(nRows, stride, maxCells).bytes / 65536);
  return { memory: new wasm.Memory({ initial: pages, maximum: pages, shared: true }), nRows, stride, maxCells };
}

/**
 * Boosting's data on WebAssembly shared memory, for the histogram and
 * partition kernels (histogram-kernel.wat) of both threads: the binned
 * matrix (copied in once), and the grower's rows, stats (width 2: weight
 * 1 and residual, see NodeRows) and scratch, which fitBoosting fills.
 */
export class KernelMemory {
  readonly packed: PackedRows;
  readonly rows: Uint32Array;
  readonly stats: Float32Array;
  readonly scratch: Uint32Array;
  /** The training targets and predictions, by row. */
  readonly y: Float64Array;
  readonly pred: Float64Array;
  /** A round's leaves: rows[leafRanges[2j], leafRanges[2j + 1]) end in leaf j, of value leafValues[j]. */
  readonly leafRanges: Int32Array;
  readonly leafValues: Float64Array;

  constructor(
    readonly memory: SharedWasmMemory,
    readonly plan: KernelMemoryPlan,
  ) {
    const { buffer } = memory;
    const n = plan.nRows;
    this.packed = packedRowsOn(buffer, n, plan.stride);
    this.rows = new Uint32Array(buffer, plan.rows, n);
    this.stats = new Float32Array(buffer, plan.stats, 2 * n);
    this.scratch = new Uint32Array(buffer, plan.scratch, n);
    this.y = new Float64Array(buffer, plan.y, n);
    this.pred = new Float64Array(buffer, plan.pred, n);
    this.leafRanges = new Int32Array(buffer, plan.leafRanges, 2 * LEAF_TABLE);
    this.leafValues = new Float64Array(buffer, plan.leafValues, LEAF_TABLE);
  }

  /** Thread t's output histogram (BoostingKernels.out of its instance), as numbers. */
  output(thread: number): Float64Array {
    return new Float64Array(this.memory.buffer, this.plan.areas[thread].h, 2 * this.plan.cells);
  }

  /** Memory for `packed` and its histograms (layout width 2), with the matrix copied in. */
  static create(packed: PackedRows, layout: HistogramLayout, reserved?: ReservedKernelMemory): KernelMemory {
    if (layout.width !== 2) throw new Error('the boosting kernels take unweighted rows (histogram width 2)');
    const { nRows, stride } = packed;
    const cells = layout.offsets[layout.offsets.length - 1];
    if (reserved && (reserved.nRows !== nRows || reserved.stride !== stride || reserved.maxCells < cells))
      throw new Error('the reserved kernel memory does not fit these rows');
    const plan = kernelMemoryPlan(nRows, stride, cells, reserved?.maxCells);
    const memory = reserved?.memory ?? reserveKernelMemory(nRows, stride).memory;
    const mem = new KernelMemory(memory, plan);
    mem.packed.bins.set(packed.bins);
    packed.columns.forEach((c, f) => mem.packed.columns[f].set(c));
    const offs = new Int32Array(mem.memory.buffer, plan.offs, stride);
    for (let f = 0; f < stride; f++) offs[f] = 16 * layout.offsets[f];
    return mem;
  }
}

/** One thread's instance of the kernels on a KernelMemory, writing to that thread's area. */
export class BoostingKernels {
  private readonly histogramTwoWay: HistogramTwoWay;
  private readonly partitionKernel: Partition;
  private readonly updateKernel: UpdatePredictions;
  private readonly area: { h: number; g: number; set: number };
  /** This thread's output histogram (area h) as numbers. */
  readonly out: Float64Array;
  private readonly set: Uint32Array;

  constructor(
    private readonly mem: KernelMemory,
    thread: number,
  ) {
    const instance = new wasm.Instance(kernelModule(), { env: { memory: mem.memory } });
    this.histogramTwoWay = instance.exports.histogram_two_way as HistogramTwoWay;
    this.partitionKernel = instance.exports.partition as Partition;
    this.updateKernel = instance.exports.update_predictions as UpdatePredictions;
    this.area = mem.plan.areas[thread];
    this.out = mem.output(thread);
    this.set = new Uint32Array(mem.memory.buffer, this.area.set, SET_WORDS);
  }

  /**
   * The histogram of rows[start, end) into this thread's `out`: the sums of
   * buildHistogram's two-way loop, in its order (the same bits).
   */
  histogram(start: number, end: number): Float64Array {
    const p = this.mem.plan;
    this.histogramTwoWay(this.area.h, this.area.g, 16 * p.cells, 0, p.stride, p.rows, p.stats, start, end, p.offs);
    return this.out;
  }

  /**
   * Partitions rows[start, end) by `split` as partitionNode does, leaving
   * the left rows at rows[start, start + left) and the right ones at
   * scratch[start, end − left); returns `left`. Large nodes read the split
   * feature's column, small ones (`rowMajor`) the row-major bins.
   */
  partitionApart(
    split: Pick<Split, 'feature' | 'threshold' | 'leftCategories'>,
    start: number,
    end: number,
    rowMajor: boolean,
  ): number {
    const p = this.mem.plan;
    const col = rowMajor ? split.feature : (p.stride + split.feature) * p.nRows;
    let set = 0;
    if (split.leftCategories) {
      this.set.fill(0);
      this.set.set(split.leftCategories.subarray(0, SET_WORDS));
      set = this.area.set;
    }
    return this.partitionKernel(p.rows, p.scratch, col, rowMajor ? p.stride : 1, start, end, split.threshold, set);
  }

  /**
   * For the rows at positions [a, b) of `rows`: pred += their leaf's value (the first `nLeaves` of
   * the memory's leaf table) and their residual stat becomes y − pred, as fitBoosting's loop does.
   */
  updatePredictions(nLeaves: number, a: number, b: number): void {
    const p = this.mem.plan;
    this.updateKernel(p.leafRanges, p.leafValues, nLeaves, a, b, p.rows, p.pred, p.y, p.stats);
  }
}
