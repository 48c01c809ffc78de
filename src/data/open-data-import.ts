import { open, stat } from 'node:fs/promises';
import { mayRepeatAKey, takeRows, type CountTable } from '../core/counts';
import { BadInputError } from '../core/errors';
import { DEFAULT_MAX_HOURLY_COUNT } from '../drift/config';
import { countLineParser, type ParsedLines } from './count-line-parser';
import { IN_FILE_CONFLICT, QUARANTINE_RAW_MAX, type QuarantinedRow } from './quarantine';
import { scanCountLines } from './count-line-scan';
import { joinParts, PARALLEL_PARSE_FROM_BYTES, parallelParseCut, parseSecondPart } from './parallel-parse';
import type { CountFileFormat } from './row-reader';

export type { CountFileFormat } from './row-reader';
export { rowReaderFor } from './count-line-parser';

export interface ImportOptions {
  /** Called as the file is read (bytes so far, file size): drives a progress bar. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** A count above this is quarantined (the run config's drift.quality.maxHourlyCount; default 10,000). */
  maxHourlyCount?: number;
  /** Files of at least this many bytes are parsed on two threads (see parallel-parse.ts); tests lower it. */
  parallelFromBytes?: number;
  /** false: every line read by the JavaScript reference, not the line kernel (see count-line-scan.ts); for tests. */
  lineKernel?: boolean;
}

export interface ImportResult {
  source: string;
  format: CountFileFormat;
  table: CountTable;
  /** Data lines read (loaded + quarantined). */
  rowsRead: number;
  /** Rows kept aside, in file order, with 1-based line numbers and reasons. */
  quarantined: QuarantinedRow[];
  /** The file line of each row of `table`. */
  lines: number[];
}

/**
 * Reads a counter file (the Paris open-data export or the raw table's
 * columns; `;` or `,`; UTF-8 with or without BOM; CRLF or LF, line by line)
 * into a CountTable, streaming. Bad rows are quarantined, never dropped
 * silently; a header without a required column refuses the whole file
 * (BadInputError naming it).
 *
 * Counter files hold no multi-line fields, so the file is split into lines
 * and a line into fields at the delimiter; only a line holding a double quote
 * takes the careful path (unquoted, or quarantined when its quoting is
 * malformed, the QuoteGuard's rule). The rules are those of the csv-parse
 * reader this replaced (test/support/csv-parse-import.ts, kept for the parity
 * tests): it spent most of the import's time on the common unquoted line.
 * The usual line is read by a WebAssembly kernel that gives the same rows
 * (count-line-scan.ts). A file of 32 MB or more is parsed on two threads, each
 * half by the same rules (parallel-parse.ts); the rows, lines and quarantine
 * are the same.
 */
export async function importCountsFile(path: string, options: ImportOptions = {}): Promise<ImportResult> {
  const delimiter = await sniffDelimiter(path);
  const totalBytes = (await stat(path)).size;
  const limits = { maxHourlyCount: options.maxHourlyCount ?? DEFAULT_MAX_HOURLY_COUNT };
  const parser = countLineParser(path, delimiter, limits);
  const parallel =
    totalBytes >= (options.parallelFromBytes ?? PARALLEL_PARSE_FROM_BYTES)
      ? await parallelParseCut(path, totalBytes)
      : undefined;
  let firstBytes = 0;
  let secondBytes = 0;
  const progress = () => options.onProgress?.(firstBytes + secondBytes, totalBytes);
  const second = parallel
    ? parseSecondPart(
        {
          path,
          delimiter,
          limits,
          headerEnd: parallel.headerEnd,
          start: parallel.cut,
          end: totalBytes,
          lineKernel: options.lineKernel ?? true,
        },
        (b) => {
          secondBytes = b;
          progress();
        },
      )
    : undefined;
  let parsed: ParsedLines;
  try {
    // The file is read as bytes, one character each (see scanCountLines and countLineParser).
    const next = await scanCountLines(
      path,
      parser,
      (b) => {
        firstBytes = b;
        progress();
      },
      parallel ? { start: 0, end: parallel.cut } : undefined,
      options.lineKernel ?? true,
    );
    parsed = parser.parsed();
    // When this part failed (a bad header: the worker fails the same way), its error is the one reported.
    if (second) joinParts(parsed, next - 1, await second.result);
  } finally {
    await second?.stop();
  }
  const { reader: header, quarantined, malformed } = parsed;
  if (!header) throw new BadInputError('empty file: no header line', { file: path, row: 1 });
  let rowsRead = parsed.rowsRead;
  for (const u of malformed) {
    if (u.line === 1) throw new BadInputError('header line has malformed quotes', { file: path, row: 1 });
    rowsRead++;
    quarantined.push({ line: u.line, reason: 'malformed quotes', raw: u.raw.slice(0, QUARANTINE_RAW_MAX) });
  }
  const kept = setAsideInFileConflicts(parsed.out.build(), parsed.lines, quarantined);
  quarantined.sort((a, b) => a.line - b.line);
  return { source: path, format: header.format, table: kept.table, rowsRead, quarantined, lines: kept.lines };
}

/**
 * A file that gives one counter and hour two different counts disagrees with
 * itself: which one is right cannot be told, so every row of that key is
 * quarantined (with the file's counts and their lines). Repeats of the same
 * count stay: the warehouse counts them as duplicates.
 */
export function setAsideInFileConflicts(
  t: CountTable,
  lines: number[],
  quarantined: QuarantinedRow[],
): { table: CountTable; lines: number[] } {
  if (!mayRepeatAKey(t)) return { table: t, lines };
  const firstOf = new Map<string, Map<number, number>>();
  const conflicting = new Map<string, Set<number>>();
  for (let i = 0; i < t.length; i++) {
    let hours = firstOf.get(t.counterId[i]);
    if (!hours) firstOf.set(t.counterId[i], (hours = new Map()));
    const first = hours.get(t.timestampMs[i]);
    if (first === undefined) hours.set(t.timestampMs[i], i);
    else if (!Object.is(t.count[first], t.count[i])) {
      let c = conflicting.get(t.counterId[i]);
      if (!c) conflicting.set(t.counterId[i], (c = new Set()));
      c.add(t.timestampMs[i]);
    }
  }
  if (conflicting.size === 0) return { table: t, lines };
  const keep: number[] = [];
  const aside = new Map<string, number[]>();
  for (let i = 0; i < t.length; i++) {
    if (!conflicting.get(t.counterId[i])?.has(t.timestampMs[i])) {
      keep.push(i);
      continue;
    }
    const key = `${t.counterId[i]}\u0000${t.timestampMs[i]}`;
    const rows = aside.get(key);
    if (rows) rows.push(i);
    else aside.set(key, [i]);
  }
  for (const rows of aside.values()) {
    const i0 = rows[0];
    const detail = `counter ${t.counterId[i0]} at ${new Date(t.timestampMs[i0]).toISOString()}: ${rows.map((i) => `${t.count[i]} (line ${lines[i]})`).join(', ')}`;
    for (const i of rows) quarantined.push({ line: lines[i], reason: IN_FILE_CONFLICT, detail, raw: '' });
  }
  return { table: takeRows(t, keep), lines: keep.map((i) => lines[i]) };
}

/** `;` (the export) or `,` (a BigQuery CSV export), from the header line: the export's coordinates hold a comma, so both cannot be allowed at once. */
/** A header of the known formats is under 1 KB; a first line longer than this is not a header. */
const MAX_HEADER_BYTES = 64 * 1024;

export async function sniffDelimiter(path: string): Promise<';' | ','> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(MAX_HEADER_BYTES);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const end = text.search(/\r?\n/);
    // Refused here, before the parser reads a whole huge line into memory (a 50 MB line took 78 s and 611 MB).
    if (end === -1 && bytesRead === MAX_HEADER_BYTES)
      throw new BadInputError(`no header line: the first line is longer than ${MAX_HEADER_BYTES / 1024} KB`, {
        file: path,
        row: 1,
      });
    const header = end === -1 ? text : text.slice(0, end);
    const semis = header.split(';').length;
    const commas = header.split(',').length;
    return commas > semis ? ',' : ';';
  } finally {
    await fh.close();
  }
}
