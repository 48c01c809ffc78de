import { parentPort, workerData } from 'node:worker_threads';
import { sumGroups, type PredictJob } from './predict-parallel';

/** A prediction worker: takes groups of trees off the shared counter and sends back their partial sums. */
const job = workerData as PredictJob;
const cols = Array.from({ length: job.nFeatures }, (_, f) => new Uint8Array(job.bins, f * job.nRows, job.nRows));
const partials = sumGroups(job, cols);
parentPort!.postMessage(
  partials,
  [...partials.values()].map((p) => p.buffer as ArrayBuffer),
);
