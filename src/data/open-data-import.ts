import { open, stat } from 'node:fs/promises';
import { takeRows, type CountTable } from '../core/counts';
import { BadInputError } from '../core/errors';
import { DEFAULT_MAX_HOURLY_COUNT } from '../drift/config';
import { CountTableBuilder } from './count-table-builder';
import { OPEN_DATA, RAW_TABLE } from './open-data-format';
import { IN_FILE_CONFLICT, QUARANTINE_RAW_MAX, type QuarantinedRow } from './quarantine';
import { detach, forEachLine, utf8Line } from './line-splitter';
import { splitQuotedLine } from './quote-guard';
import { OPEN_DATA_ROWS, RAW_TABLE_ROWS } from './row-formats';
import { normaliseHeaderName, rowReader, type CountFileFormat, type CountLimits, type RowReader } from './row-reader';

export type { CountFileFormat } from './row-reader';

export interface ImportOptions {
  /** Called as the file is read (bytes so far, file size): drives a progress bar. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** A count above this is quarantined (the run config's drift.quality.maxHourlyCount; default 10,000). */
  maxHourlyCount?: number;
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
 */
export async function importCountsFile(path: string, options: ImportOptions = {}): Promise<ImportResult> {
  const delimiter = await sniffDelimiter(path);
  const totalBytes = (await stat(path)).size;
  const limits = { maxHourlyCount: options.maxHourlyCount ?? DEFAULT_MAX_HOURLY_COUNT };
  const quarantined: QuarantinedRow[] = [];
  const malformed: { line: number; raw: string }[] = [];
  const out = new CountTableBuilder();
  let reader: RowReader | undefined;
  let rowsRead = 0;
  const lines: number[] = [];
  // Line numbers as csv-parse gave them: it also counts a CR that ends no line (one not before
  // a LF) as a line break, except in a line set aside for its quotes and in a file's very last byte.
  let loneCrs = 0;

  // The fields of the current line, only those the reader looks at cut out (others stay ''):
  // cutting all 16 of a wide export line, photo links included, was a third of the parse.
  let record: string[] = [];
  let wanted: boolean[] = [];
  const cut = (text: string): number => {
    let f = 0;
    for (let from = 0; ; f++) {
      const d = text.indexOf(delimiter, from);
      if (wanted[f]) record[f] = text.slice(from, d === -1 ? text.length : d);
      if (d === -1) return f + 1;
      from = d + 1;
    }
  };

  const onLine = (text: string, lfLine: number, terminated: boolean) => {
    if (text.length === 0) return;
    let fields: number;
    let quoted = false;
    if (text.indexOf('"') === -1) fields = reader ? cut(text) : (record = text.split(delimiter)).length;
    else {
      const all = splitQuotedLine(text, delimiter);
      if (!all) {
        malformed.push({ line: lfLine, raw: detach(text.slice(0, QUARANTINE_RAW_MAX)) });
        return;
      }
      fields = all.length;
      quoted = true;
      record = all;
    }
    if (text.indexOf('\r') !== -1) loneCrs += countCrs(text, terminated);
    const line = lfLine + loneCrs;
    if (!reader) {
      const r = rowReaderFor(record, path, limits);
      reader = r;
      wanted = Array.from({ length: r.expectedFields }, (_, i) => r.columns.includes(i));
      record = new Array<string>(r.expectedFields).fill('');
      return;
    }
    rowsRead++;
    const problem =
      fields !== reader.expectedFields
        ? { reason: `expected ${reader.expectedFields} fields, got ${fields}`, column: undefined }
        : reader.read(record, out);
    if (!problem) lines.push(line);
    else
      quarantined.push({
        line,
        reason: problem.reason,
        column: problem.column,
        // The fields rejoined with the delimiter: an unquoted line's are the line itself.
        raw: detach((quoted ? record.join(delimiter) : text).slice(0, QUARANTINE_RAW_MAX)),
      });
    if (quoted) record = new Array<string>(reader.expectedFields).fill('');
  };

  // The file is read as bytes, one character each (see forEachLine): the usual line is read as
  // such, and decoded as UTF-8 only where it matters. A row the reader accepts from its bytes is
  // the row of its UTF-8 text: a count and a timestamp are accepted only in ASCII, a coordinate
  // only in ASCII around JS's white space, of which latin1 has one more, U+00A0 (a line holding
  // that byte is read as text); its names are interned by their bytes, each decoded once. Any
  // other line goes to onLine as UTF-8 text, as before: the header, a quoted line, and a row
  // refused (a count "3" + U+00A0 is "not a plain whole number" as text, a lone 0xA0 byte is not).
  const onBytes = (bytes: string, lfLine: number, terminated: boolean) => {
    if (bytes.length === 0) return;
    if (!reader || bytes.indexOf('"') !== -1 || bytes.indexOf('\u00a0') !== -1)
      return onLine(utf8Line(bytes), lfLine, terminated);
    const fields = cut(bytes);
    if (fields !== reader.expectedFields || reader.read(record, out.bytes))
      return onLine(utf8Line(bytes), lfLine, terminated);
    if (bytes.indexOf('\r') !== -1) loneCrs += countCrs(bytes, terminated);
    rowsRead++;
    lines.push(lfLine + loneCrs);
  };
  await forEachLine(path, onBytes, (bytesRead) => options.onProgress?.(bytesRead, totalBytes), 'latin1');

  // Narrowed by hand: TypeScript does not see the assignment inside onLine.
  const header = reader as RowReader | undefined;
  if (!header) throw new BadInputError('empty file: no header line', { file: path, row: 1 });
  for (const u of malformed) {
    if (u.line === 1) throw new BadInputError('header line has malformed quotes', { file: path, row: 1 });
    rowsRead++;
    quarantined.push({ line: u.line, reason: 'malformed quotes', raw: u.raw.slice(0, QUARANTINE_RAW_MAX) });
  }
  const kept = setAsideInFileConflicts(out.build(), lines, quarantined);
  quarantined.sort((a, b) => a.line - b.line);
  return { source: path, format: header.format, table: kept.table, rowsRead, quarantined, lines: kept.lines };
}

function countCrs(text: string, terminated: boolean): number {
  let n = 0;
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) n++;
  return !terminated && text.charCodeAt(text.length - 1) === 13 ? n - 1 : n;
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
  if (!repeatsAKey(t)) return { table: t, lines };
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

/**
 * Whether some (counter, timestamp) occurs twice, by sorting the keys packed into one double
 * each (counter index × 2^42 + ms from the earliest): a fraction of the time maps keyed by
 * timestamp take at 660K rows, and most files repeat nothing. True when the keys do not pack
 * (over 2,048 counters or 139 years): the caller then looks the slow, exact way.
 */
function repeatsAKey(t: CountTable): boolean {
  const n = t.length;
  if (n < 2) return false;
  const counters = new Map<string, number>();
  const counter = new Int32Array(n);
  let minMs = Infinity;
  let maxMs = -Infinity;
  for (let i = 0; i < n; i++) {
    const ms = t.timestampMs[i];
    if (Number.isNaN(ms)) return true;
    if (ms < minMs) minMs = ms;
    if (ms > maxMs) maxMs = ms;
    const id = t.counterId[i];
    let c = counters.get(id);
    if (c === undefined) counters.set(id, (c = counters.size));
    counter[i] = c;
  }
  const SPAN = 2 ** 42;
  if (counters.size > 2048 || !(maxMs - minMs < SPAN)) return true;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = counter[i] * SPAN + (t.timestampMs[i] - minMs);
  keys.sort();
  for (let i = 1; i < n; i++) if (keys[i] === keys[i - 1]) return true;
  return false;
}

/** Picks the format the header belongs to; the readers then refuse it if a required column is missing. */
export function rowReaderFor(header: readonly string[], file: string, limits: CountLimits = {}): RowReader {
  const names = new Set(header.map(normaliseHeaderName));
  const score = (cols: Record<string, string>) =>
    Object.values(cols).filter((c) => names.has(normaliseHeaderName(c))).length;
  return score(RAW_TABLE) > score(OPEN_DATA)
    ? rowReader(RAW_TABLE_ROWS, header, file, limits)
    : rowReader(OPEN_DATA_ROWS, header, file, limits);
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
