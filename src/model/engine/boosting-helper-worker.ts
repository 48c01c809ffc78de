import { parentPort, workerData } from 'node:worker_threads';
import { BoostingKernels, KernelMemory, type KernelMemoryPlan } from './boosting-kernels';
import {
  CTRL,
  HELPER_DONE,
  HELPER_EXIT,
  HELPER_IDLE,
  HELPER_REQUEST,
  OP_HISTOGRAM,
  OP_UPDATE,
  spinWhile,
  type BoostingHelperInit,
} from './boosting-helper';

/**
 * The boosting helper's thread: once it has the memory's plan, sleeps on the control word, runs the
 * requested kernel (instance 1, its own output area), signals done. Past
 * its 'ready' it posts no messages, so it answers while the grower is
 * blocked waiting.
 */
const init = workerData as BoostingHelperInit;
const ctrl = new Int32Array(init.ctrl);
const set = new Uint32Array(8);
parentPort!.once('message', (plan: KernelMemoryPlan) =>
  serve(new BoostingKernels(new KernelMemory(init.memory, plan), 1)),
);
parentPort!.postMessage('ready');

/** Answers requests until told to exit (never returning to the event loop meanwhile). */
function serve(kernels: BoostingKernels): void {
  for (;;) {
    if (!spinWhile(ctrl, HELPER_IDLE)) Atomics.wait(ctrl, CTRL.state, HELPER_IDLE);
    const state = Atomics.load(ctrl, CTRL.state);
    if (state === HELPER_EXIT) {
      parentPort!.close();
      return;
    }
    if (state !== HELPER_REQUEST) continue;
    const start = ctrl[CTRL.start];
    const end = ctrl[CTRL.end];
    const op = ctrl[CTRL.op];
    if (op === OP_HISTOGRAM) kernels.histogram(start, end);
    else if (op === OP_UPDATE) kernels.updatePredictions(ctrl[CTRL.nLeaves], start, end);
    else {
      for (let w = 0; w < 8; w++) set[w] = ctrl[CTRL.set + w];
      const split = {
        feature: ctrl[CTRL.feature],
        threshold: ctrl[CTRL.threshold],
        leftCategories: ctrl[CTRL.hasSet] ? set : null,
      };
      ctrl[CTRL.result] = kernels.partitionApart(split, start, end, ctrl[CTRL.rowMajor] === 1);
    }
    Atomics.store(ctrl, CTRL.state, HELPER_DONE);
    Atomics.notify(ctrl, CTRL.state);
  }
}
