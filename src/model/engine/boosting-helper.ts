import type { Worker } from 'node:worker_threads';
import type { KernelMemoryPlan, SharedWasmMemory } from './boosting-kernels';
import { startEngineWorker } from './engine-worker';
import type { Split } from './split-finding';

// The control word's states and the requests' slots (Int32 words of `ctrl`).
export const HELPER_IDLE = 0;
export const HELPER_REQUEST = 1;
export const HELPER_DONE = 2;
export const HELPER_EXIT = 3;
export const OP_HISTOGRAM = 0;
export const OP_PARTITION = 1;
export const OP_UPDATE = 2;
export const CTRL = {
  state: 0,
  op: 1,
  start: 2,
  end: 3,
  feature: 4,
  threshold: 5,
  hasSet: 6,
  rowMajor: 7,
  result: 8,
  nLeaves: 9,
  set: 10,
};
const CTRL_WORDS = CTRL.set + 8;

/** The worker's data; the memory's plan follows in a message (see BoostingHelper.setPlan). */
export interface BoostingHelperInit {
  memory: SharedWasmMemory;
  ctrl: SharedArrayBuffer;
}

/** How long the grower waits for one request before it gives up on the helper. */
const HELPER_TIMEOUT_MS = 60_000;

/**
 * How long either thread polls the control word before it sleeps on it. A boosting round sends the
 * helper thousands of requests microseconds apart (a node's histogram half, then its partition half), and
 * waking a thread asleep in Atomics.wait costs tens to hundreds of microseconds on a virtual machine: the
 * boosting profile on a 2-core Intel Xeon VM had the grower waiting for the helper a quarter of its time.
 * Polling this long first answers the next request at once; past it, the thread sleeps (between fits,
 * or while the grower works alone on small nodes).
 */
export const SPIN_MS = 0.2;

/** Polls `ctrl[CTRL.state]` while it is `value`, for at most SPIN_MS; true when it changed meanwhile. */
export function spinWhile(ctrl: Int32Array, value: number): boolean {
  const until = performance.now() + SPIN_MS;
  for (;;) {
    for (let i = 0; i < 256; i++) if (Atomics.load(ctrl, CTRL.state) !== value) return true;
    if (performance.now() > until) return false;
  }
}

/**
 * Boosting's second thread, on the kernels' shared memory (see
 * BoostingKernels, instance 1): builds the second half of a large node's
 * histogram, partitions the second half of a large node's rows, or
 * updates the second half of the rows' predictions, while the grower does
 * the first. A boosting round is one tree, so the two cores
 * share each node's work. Handshake on a shared control word with Atomics,
 * as HistogramHelper's (a request is answered in microseconds).
 */
export class BoostingHelper {
  private readonly ctrl: Int32Array;
  private readonly worker: Worker;
  private failure: Error | null = null;

  /**
   * Starts the helper thread on `memory`; resolves once it is ready. It can start before the data is
   * binned (a worker takes 50–200 ms to start): its first request waits for `setPlan`.
   */
  static async start(memory: SharedWasmMemory): Promise<BoostingHelper> {
    const helper = new BoostingHelper(memory);
    await new Promise<void>((resolve, reject) => {
      helper.worker.once('message', () => resolve());
      helper.worker.once('error', reject);
      helper.worker.once('exit', (code) => reject(new Error(`boosting helper thread exited with code ${code}`)));
    }).catch(async (e: unknown) => {
      await helper.worker.terminate();
      throw e;
    });
    return helper;
  }

  private constructor(memory: SharedWasmMemory) {
    const ctrl = new SharedArrayBuffer(4 * CTRL_WORDS);
    this.ctrl = new Int32Array(ctrl);
    const init: BoostingHelperInit = { memory, ctrl };
    this.worker = startEngineWorker('boosting-helper-worker', init);
    this.worker.on('error', (e) => (this.failure = e));
  }

  /** Where the data is in the memory: the helper handles requests from then on. */
  setPlan(plan: KernelMemoryPlan): void {
    this.worker.postMessage(plan);
  }

  /** Starts building rows [start, end)'s histogram into the helper's area (BoostingKernels thread 1's `out`). */
  requestHistogram(start: number, end: number): void {
    this.ctrl[CTRL.op] = OP_HISTOGRAM;
    this.send(start, end);
  }

  /** Starts partitioning rows [start, end) apart (see BoostingKernels.partitionApart); `wait` returns the left count. */
  requestPartition(split: Split, start: number, end: number, rowMajor: boolean): void {
    const c = this.ctrl;
    c[CTRL.op] = OP_PARTITION;
    c[CTRL.feature] = split.feature;
    c[CTRL.threshold] = split.threshold;
    c[CTRL.rowMajor] = rowMajor ? 1 : 0;
    c[CTRL.hasSet] = split.leftCategories ? 1 : 0;
    if (split.leftCategories) for (let w = 0; w < 8; w++) c[CTRL.set + w] = split.leftCategories[w] | 0;
    this.send(start, end);
  }

  /** Starts the prediction update of positions [start, end) from the first `nLeaves` of the leaf table. */
  requestUpdate(nLeaves: number, start: number, end: number): void {
    this.ctrl[CTRL.op] = OP_UPDATE;
    this.ctrl[CTRL.nLeaves] = nLeaves;
    this.send(start, end);
  }

  private send(start: number, end: number): void {
    this.ctrl[CTRL.start] = start;
    this.ctrl[CTRL.end] = end;
    Atomics.store(this.ctrl, CTRL.state, HELPER_REQUEST);
    Atomics.notify(this.ctrl, CTRL.state);
  }

  /** Blocks until the request is done; returns its result (a partition's left count). */
  wait(): number {
    spinWhile(this.ctrl, HELPER_REQUEST);
    const deadline = Date.now() + HELPER_TIMEOUT_MS;
    while (Atomics.load(this.ctrl, CTRL.state) !== HELPER_DONE) {
      if (this.failure) throw this.failure;
      if (Date.now() > deadline) throw new Error('boosting helper thread did not answer');
      Atomics.wait(this.ctrl, CTRL.state, HELPER_REQUEST, 100);
    }
    Atomics.store(this.ctrl, CTRL.state, HELPER_IDLE);
    return this.ctrl[CTRL.result];
  }

  async close(): Promise<void> {
    Atomics.store(this.ctrl, CTRL.state, HELPER_EXIT);
    Atomics.notify(this.ctrl, CTRL.state);
    await this.worker.terminate();
  }
}
