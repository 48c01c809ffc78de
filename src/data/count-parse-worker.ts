/**
 * The worker thread of the parallel parse (see parseInParallel): reads the header, then the
 * file's second part, and sends back what it made of them, numbers in transferred arrays.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { countLineParser } from './count-line-parser';
import { scanCountLines } from './count-line-scan';
import type { ParseWorkerData, ParseWorkerMessage } from './parallel-parse';

async function main(d: ParseWorkerData): Promise<void> {
  const parser = countLineParser(d.path, d.delimiter, d.limits);
  await scanCountLines(d.path, parser, undefined, { start: 0, end: d.headerEnd }, d.lineKernel);
  parser.keepOnlyHeader();
  const progress = (bytesRead: number) => post({ progress: bytesRead });
  await scanCountLines(d.path, parser, progress, { start: d.start, end: d.end }, d.lineKernel);
  const p = parser.parsed();
  const rows = p.out.packed();
  const lines = Float64Array.from(p.lines);
  post(
    {
      done: {
        rows,
        lines,
        quarantined: p.quarantined,
        malformed: p.malformed,
        rowsRead: p.rowsRead,
      },
    },
    [rows.key, rows.timestampMs, rows.count, rows.lat, rows.lon, lines].map((a) => a.buffer as ArrayBuffer),
  );
}

function post(m: ParseWorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(m, transfer);
}

main(workerData as ParseWorkerData).catch((e: unknown) => {
  // Rethrown outside the promise: the thread's 'error' event carries it to the importer.
  setImmediate(() => {
    throw e;
  });
});
