import { readBaselineManifest } from '../data/baseline-store';
import { FEATURE_PIPELINE_VERSION } from '../features/pipeline';
import type { ActivityDeps } from './deps';
import type { PromotionRequest, PromotionResult, TrainingSource } from '../core/domain';

/**
 * One compare-and-swap on the registry: the challenger becomes a numbered
 * version and the champion, the old champion stays as previous_champion.
 * Idempotent on the run: a retry after a crash finds its own version and
 * changes nothing; a champion changed by someone else meanwhile refuses.
 */
export function makePromoteChampion(deps: ActivityDeps) {
  return async function promoteChampion(req: PromotionRequest): Promise<PromotionResult> {
    const manifest = await readBaselineManifest(deps.artifacts);
    return deps.registry.promote({
      expectedChampion: req.expectedChampion,
      at: deps.clock().toISOString(),
      candidate: {
        modelUri: req.challenger.modelUri,
        modelType: req.challenger.modelType,
        createdAt: deps.clock().toISOString(),
        source: req.run,
        featurePipelineVersion: FEATURE_PIPELINE_VERSION,
        hyperparameters: req.challenger.hyperparameters,
        trainingData: {
          baseline: manifest.train,
          testCurrentUri: req.challenger.testCurrentUri,
          trainRows: req.challenger.trainRows,
        },
        ...trainingSourcesOf(req),
        metrics: { baseline: req.evaluation.challenger.baseline, current: req.evaluation.challenger.current },
        env: deps.env,
        testMode: req.testMode,
      },
    });
  };
}

/** The rows the challenger trained on, so later runs keep their test_current clear of them. */
function trainingSourcesOf(req: PromotionRequest): { trainingSources?: TrainingSource[] } {
  const lineage = req.challenger.integrity?.challenger.lineage;
  return lineage && 'sources' in lineage ? { trainingSources: lineage.sources } : {};
}
