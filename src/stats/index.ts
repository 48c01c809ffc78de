/** Pure statistics for drift detection and model comparison; no I/O, no dependencies on the rest of the app. */
export { logGamma, regularizedGammaP, regularizedGammaQ } from './special-functions';
export { normalCdf, normalSf, twoSidedNormalPValue } from './normal';
export { SeededRandom } from './random';
export { weightedSample, weightedMeanSd, weightedQuantile, type WeightedSample } from './weighted-sample';
export {
  ksTwoSample,
  ksTwoSampleWeighted,
  ksStatisticOf,
  ksExactPValue,
  kolmogorovSf,
  KS_EXACT_MAX_CELLS,
  type KsResult,
} from './ks';
export { wassersteinDistance, wassersteinOf, normalizedWasserstein, normalizedWassersteinOf } from './wasserstein';
export { populationStabilityIndex, psiOf, psiFromShares, quantileBinEdges, binWeights, PSI_FLOOR_SHARE } from './psi';
export { jensenShannonDistance, alignCategories } from './jensen-shannon';
export { chiSquareSf, chiSquareHomogeneity, type ChiSquareResult } from './chi-square';
export { benjaminiHochberg } from './multiple-testing';
export {
  bootstrapInterval,
  blockBootstrapMean,
  blockBootstrapRmseRatio,
  pairedBlockBootstrapRatio,
  denseBlockIndex,
  blockSums,
  percentileSorted,
  DEFAULT_RESAMPLES,
  DEFAULT_CONFIDENCE,
  type BootstrapInterval,
  type BootstrapSettings,
  type RatioInterval,
} from './bootstrap';
export { wilcoxonSignedRank, type WilcoxonResult } from './wilcoxon';
export { regressionMetrics, rmse, rSquared, residuals } from './regression-metrics';
