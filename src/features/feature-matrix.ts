/**
 * The numeric input to every model, built by the one feature pipeline
 * (`src/features/pipeline.ts`). Column-major: one typed array per feature, so
 * the tree engine bins columns without copying and drift reads a column as is.
 */
export interface FeatureMatrix {
  readonly nRows: number;
  /** Feature names, in column order; recorded in every model artifact. */
  readonly names: readonly string[];
  /** `categorical` columns hold integer codes 0..k-1 (the pipeline's vocabulary). */
  readonly kinds: readonly ('numeric' | 'categorical')[];
  readonly columns: readonly Float32Array[];
}
