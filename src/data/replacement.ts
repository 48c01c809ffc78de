import { writeFile } from 'node:fs/promises';
import type { AuditRow, BaselineDifference, DataImportRecord } from '../core/domain';
import { manualActionAuditRow } from '../core/audit-row';
import type { BaselineManifest } from './baseline-store';

/** A stored row whose count an import replaced with the file's (`data import --replace`). */
export interface ReplacedRow {
  /** The file line it came from. */
  line: number;
  counterId: string;
  timestampMs: number;
  previous: number;
  count: number;
}

/** How many replaced rows fall inside each frozen baseline set's period (toMs inclusive, as in its manifest). */
export function baselineDifferences(
  manifest: BaselineManifest | null,
  replaced: readonly ReplacedRow[],
): BaselineDifference[] {
  if (!manifest) return [];
  const out: BaselineDifference[] = [];
  for (const m of [manifest.train, manifest.test]) {
    const rows = replaced.filter((r) => r.timestampMs >= m.fromMs && r.timestampMs <= m.toMs).length;
    if (rows > 0) out.push({ set: m.name, rows, fromMs: m.fromMs, toMs: m.toMs, contentHash: m.contentHash });
  }
  return out;
}

/** What the import says about a baseline set it now differs from. */
export function describeBaselineDifference(d: BaselineDifference): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';
  return (
    `the warehouse now differs from the frozen ${d.set} (${day(d.fromMs)} .. ${day(d.toMs)}, sha256 ${d.contentHash.slice(0, 16)}…) ` +
    `in ${d.rows} replaced row(s): the set keeps the old counts (\`bike-retrain data baseline --from-warehouse\` cuts new sets)`
  );
}

export const MAX_AUDITED_EXAMPLES = 20;

/** The import's record for its audit row: counts, the first replacements with both values, the baseline sets touched. */
export function dataImportRecord(o: {
  file: string;
  read: number;
  loaded: number;
  duplicates: number;
  quarantined: number;
  conflicts?: number;
  replaced: readonly ReplacedRow[];
  replacedListUri: string | null;
  baselineDifferences: BaselineDifference[];
}): DataImportRecord {
  return {
    file: o.file,
    read: o.read,
    loaded: o.loaded,
    duplicates: o.duplicates,
    quarantined: o.quarantined,
    ...(o.conflicts !== undefined ? { conflicts: o.conflicts } : {}),
    replaced: o.replaced.length,
    examples: o.replaced.slice(0, MAX_AUDITED_EXAMPLES).map((r) => ({
      counterId: r.counterId,
      hour: new Date(r.timestampMs).toISOString(),
      previous: r.previous,
      count: r.count,
    })),
    replacedListUri: o.replacedListUri,
    baselineDifferences: o.baselineDifferences,
  };
}

/**
 * A replacement of stored counts changes what every later run reads, like a
 * rollback changes the champion: it writes its own audit row (decision
 * `data_replace`, workflow id `data-import`).
 */
export function replacementAuditRow(r: { at: string; by: string; record: DataImportRecord }): AuditRow {
  const d = r.record;
  const baseline = d.baselineDifferences.length
    ? `; the warehouse now differs from ${d.baselineDifferences.map((b) => `${b.set} (${b.rows} row(s))`).join(' and ')}, which keep the old counts`
    : '';
  return {
    ...manualActionAuditRow({
      workflowId: 'data-import',
      at: r.at,
      decision: 'data_replace',
      decisionReason: `${d.replaced} stored count(s) replaced by ${d.file} (the file's values won) by ${r.by}${baseline}`,
    }),
    reportUris: d.replacedListUri ? [d.replacedListUri] : [],
    dataImport: d,
  };
}

/** Every replaced row with both counts, as a CSV (`line,counter_id,hour,previous_count,count`). */
export async function writeReplacedCsv(rows: readonly ReplacedRow[], path: string, source: string): Promise<void> {
  const lines = [`# stored counts replaced by ${source}`, 'line,counter_id,hour,previous_count,count'];
  for (const r of rows)
    lines.push(
      [
        String(r.line),
        /[",\r\n]/.test(r.counterId) ? `"${r.counterId.replace(/"/g, '""')}"` : r.counterId,
        new Date(r.timestampMs).toISOString(),
        String(r.previous),
        String(r.count),
      ].join(','),
    );
  await writeFile(path, lines.join('\n') + '\n');
}
