import type { FeatureMatrix } from '../features/feature-matrix';
import { deserializeEnsemble, serializeEnsemble } from './engine/artifact';
import { fitEnsemble, predictEnsemble, type Ensemble, type EnsembleParams, type ModelType } from './engine/ensemble';
import type { FitOptions, Regressor } from './regressor';

export type { ModelType } from './engine/ensemble';

/**
 * Hyperparameters. The sizes are always given: they depend on the job
 * (MODEL_SIZES in src/config/run-config.ts: the weekly fine-tune, the full
 * retrain), not on the engine. Anything else left out takes ENGINE_DEFAULTS.
 */
export interface ModelParams {
  modelType: ModelType;
  /** Trees (rf) or boosting rounds at most (gbt). */
  nEstimators: number;
  /** 0 = no depth limit. */
  maxDepth: number;
  minSamplesLeaf: number;
  /** Share of features tried at each split. */
  maxFeatures?: number;
  /** gbt: leaves per tree, grown best-first; 0 sets no leaf limit (trees then grow to maxDepth). */
  maxLeafNodes?: number;
  learningRate?: number;
  earlyStoppingRounds?: number;
  /** gbt: share of the training rows held out for early stopping when no validation set is given. */
  validationFraction?: number;
  seed?: number;
  maxBins?: number;
  /** Worker threads (default: every core); the trained model is the same for any value. */
  threads?: number;
}

/**
 * The engine's own knobs, by type (the sizes are the caller's: ModelParams).
 * rf as scikit-learn's RandomForestRegressor: every feature tried at each
 * split, depth-first trees (no leaf limit), averaged (learning rate 1), no
 * early stopping. gbt as its HistGradientBoostingRegressor: 31-leaf trees
 * grown best-first, learning rate 0.1, early stopping after 10 rounds without
 * gain on 10% of the rows held out. Both: 255 bins a feature, seed 0.
 */
export const ENGINE_DEFAULTS: Record<ModelType, Omit<EnsembleParams, SizeParam | 'modelType' | 'threads'>> = {
  rf: {
    maxFeatures: 1,
    maxLeafNodes: 0,
    learningRate: 1,
    earlyStoppingRounds: 0,
    validationFraction: 0,
    seed: 0,
    maxBins: 255,
  },
  gbt: {
    maxFeatures: 1,
    maxLeafNodes: 31,
    learningRate: 0.1,
    earlyStoppingRounds: 10,
    validationFraction: 0.1,
    seed: 0,
    maxBins: 255,
  },
};

type SizeParam = 'nEstimators' | 'maxDepth' | 'minSamplesLeaf';

export function resolveParams(p: ModelParams): EnsembleParams {
  const d = ENGINE_DEFAULTS[p.modelType];
  if (!d) throw new Error(`unknown model type ${String(p.modelType)}: expected rf or gbt`);
  const clean = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
  return { ...d, ...clean, modelType: p.modelType } as EnsembleParams;
}

/** The histogram tree ensemble behind the Regressor interface. */
class TreeEnsembleRegressor implements Regressor {
  private ensemble: Ensemble | null;

  constructor(
    readonly params: EnsembleParams,
    ensemble: Ensemble | null = null,
  ) {
    this.ensemble = ensemble;
  }

  get modelType(): string {
    return this.params.modelType;
  }

  async fit(X: FeatureMatrix, y: Float64Array, options?: FitOptions): Promise<void> {
    this.ensemble = await fitEnsemble(X, y, this.params, options);
  }

  async predict(X: FeatureMatrix): Promise<Float64Array> {
    return predictEnsemble(this.trained(), X);
  }

  save(): Uint8Array {
    return this.saveWithMetadata({});
  }

  saveWithMetadata(metadata: Record<string, unknown>): Uint8Array {
    return serializeEnsemble(this.trained(), metadata);
  }

  private trained(): Ensemble {
    if (!this.ensemble) throw new Error('model is not trained');
    return this.ensemble;
  }
}

export function createRegressor(
  params: ModelParams,
): Regressor & { saveWithMetadata(meta: Record<string, unknown>): Uint8Array } {
  return new TreeEnsembleRegressor(resolveParams(params));
}

/** Reads an artifact; a corrupt, truncated or foreign file throws a clear error. */
export function loadModel(bytes: Uint8Array): {
  regressor: Regressor;
  metadata: Record<string, unknown>;
  params: ModelParams;
} {
  const { ensemble, metadata } = deserializeEnsemble(bytes);
  return { regressor: new TreeEnsembleRegressor(ensemble.params, ensemble), metadata, params: ensemble.params };
}
