import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse, type CsvError } from 'csv-parse';
import { DEFAULT_MAX_HOURLY_COUNT } from '../../src/drift/config';
import { CountTableBuilder } from '../../src/data/count-table-builder';
import {
  rowReaderFor,
  setAsideInFileConflicts,
  sniffDelimiter,
  type ImportOptions,
  type ImportResult,
} from '../../src/data/open-data-import';
import { QUARANTINE_RAW_MAX, type QuarantinedRow } from '../../src/data/quarantine';
import { QuoteGuard } from '../../src/data/quote-guard';
import type { RowReader } from '../../src/data/row-reader';
import { BadInputError } from '../../src/core/errors';

/**
 * The importer as it was before the line splitter (src/data/open-data-import.ts): csv-parse
 * behind the QuoteGuard. Kept as the reference the parity tests compare the fast path with.
 *
 * Streams a counter file (the Paris open-data export or the raw table's
 * columns; `;` or `,`; UTF-8 with or without BOM; CRLF or LF) into a
 * CountTable. Bad rows are quarantined, never dropped silently; a header
 * without a required column refuses the whole file (BadInputError naming it).
 */
export async function importCountsFileCsvParse(path: string, options: ImportOptions = {}): Promise<ImportResult> {
  const delimiter = await sniffDelimiter(path);
  const totalBytes = (await stat(path)).size;
  const quarantined: QuarantinedRow[] = [];
  const out = new CountTableBuilder();
  let reader: RowReader | undefined;
  let rowsRead = 0;
  const lines: number[] = [];

  const parser = parse({
    delimiter,
    // Line ends per line: csv-parse otherwise takes the first line's (CRLF) for the whole file, and a file
    // mixing CRLF and LF (a header from one tool, rows from another) reads as one long record.
    record_delimiter: ['\r\n', '\n'],
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      rowsRead++;
      const line = typeof err?.lines === 'number' ? err.lines : 0;
      quarantined.push({ line, reason: `malformed CSV line (${err?.code ?? 'unknown'})`, raw: '' });
      return undefined;
    },
  });
  const source = createReadStream(path);
  let bytesRead = 0;
  source.on('data', (chunk) => {
    bytesRead += chunk.length;
    options.onProgress?.(bytesRead, totalBytes);
  });
  const guard = new QuoteGuard(delimiter);
  source.on('error', (e) => parser.destroy(e));
  guard.on('error', (e) => parser.destroy(e));
  source.pipe(guard).pipe(parser);

  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (!reader) {
      reader = rowReaderFor(record, path, { maxHourlyCount: options.maxHourlyCount ?? DEFAULT_MAX_HOURLY_COUNT });
      continue;
    }
    rowsRead++;
    const problem =
      record.length !== reader.expectedFields
        ? { reason: `expected ${reader.expectedFields} fields, got ${record.length}`, column: undefined }
        : reader.read(record, out);
    if (!problem) lines.push(info.lines);
    else
      quarantined.push({
        line: info.lines,
        reason: problem.reason,
        column: problem.column,
        raw: record.join(delimiter).slice(0, QUARANTINE_RAW_MAX),
      });
  }
  if (!reader) throw new BadInputError('empty file: no header line', { file: path, row: 1 });
  for (const u of guard.malformed) {
    if (u.line === 1) throw new BadInputError('header line has malformed quotes', { file: path, row: 1 });
    rowsRead++;
    quarantined.push({ line: u.line, reason: 'malformed quotes', raw: u.raw.slice(0, QUARANTINE_RAW_MAX) });
  }
  const kept = setAsideInFileConflicts(out.build(), lines, quarantined);
  quarantined.sort((a, b) => a.line - b.line);
  return { source: path, format: reader.format, table: kept.table, rowsRead, quarantined, lines: kept.lines };
}
