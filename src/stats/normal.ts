import { regularizedGammaP, regularizedGammaQ } from './special-functions';

/**
 * Standard normal tail probabilities with full precision far into the tail.
 * Not simple-statistics' cumulativeStdNormalProbability: that is a lookup
 * table that bottoms out at 0.001, so every large effect would get the same
 * p-value.
 *
 * erfc(t) = Q(1/2, t²), hence for z ≥ 0: P(Z > z) = Q(1/2, z²/2) / 2.
 */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === Infinity) return 0;
  if (z === -Infinity) return 1;
  const half = 0.5 * (z * z);
  return z >= 0 ? 0.5 * regularizedGammaQ(0.5, half) : 0.5 + 0.5 * regularizedGammaP(0.5, half);
}

/** P(Z ≤ z). */
export function normalCdf(z: number): number {
  return normalSf(-z);
}

/** Two-sided p-value of a z statistic: P(|Z| ≥ |z|). */
export function twoSidedNormalPValue(z: number): number {
  return Math.min(1, 2 * normalSf(Math.abs(z)));
}
