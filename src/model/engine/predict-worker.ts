import { parentPort } from 'node:worker_threads';
import { sumGroups } from './predict-parallel';
import type { PredictJob, PredictReply } from './predict-pool';

/**
 * A pooled prediction worker (predict-pool.ts): for each job posted, takes groups of trees off the job's
 * shared counter and sends back their partial sums (none when the other threads took every group).
 */
parentPort!.on('message', ({ id, job }: { id: number; job: PredictJob }) => {
  let reply: PredictReply;
  try {
    const cols = Array.from({ length: job.nFeatures }, (_, f) => new Uint8Array(job.bins, f * job.nRows, job.nRows));
    reply = { id, partials: sumGroups(job, cols) };
  } catch (err) {
    reply = { id, error: err instanceof Error ? err.message : String(err) };
  }
  const transfer = 'partials' in reply ? [...reply.partials.values()].map((p) => p.buffer as ArrayBuffer) : [];
  parentPort!.postMessage(reply, transfer);
});
