import type { FeatureMatrix } from '../features/feature-matrix';

export interface FitProgress {
  /** Units done so far (trees, boosting rounds). */
  done: number;
  total: number;
  unit: string;
}

export interface FitOptions {
  /** Called as training advances; the training activity turns it into heartbeats. */
  onProgress?: (p: FitProgress) => void;
  /** Aborts training (activity cancellation). */
  signal?: AbortSignal;
  /** Optional validation set (early stopping for boosting). */
  validation?: { X: FeatureMatrix; y: Float64Array };
}

/**
 * What the workflow's activities need from a model. Implementations: the
 * histogram forest / boosted trees of `src/model/engine`.
 */
export interface Regressor {
  readonly modelType: string;
  fit(X: FeatureMatrix, y: Float64Array, options?: FitOptions): Promise<void>;
  predict(X: FeatureMatrix): Promise<Float64Array>;
  /** A self-describing binary artifact (see the engine's format doc). */
  save(): Uint8Array;
}
