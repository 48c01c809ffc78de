import { weightedMeanSd, weightedSample, type WeightedSample } from './weighted-sample';

/**
 * First Wasserstein (earth mover's) distance ∫ |F_a(x) - F_b(x)| dx between
 * two empirical distributions, in the data's units (scipy.stats.wasserstein_distance).
 */
export function wassersteinOf(a: WeightedSample, b: WeightedSample): number {
  let i = 0;
  let j = 0;
  let fa = 0;
  let fb = 0;
  let prev = NaN;
  let area = 0;
  while (i < a.values.length || j < b.values.length) {
    const va = i < a.values.length ? a.values[i] : Infinity;
    const vb = j < b.values.length ? b.values[j] : Infinity;
    const v = Math.min(va, vb);
    if (!Number.isNaN(prev)) area += Math.abs(fa / a.total - fb / b.total) * (v - prev);
    if (va === v) fa += a.weights[i++];
    if (vb === v) fb += b.weights[j++];
    prev = v;
  }
  return area;
}

export function wassersteinDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return wassersteinOf(weightedSample(a), weightedSample(b));
}

/**
 * Wasserstein distance divided by the reference's standard deviation
 * (population form), so one threshold (default 0.1 sd) fits every column
 * whatever its unit. A constant reference column gives Infinity when the
 * distributions differ and 0 when they do not.
 */
export function normalizedWassersteinOf(reference: WeightedSample, current: WeightedSample): number {
  const w = wassersteinOf(reference, current);
  const { sd } = weightedMeanSd(reference);
  if (sd > 0) return w / sd;
  return w > 0 ? Infinity : 0;
}

export function normalizedWasserstein(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  return normalizedWassersteinOf(weightedSample(reference), weightedSample(current));
}
