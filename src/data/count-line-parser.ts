import { CountTableBuilder } from './count-table-builder';
import { OPEN_DATA, RAW_TABLE } from './open-data-format';
import { QUARANTINE_RAW_MAX, type QuarantinedRow } from './quarantine';
import { detach, utf8Line } from './line-splitter';
import { splitQuotedLine } from './quote-guard';
import { OPEN_DATA_ROWS, RAW_TABLE_ROWS } from './row-formats';
import { normaliseHeaderName, rowReader, type CountLimits, type RowReader } from './row-reader';

/** What a parser made of the lines it was given, line numbers counted from its first line. */
export interface ParsedLines {
  reader: RowReader | undefined;
  out: CountTableBuilder;
  /** The line of each row of `out`, lone CRs counted (see loneCrs). */
  lines: number[];
  quarantined: QuarantinedRow[];
  /** Lines set aside for their quotes, numbered by LFs only (csv-parse counted no lone CR before them). */
  malformed: { line: number; raw: string }[];
  /** Data lines read, the malformed ones not yet counted. */
  rowsRead: number;
  /** CRs not before a LF seen so far: csv-parse counted each as a line break. */
  loneCrs: number;
}

export interface CountLineParser {
  /** forEachLine's callback, for a file read as latin1. */
  onBytes: (bytes: string, lfLine: number, terminated: boolean) => void;
  /**
   * A row the line kernel accepted on LF-counted line lfLine (count-line-scan.ts), its strings
   * interned by `out` from the line's bytes: what `onBytes` makes of such a line.
   */
  onRow(
    id: string,
    name: string,
    site: string,
    timestampMs: number,
    count: number,
    lat: number,
    lon: number,
    lfLine: number,
  ): void;
  /** The header's reader, once the header is read. */
  reader(): RowReader | undefined;
  /** Where the rows go. */
  readonly out: CountTableBuilder;
  readonly delimiter: string;
  /**
   * Forgets what the lines read so far left but the header's reader: a parser that read the header
   * apart then reads lines further on, numbered from 1 again (the parallel parse's second half).
   */
  keepOnlyHeader(): void;
  parsed(): ParsedLines;
}

/**
 * The importer's line rules (see importCountsFile): a parser for the lines of one file, its header
 * first. Every line it is given goes through `onBytes`, in file order.
 */
export function countLineParser(path: string, delimiter: string, limits: CountLimits): CountLineParser {
  let quarantined: QuarantinedRow[] = [];
  let malformed: { line: number; raw: string }[] = [];
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

  return {
    onBytes,
    onRow(id, name, site, timestampMs, count, lat, lon, lfLine) {
      out.append(id, name, site, timestampMs, count, lat, lon);
      rowsRead++;
      lines.push(lfLine + loneCrs);
    },
    reader: () => reader,
    out,
    delimiter,
    keepOnlyHeader() {
      loneCrs = 0;
      malformed = [];
      quarantined = [];
    },
    parsed: () => ({ reader, out, lines, quarantined, malformed, rowsRead, loneCrs }),
  };
}

function countCrs(text: string, terminated: boolean): number {
  let n = 0;
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) n++;
  return !terminated && text.charCodeAt(text.length - 1) === 13 ? n - 1 : n;
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
