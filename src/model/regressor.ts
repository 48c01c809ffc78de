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
  /** Optional validation set (early stopping for boosting), with its rows' weights in the loss if given. */
  validation?: { X: FeatureMatrix; y: Float64Array; sampleWeight?: Float64Array };
  /**
   * Per-row sample weights: one a row, finite and ≥ 0 (else fit throws,
   * naming the first bad index). A row of weight k counts as k rows in
   * leaf values (weighted means) and split gains; minSamplesLeaf still
   * counts rows (forest: bootstrap draws), as scikit-learn's
   * min_samples_leaf does. Rows of weight 0 have no influence. Omitted or
   * all 1: the model is the unweighted one, byte for byte. Forest: each
   * bootstrap draw of a row counts its weight; boosting: gradients and
   * hessians times the weight, base = weighted mean, early-stopping loss
   * weighted on the held-out rows.
   */
  sampleWeight?: Float64Array;
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
