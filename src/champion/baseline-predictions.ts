import type { CountTable } from '../core/counts';
import type { ChampionRef } from '../core/domain';
import { FEATURE_PIPELINE_VERSION } from '../features/pipeline';
import { predictCounts, type TrainedModel } from '../model/champion-model';
import type { ArtifactStore } from '../storage/artifact-store';
import { readCacheEntry, writeCacheEntry } from './cache-entry';

/**
 * The champion's predictions on test_baseline depend only on the model's
 * bytes, the feature pipeline and test_baseline's content: computed once and
 * kept as an artifact keyed by exactly those (never by a version number, which
 * a rebuilt registry could reuse). The drift check's performance reference
 * and the double evaluation read the same predictions. An entry that fails its
 * checksum or has the wrong length is a miss: the predictions are computed again.
 */
export async function championPredictionsOnTestBaseline(
  artifacts: ArtifactStore,
  champion: ChampionRef,
  model: () => Promise<TrainedModel>,
  testBaseline: { table: CountTable; contentHash: string },
): Promise<{ yTrue: Float64Array; yPred: Float64Array }> {
  const key = baselinePredictionsKey(champion.modelSha256, testBaseline.contentHash);
  const yTrue = Float64Array.from(testBaseline.table.count);
  const cached = await readCacheEntry(artifacts, key);
  if (cached && cached.byteLength === yTrue.length * 8) {
    const yPred = new Float64Array(yTrue.length);
    new Uint8Array(yPred.buffer).set(cached);
    return { yTrue, yPred };
  }
  const { yPred } = await predictCounts(await model(), testBaseline.table);
  await writeCacheEntry(artifacts, key, new Uint8Array(yPred.buffer, yPred.byteOffset, yPred.byteLength));
  return { yTrue, yPred };
}

/**
 * Keeps a model's test_baseline predictions computed elsewhere (the double
 * evaluation scores every challenger on test_baseline; the full retrain scores
 * its champion): a challenger promoted later finds its predictions cached, so
 * the first run after a promotion does not score it again.
 */
export async function keepTestBaselinePredictions(
  artifacts: ArtifactStore,
  modelSha256: string,
  testContentHash: string,
  yPred: Float64Array,
): Promise<void> {
  await writeCacheEntry(
    artifacts,
    baselinePredictionsKey(modelSha256, testContentHash),
    new Uint8Array(yPred.buffer, yPred.byteOffset, yPred.byteLength),
  );
}

/** The cache key: the model's sha256, the feature pipeline's version and test_baseline's content hash. */
export function baselinePredictionsKey(
  modelSha256: string,
  testContentHash: string,
  pipelineVersion: string = FEATURE_PIPELINE_VERSION,
): string {
  // v2: entries carry a checksum (cache-entry.ts); the bare arrays of v1 are not read.
  return `cache/predictions/test_baseline/v2/${modelSha256}-${pipelineVersion}-${testContentHash}.f64`;
}
