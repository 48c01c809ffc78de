import { open } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PackedCountRows } from './count-table-builder';
import type { ParsedLines } from './count-line-parser';
import type { QuarantinedRow } from './quarantine';
import type { CountLimits } from './row-reader';

/**
 * The parse of a large file runs on two threads: this one reads the lines before a LF past the middle,
 * a worker thread reads the header and the lines after it, and its rows are appended after this
 * thread's, their line numbers shifted by the lines before the cut. The parse is most of the CPU of
 * an import before the warehouse, and each half follows the same rules as the whole file.
 */

/** Below this a file is parsed on one thread: a worker's start (tens of ms, more under tsx) would not pay. */
export const PARALLEL_PARSE_FROM_BYTES = 32 << 20;

export interface ParseWorkerData {
  path: string;
  delimiter: string;
  limits: CountLimits;
  /** The header line ends before this byte (its LF included). */
  headerEnd: number;
  start: number;
  end: number;
  /** Whether the line kernel reads the usual line (see scanCountLines). */
  lineKernel: boolean;
}

export interface ParsedSecondPart {
  rows: PackedCountRows;
  /** Numbered from the part's first line as line 1, lone CRs counted from the part's start. */
  lines: Float64Array;
  quarantined: QuarantinedRow[];
  malformed: { line: number; raw: string }[];
  rowsRead: number;
}

export type ParseWorkerMessage = { progress: number } | { done: ParsedSecondPart };

/** Where to cut: after the header and at a LF a little past the middle, or undefined when the file is not cut. */
export async function parallelParseCut(
  path: string,
  totalBytes: number,
): Promise<{ headerEnd: number; cut: number } | undefined> {
  const WINDOW = 64 * 1024;
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(WINDOW);
    const head = (await fh.read(buf, 0, WINDOW, 0)).bytesRead;
    // The header is the first line that is not empty (the importer skips empty lines). One holding a
    // quote could be set aside for its quoting, and the header would then be a later line: not cut.
    let headerEnd = -1;
    for (let s = 0; s < head;) {
      const nl = buf.indexOf(0x0a, s);
      if (nl === -1 || nl >= head) return undefined;
      let e = nl > s && buf[nl - 1] === 0x0d ? nl - 1 : nl;
      if (s === 0 && e >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) s = 3;
      if (e < s) e = s;
      if (e > s) {
        if (buf.subarray(s, e).includes(0x22)) return undefined;
        headerEnd = nl + 1;
        break;
      }
      s = nl + 1;
    }
    if (headerEnd === -1) return undefined;
    // A little past the middle: this thread starts at once while the worker boots (0.1–0.2 s compiled),
    // and with halves the import waited 0.2 s for the worker (657K real-width rows, 2-core Intel Xeon).
    const middle = Math.max(headerEnd, Math.floor(totalBytes * 0.55));
    const got = (await fh.read(buf, 0, WINDOW, middle)).bytesRead;
    const nl = buf.subarray(0, got).indexOf(0x0a);
    const cut = middle + nl + 1;
    return nl === -1 || cut >= totalBytes ? undefined : { headerEnd, cut };
  } finally {
    await fh.close();
  }
}

/** Starts the worker on bytes [data.start, data.end); its progress (bytes read) goes to onProgress. */
export function parseSecondPart(
  data: ParseWorkerData,
  onProgress: (bytesRead: number) => void,
): { result: Promise<ParsedSecondPart>; stop: () => Promise<void> } {
  const file = join(__dirname, `count-parse-worker${extname(__filename)}`);
  // From TypeScript sources (tsx, vitest) the worker registers tsx's require hook first: Node 20 does
  // not pass --import loaders on to workers (as startEngineWorker does).
  const worker = file.endsWith('.ts')
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData: data })
    : new Worker(file, { workerData: data });
  const result = new Promise<ParsedSecondPart>((resolve, reject) => {
    worker.on('message', (m: ParseWorkerMessage) => {
      if ('progress' in m) onProgress(m.progress);
      else resolve(m.done);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the parse worker stopped (exit code ${code}) before its result`)));
  });
  // Handled from the start: the worker can fail (a bad header) before this thread, which reports its own error.
  result.catch(() => undefined);
  return {
    result,
    stop: async () => {
      await worker.terminate();
    },
  };
}

/** Appends the second part to the first (this thread's, read from byte 0): rows after rows, lines shifted. */
export function joinParts(first: ParsedLines, lfLinesBefore: number, second: ParsedSecondPart): void {
  // A row's line counts the first part's lone CRs too (see countLineParser); a malformed line's does not.
  const rowShift = lfLinesBefore + first.loneCrs;
  first.out.appendPacked(second.rows);
  for (const l of second.lines) first.lines.push(l + rowShift);
  for (const q of second.quarantined) first.quarantined.push({ ...q, line: q.line + rowShift });
  for (const u of second.malformed) first.malformed.push({ ...u, line: u.line + lfLinesBefore });
  first.rowsRead += second.rowsRead;
}
