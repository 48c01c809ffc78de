import type { DataImportRecord } from '../core/domain';
import type { ArtifactStore } from '../storage/artifact-store';

/**
 * Every `data import` leaves a record in the artifact store (its counts: read, loaded, duplicates,
 * quarantined, conflicts, replaced), so what the last imports set aside is known after the fact, by
 * `metrics serve` among others. Only a replacement also writes an audit row: it changes what later
 * runs read; a plain import adds rows and changes nothing stored.
 */
export const IMPORT_LOG_PREFIX = 'imports/';

export interface LoggedImport extends DataImportRecord {
  /** When the import finished (ISO-8601). */
  at: string;
}

/** Keys sort by time: the newest record is the last one listed. */
export async function logImport(artifacts: ArtifactStore, record: LoggedImport): Promise<string> {
  const key = `${IMPORT_LOG_PREFIX}${record.at.replace(/[:.]/g, '-')}.json`;
  return (await artifacts.putIfAbsent(key, JSON.stringify(record, null, 1))).uri;
}

/** The newest import record; null when nothing was imported yet. */
export async function lastImport(artifacts: ArtifactStore): Promise<LoggedImport | null> {
  const listed = await artifacts.list(IMPORT_LOG_PREFIX);
  const newest = listed.filter((l) => l.key.endsWith('.json')).at(-1);
  return newest ? (JSON.parse(await artifacts.getText(newest.uri)) as LoggedImport) : null;
}
