import { decodeReferenceSummary, encodeReferenceSummary, type ReferenceSummary } from '../drift';
import { FEATURE_PIPELINE_VERSION } from '../features/pipeline';
import type { ArtifactStore } from '../storage/artifact-store';
import { readCacheEntry, writeCacheEntry } from './cache-entry';

/**
 * The drift reference's summary (drift/reference-summary.ts) depends only on
 * train_baseline's rows, the feature pipeline and minBaselineRows: kept as an
 * artifact keyed by train_baseline's content hash (never by a version number)
 * and those, computed by the first check that misses it. A corrupt entry is a
 * miss (cache-entry.ts); one that does not fit the reference is recomputed by
 * the check itself (summaryFits).
 */
export function driftReferenceKey(
  trainContentHash: string,
  minBaselineRows: number,
  pipelineVersion: string = FEATURE_PIPELINE_VERSION,
): string {
  return `cache/drift-reference/v1/${trainContentHash}-${pipelineVersion}-min${minBaselineRows}.json`;
}

export async function readDriftReference(artifacts: ArtifactStore, key: string): Promise<ReferenceSummary | null> {
  const payload = await readCacheEntry(artifacts, key);
  return payload ? decodeReferenceSummary(new TextDecoder().decode(payload)) : null;
}

export async function keepDriftReference(artifacts: ArtifactStore, key: string, s: ReferenceSummary): Promise<void> {
  await writeCacheEntry(artifacts, key, new TextEncoder().encode(encodeReferenceSummary(s)));
}
