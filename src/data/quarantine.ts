import { writeFile } from 'node:fs/promises';

/** A row kept aside by an import, with where it was and why: never silently dropped. */
export interface QuarantinedRow {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  reason: string;
  /** The column at fault, when one is. */
  column?: string;
  /** What a person needs beyond the reason, e.g. a conflict's values: "counter c-1 at 2021-09-01T01:00:00.000Z: warehouse 12, file 15". */
  detail?: string;
  /** The line's fields as read (rejoined with the file's separator), truncated to 1,000 characters. */
  raw: string;
}

export const QUARANTINE_RAW_MAX = 1000;

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes quarantined rows as a CSV (`line,reason,column,detail,raw`) a person can open next to the source. */
export async function writeQuarantineCsv(rows: readonly QuarantinedRow[], path: string, source: string): Promise<void> {
  const lines = [`# quarantined rows of ${source}`, 'line,reason,column,detail,raw'];
  for (const r of rows)
    lines.push(
      [String(r.line), csvField(r.reason), csvField(r.column ?? ''), csvField(r.detail ?? ''), csvField(r.raw)].join(
        ',',
      ),
    );
  await writeFile(path, lines.join('\n') + '\n');
}

/** The reason of a row whose key the file gives two different counts: every row of that key is kept aside. */
export const IN_FILE_CONFLICT = 'conflicting counts for one counter and hour in this file';
/** The reason of a row whose key the warehouse holds with another count (kept as stored without --replace). */
export const WAREHOUSE_CONFLICT = 'conflicts with the count stored in the warehouse';

/** Reason → how many rows, for summaries. */
export function quarantineByReason(rows: readonly QuarantinedRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.reason] = (out[r.reason] ?? 0) + 1;
  return out;
}
