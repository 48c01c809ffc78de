import { writeFile } from 'node:fs/promises';

/** A row kept aside by an import, with where it was and why: never silently dropped. */
export interface QuarantinedRow {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  reason: string;
  /** The column at fault, when one is. */
  column?: string;
  /** The line's fields as read (rejoined with the file's separator), truncated to 1,000 characters. */
  raw: string;
}

export const QUARANTINE_RAW_MAX = 1000;

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes quarantined rows as a CSV (`line,reason,column,raw`) a person can open next to the source. */
export async function writeQuarantineCsv(rows: readonly QuarantinedRow[], path: string, source: string): Promise<void> {
  const lines = [`# quarantined rows of ${source}`, 'line,reason,column,raw'];
  for (const r of rows)
    lines.push([String(r.line), csvField(r.reason), csvField(r.column ?? ''), csvField(r.raw)].join(','));
  await writeFile(path, lines.join('\n') + '\n');
}

/** Reason → how many rows, for summaries. */
export function quarantineByReason(rows: readonly QuarantinedRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.reason] = (out[r.reason] ?? 0) + 1;
  return out;
}
