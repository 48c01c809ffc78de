import { createHash } from 'node:crypto';
import { keepTestBaselinePredictions } from './baseline-predictions';
import type { ChampionDeps } from './deps';
import { manifestSource } from './lineage';
import type { ModelMetrics } from '../core/domain';
import { readBaselineManifest, readBaselineSet } from '../data/baseline-store';
import { regressionMetrics } from '../stats/regression-metrics';
import { FEATURE_PIPELINE_VERSION } from '../features/pipeline';
import { predictCounts, trainModel } from '../model/champion-model';
import type { ModelParams } from '../model';
import type { FitProgress } from '../model/regressor';

export interface TrainChampionResult {
  version: number;
  modelUri: string;
  trainSeconds: number;
  trainRows: number;
  testBaseline: ModelMetrics;
}

/**
 * The full retrain (the old system's quarterly job): train on train_baseline,
 * evaluate on test_baseline, register as champion. Also makes the first
 * champion of a fresh data folder.
 */
export async function trainChampionFromBaseline(
  deps: ChampionDeps,
  params: ModelParams,
  opts: { onProgress?: (p: FitProgress) => void; source?: { workflowId: string; runId: string } } = {},
): Promise<TrainChampionResult> {
  // Asked first: a registry that lost its document is refused before anything is trained or written.
  const current = await deps.registry.champion();
  const manifest = await readBaselineManifest(deps.artifacts);
  const train = await readBaselineSet(deps.artifacts, 'train');
  const t0 = performance.now();
  const { model, bytes } = await trainModel(train, params, {
    onProgress: opts.onProgress,
    trainingData: { baseline: manifest.train },
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  const test = await readBaselineSet(deps.artifacts, 'test');
  const { yTrue, yPred } = await predictCounts(model, test);
  const testBaseline = regressionMetrics(yTrue, yPred);
  // The first weekly run after this promotion reads these instead of scoring the new champion again.
  await keepTestBaselinePredictions(
    deps.artifacts,
    createHash('sha256').update(bytes).digest('hex'),
    manifest.test.contentHash,
    yPred,
  );
  const now = deps.clock();
  const source = opts.source ?? { workflowId: 'train-champion', runId: now.toISOString() };
  const { uri: modelUri } = await deps.artifacts.putIfAbsent(
    `models/champions/${source.workflowId}-${source.runId.replace(/[^A-Za-z0-9._-]/g, '_')}.brf`,
    bytes,
  );
  const r = await deps.registry.promote({
    expectedChampion: current?.version ?? null,
    at: now.toISOString(),
    candidate: {
      modelUri,
      modelType: params.modelType,
      createdAt: now.toISOString(),
      source,
      featurePipelineVersion: FEATURE_PIPELINE_VERSION,
      hyperparameters: { ...params },
      trainingData: { baseline: manifest.train, test: manifest.test },
      trainingSources: [manifestSource(manifest.train)!],
      metrics: { baseline: testBaseline },
      env: deps.env,
      testMode: false,
    },
  });
  return { version: r.version, modelUri, trainSeconds, trainRows: train.length, testBaseline };
}
