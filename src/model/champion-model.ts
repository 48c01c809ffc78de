import { takeRows, type CountTable } from '../core/counts';
import { ModelArtifactError } from '../core/errors';
import {
  buildFeatures,
  FEATURE_PIPELINE_VERSION,
  fitFeatureSpec,
  type FeatureName,
  type FeatureSpec,
} from '../features/pipeline';
import { createRegressor, loadModel, type ModelParams } from './index';
import {
  applyLevelAdjustment,
  estimateLevelAdjustment,
  levelAdjustmentOf,
  type LevelAdjustment,
} from './level-adjustment';
import type { FitOptions, Regressor } from './regressor';
import { fitOnce, forgetSharedFit } from './shared-fit';

/**
 * A trained model together with the feature pipeline state it was trained
 * with: the artifact's metadata carries the pipeline version and the counter
 * vocabulary, so scoring always rebuilds exactly the training features, and a
 * model made for another pipeline version is refused rather than misread.
 */
export interface TrainedModel {
  regressor: Regressor;
  spec: FeatureSpec;
  params: ModelParams;
  metadata: Record<string, unknown>;
  /** Per-counter level factors measured at training time (fine-tuned models; level-adjustment.ts). */
  level: LevelAdjustment | null;
}

export interface TrainOptions extends Pick<FitOptions, 'onProgress' | 'signal' | 'sampleWeight'> {
  /** Features left out of this model (recorded in its spec, so scoring builds the same ones). */
  omitFeatures?: readonly FeatureName[];
  /** Recorded in the artifact: which data the model saw. */
  trainingData?: Record<string, unknown>;
  /**
   * Measure each counter's level on the training rows of this window (its
   * most recent days) and apply it to predictions from the window's start on
   * (level-adjustment.ts). Absent: the trees alone.
   */
  levelWindow?: { fromMs: number; toMs: number };
  /**
   * Names everything the fit depends on (rows, weights, parameters, feature options, level window): fits with
   * the same key in one process are done once (shared-fit.ts); each call still writes its own metadata.
   */
  fitKey?: string;
}

/** A fitted regressor and what its artifact records of the fit, before the per-call metadata. */
interface Fitted {
  regressor: ReturnType<typeof createRegressor>;
  spec: FeatureSpec;
  featureNames: readonly string[];
  level: LevelAdjustment | null;
}

/** Artifacts above this size are not kept in memory for a later identical fit (a worker keeps one). */
const MAX_KEPT_FIT_BYTES = 128 * 2 ** 20;

export async function trainModel(
  table: CountTable,
  params: ModelParams,
  options: TrainOptions = {},
): Promise<{ model: TrainedModel; bytes: Uint8Array }> {
  const fitted = options.fitKey
    ? await fitOnce(options.fitKey, options.onProgress, (onProgress) => fit(table, params, { ...options, onProgress }))
    : await fit(table, params, options);
  const { regressor, spec, level } = fitted;
  const metadata = {
    featurePipelineVersion: FEATURE_PIPELINE_VERSION,
    featureSpec: spec,
    featureNames: fitted.featureNames,
    trainingData: options.trainingData ?? {},
    ...(level ? { levelAdjustment: level } : {}),
  };
  const bytes = regressor.saveWithMetadata(metadata);
  if (options.fitKey && bytes.length > MAX_KEPT_FIT_BYTES) forgetSharedFit(options.fitKey);
  return { model: { regressor, spec, params, metadata, level }, bytes };
}

async function fit(table: CountTable, params: ModelParams, options: TrainOptions): Promise<Fitted> {
  const spec = fitFeatureSpec(table, { omit: options.omitFeatures });
  const { X, y } = buildFeatures(table, spec);
  const regressor = createRegressor(params);
  // sampleWeight is one a row of `table`, in its order: buildFeatures keeps every row, in order.
  await regressor.fit(X, y, {
    onProgress: options.onProgress,
    signal: options.signal,
    sampleWeight: options.sampleWeight,
  });
  let level: LevelAdjustment | null = null;
  if (options.levelWindow) {
    // In-sample (the trees saw these rows too): a month among a year of rows moves them little, and the
    // backtests measured the factors this way.
    // Only the window's rows are scored (a week among a year: a full-scale prediction pass would cost seconds).
    const { fromMs, toMs } = options.levelWindow;
    const inWindow: number[] = [];
    for (let i = 0; i < table.length; i++)
      if (table.timestampMs[i] >= fromMs && table.timestampMs[i] < toMs) inWindow.push(i);
    const rows = takeRows(table, inWindow);
    const built = buildFeatures(rows, spec);
    level = estimateLevelAdjustment(rows, built.y, await regressor.predict(built.X), options.levelWindow);
  }
  return { regressor, spec, featureNames: X.names, level };
}

export function loadTrainedModel(bytes: Uint8Array, source: string): TrainedModel {
  let loaded: ReturnType<typeof loadModel>;
  try {
    loaded = loadModel(bytes);
  } catch (err) {
    throw new ModelArtifactError(`cannot read model artifact ${source}: ${(err as Error).message}`);
  }
  const version = loaded.metadata.featurePipelineVersion;
  if (version !== FEATURE_PIPELINE_VERSION)
    throw new ModelArtifactError(
      `model artifact ${source} was trained with feature pipeline ${String(version)}, this worker runs ${FEATURE_PIPELINE_VERSION}`,
    );
  return {
    regressor: loaded.regressor,
    spec: loaded.metadata.featureSpec as FeatureSpec,
    params: loaded.params,
    metadata: loaded.metadata,
    level: levelAdjustmentOf(loaded.metadata, source),
  };
}

export async function predictCounts(
  model: TrainedModel,
  table: CountTable,
): Promise<{ yTrue: Float64Array; yPred: Float64Array; unseenCounters: { counterId: string; rows: number }[] }> {
  const { X, y, unseenCounters } = buildFeatures(table, model.spec);
  const yPred = await model.regressor.predict(X);
  if (model.level) applyLevelAdjustment(model.level, table, yPred);
  return { yTrue: y, yPred, unseenCounters };
}
