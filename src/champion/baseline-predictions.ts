import type { CountTable } from '../core/counts';
import type { ChampionRef } from '../core/domain';
import { FEATURE_PIPELINE_VERSION } from '../features/pipeline';
import { predictCounts, type TrainedModel } from '../model/champion-model';
import type { ArtifactStore } from '../storage/artifact-store';

/**
 * The champion's predictions on test_baseline depend only on the model's
 * bytes, the feature pipeline and test_baseline's content: computed once and
 * kept as an artifact keyed by exactly those (never by a version number, which
 * a rebuilt registry could reuse). The drift check's performance reference
 * and the double evaluation read the same predictions.
 */
export async function championPredictionsOnTestBaseline(
  artifacts: ArtifactStore,
  champion: ChampionRef,
  model: () => Promise<TrainedModel>,
  testBaseline: { table: CountTable; contentHash: string },
): Promise<{ yTrue: Float64Array; yPred: Float64Array }> {
  const key = `cache/predictions/test_baseline/${champion.modelSha256}-${FEATURE_PIPELINE_VERSION}-${testBaseline.contentHash}.f64`;
  const yTrue = Float64Array.from(testBaseline.table.count);
  const uri = artifacts.uriFor(key);
  if (await artifacts.exists(uri)) {
    const bytes = await artifacts.get(uri);
    if (bytes.byteLength === yTrue.length * 8) {
      const yPred = new Float64Array(yTrue.length);
      new Uint8Array(yPred.buffer).set(bytes);
      return { yTrue, yPred };
    }
  }
  const { yPred } = await predictCounts(await model(), testBaseline.table);
  await artifacts.putIfAbsent(key, new Uint8Array(yPred.buffer, yPred.byteOffset, yPred.byteLength));
  return { yTrue, yPred };
}
