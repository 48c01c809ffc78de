import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import type { CountTable } from '../core/counts';
import type { ArtifactStore } from '../storage/artifact-store';
import { readCountsParquet, writeCountsParquet } from '../storage/count-parquet';
import type { CountWindowQuery, ExportSummary, Warehouse } from '../storage/warehouse';

/**
 * Count tables as artifacts (Parquet with the raw table's columns), for
 * activities and services that must not know where artifacts live: these
 * helpers own their scratch files and remove them, whatever happens.
 */
export async function readCountTableArtifact(
  artifacts: ArtifactStore,
  uri: string,
  window?: { fromMs: number; toMs: number },
): Promise<CountTable> {
  return readCountsParquet(await artifacts.localPath(uri), window);
}

export async function putCountTableArtifact(artifacts: ArtifactStore, key: string, table: CountTable): Promise<string> {
  return withScratch(artifacts, key, async (scratch) => {
    await writeCountsParquet(table, scratch);
    return artifacts.putFile(key, scratch);
  });
}

/**
 * putCountTableArtifact, also returning the sha256 of the bytes stored: the
 * file's content identity, hashed from the local file before it is copied in
 * (the store itself reports no content hash). Only writers whose readers
 * check it pay for reading the file back (the baseline sets, 657K rows, do not).
 */
export async function putCountTableArtifactHashed(
  artifacts: ArtifactStore,
  key: string,
  table: CountTable,
): Promise<{ uri: string; sha256: string }> {
  return withScratch(artifacts, key, async (scratch) => {
    await writeCountsParquet(table, scratch);
    const sha256 = createHash('sha256')
      .update(await readFile(scratch))
      .digest('hex');
    return { uri: await artifacts.putFile(key, scratch), sha256 };
  });
}

/**
 * Exports a warehouse window straight to an artifact (rows never pass through
 * JS), and stores it only when `accept` approves the export's summary.
 */
export async function exportWindowArtifact(
  warehouse: Warehouse,
  artifacts: ArtifactStore,
  query: CountWindowQuery,
  key: string,
  accept: (summary: ExportSummary) => void,
): Promise<{ uri: string; summary: ExportSummary }> {
  return withScratch(artifacts, key, async (scratch) => {
    const summary = await warehouse.exportCounts(query, scratch);
    accept(summary);
    return { uri: await artifacts.putFile(key, scratch), summary };
  });
}

async function withScratch<T>(artifacts: ArtifactStore, key: string, work: (path: string) => Promise<T>): Promise<T> {
  const scratch = await artifacts.scratchPath(key.split('/').pop() ?? 'artifact');
  try {
    return await work(scratch);
  } finally {
    await rm(scratch, { force: true });
  }
}
