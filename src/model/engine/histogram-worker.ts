import { parentPort, workerData } from 'node:worker_threads';
import { packedRowsOn } from './binning';
import { buildHistogram, histogramLayout, newHistogram } from './histogram';
import { HELPER_DONE, HELPER_EXIT, HELPER_IDLE, HELPER_REQUEST, type HistogramHelperInit } from './histogram-helper';

/**
 * The histogram helper's thread: sleeps on the control word, builds the
 * requested rows' histogram into the shared output, signals done. Past its
 * 'ready' it posts no messages, so it answers while the main thread is
 * blocked waiting.
 */
const init = workerData as HistogramHelperInit;
const packed = packedRowsOn(init.bins, init.nRows, init.stride);
const layout = histogramLayout(init.nBins, init.width);
const ctrl = new Int32Array(init.ctrl);
const rows = new Uint32Array(init.rows);
const stats = new Float32Array(init.stats);
const out = new Float64Array(init.out);
const spare = newHistogram(layout);
parentPort!.postMessage('ready');

for (;;) {
  Atomics.wait(ctrl, 0, HELPER_IDLE);
  const state = Atomics.load(ctrl, 0);
  if (state === HELPER_EXIT) break;
  if (state !== HELPER_REQUEST) continue;
  buildHistogram(out, layout, packed, rows, stats, ctrl[1], ctrl[2], spare);
  Atomics.store(ctrl, 0, HELPER_DONE);
  Atomics.notify(ctrl, 0);
}
