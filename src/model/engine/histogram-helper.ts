import type { Worker } from 'node:worker_threads';
import type { PackedRows } from './binning';
import { startEngineWorker } from './engine-worker';
import type { HistogramLayout, StatWidth } from './histogram';

export const HELPER_IDLE = 0;
export const HELPER_REQUEST = 1;
export const HELPER_DONE = 2;
export const HELPER_EXIT = 3;

export interface HistogramHelperInit {
  bins: SharedArrayBuffer;
  nRows: number;
  stride: number;
  nBins: readonly number[];
  width: StatWidth;
  ctrl: SharedArrayBuffer;
  rows: SharedArrayBuffer;
  stats: SharedArrayBuffer;
  out: SharedArrayBuffer;
}

/** How long the main thread waits for one half-histogram before it gives up on the helper. */
const HELPER_TIMEOUT_MS = 60_000;

/**
 * A second thread for boosting's histograms. A boosting round is one tree
 * (trees cannot be built in parallel, as a forest's are), and most of a
 * round is building histograms: the helper builds the second half of a
 * large node's rows while the main thread builds the first. Handshake on a
 * shared control word with Atomics (a message round trip would wait for
 * the event loop; a request here is answered in microseconds). `rows` and
 * `stats` are the grower's own arrays, on shared memory.
 */
export class HistogramHelper {
  private readonly ctrl: Int32Array;
  readonly out: Float64Array;
  private readonly worker: Worker;
  private failure: Error | null = null;

  /** Starts the helper thread; resolves once it is ready, so a start failure is an error here, not a stalled round. */
  static async start(
    packed: PackedRows,
    layout: HistogramLayout,
    rows: Uint32Array,
    stats: Float32Array,
  ): Promise<HistogramHelper> {
    const helper = new HistogramHelper(packed, layout, rows, stats);
    await new Promise<void>((resolve, reject) => {
      helper.worker.once('message', () => resolve());
      helper.worker.once('error', reject);
      helper.worker.once('exit', (code) => reject(new Error(`histogram helper thread exited with code ${code}`)));
    }).catch(async (e: unknown) => {
      await helper.worker.terminate();
      throw e;
    });
    return helper;
  }

  private constructor(packed: PackedRows, layout: HistogramLayout, rows: Uint32Array, stats: Float32Array) {
    if (
      !(rows.buffer instanceof SharedArrayBuffer) ||
      !(stats.buffer instanceof SharedArrayBuffer) ||
      !(packed.bins.buffer instanceof SharedArrayBuffer)
    )
      throw new Error('HistogramHelper needs rows, stats and bins on shared memory');
    const cells = layout.offsets[layout.offsets.length - 1];
    const ctrl = new SharedArrayBuffer(3 * 4);
    const out = new SharedArrayBuffer(layout.width * cells * 8);
    this.ctrl = new Int32Array(ctrl);
    this.out = new Float64Array(out);
    const init: HistogramHelperInit = {
      bins: packed.bins.buffer,
      nRows: packed.nRows,
      stride: packed.stride,
      nBins: layout.nBins,
      width: layout.width,
      ctrl,
      rows: rows.buffer,
      stats: stats.buffer,
      out,
    };
    this.worker = startEngineWorker('histogram-worker', init);
    this.worker.on('error', (e) => (this.failure = e));
  }

  /** Starts building rows [start, end) into `out`. */
  request(start: number, end: number): void {
    this.ctrl[1] = start;
    this.ctrl[2] = end;
    Atomics.store(this.ctrl, 0, HELPER_REQUEST);
    Atomics.notify(this.ctrl, 0);
  }

  /** Blocks until the requested histogram is in `out`. */
  wait(): Float64Array {
    const deadline = Date.now() + HELPER_TIMEOUT_MS;
    while (Atomics.load(this.ctrl, 0) !== HELPER_DONE) {
      if (this.failure) throw this.failure;
      if (Date.now() > deadline) throw new Error('histogram helper thread did not answer');
      Atomics.wait(this.ctrl, 0, HELPER_REQUEST, 100);
    }
    Atomics.store(this.ctrl, 0, HELPER_IDLE);
    return this.out;
  }

  async close(): Promise<void> {
    Atomics.store(this.ctrl, 0, HELPER_EXIT);
    Atomics.notify(this.ctrl, 0);
    await this.worker.terminate();
  }
}
