import { weightedSample, type WeightedSample } from './weighted-sample';

/**
 * Two-sample Kolmogorov–Smirnov: D = sup |F_ref(x) - F_cur(x)|.
 *
 * p-value: exact (lattice-path probability, two-sided) when n·m is small
 * enough to enumerate, else the limiting Kolmogorov distribution at
 * λ = √(n m / (n + m)) · D. Both assume continuous data; with ties (counts,
 * hours) they are conservative. At our scale the p-value is never the
 * verdict on its own: drift also needs D itself to be large.
 */
export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
  /** Sample sizes used for the p-value (Kish effective sizes for weighted samples). */
  n1: number;
  n2: number;
}

/** Above this n·m the exact lattice computation is skipped for the asymptotic one. */
export const KS_EXACT_MAX_CELLS = 1_000_000;

export function ksStatisticOf(a: WeightedSample, b: WeightedSample): number {
  let i = 0;
  let j = 0;
  let fa = 0;
  let fb = 0;
  let d = 0;
  while (i < a.values.length || j < b.values.length) {
    const va = i < a.values.length ? a.values[i] : Infinity;
    const vb = j < b.values.length ? b.values[j] : Infinity;
    const v = Math.min(va, vb);
    if (va === v) fa += a.weights[i++];
    if (vb === v) fb += b.weights[j++];
    const diff = Math.abs(fa / a.total - fb / b.total);
    if (diff > d) d = diff;
  }
  return d;
}

export function ksTwoSample(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  method: 'auto' | 'exact' | 'asymptotic' = 'auto',
): KsResult {
  if (a.length === 0 || b.length === 0) throw new RangeError('KS test needs two non-empty samples');
  return ksTwoSampleWeighted(weightedSample(a), weightedSample(b), method);
}

/** KS between weighted samples; the p-value uses the Kish effective sizes. */
export function ksTwoSampleWeighted(
  a: WeightedSample,
  b: WeightedSample,
  method: 'auto' | 'exact' | 'asymptotic' = 'auto',
): KsResult {
  const d = ksStatisticOf(a, b);
  const n1 = a.effectiveN;
  const n2 = b.effectiveN;
  const integerSizes = Number.isInteger(n1) && Number.isInteger(n2) && a.total === n1 && b.total === n2;
  const useExact = method === 'exact' || (method === 'auto' && integerSizes && n1 * n2 <= KS_EXACT_MAX_CELLS);
  if (useExact) {
    if (!integerSizes) throw new RangeError('exact KS p-value needs unweighted samples');
    return { statistic: d, pValue: ksExactPValue(n1, n2, d), method: 'exact', n1, n2 };
  }
  const en = Math.sqrt((n1 * n2) / (n1 + n2));
  return { statistic: d, pValue: kolmogorovSf(en * d), method: 'asymptotic', n1, n2 };
}

/**
 * P(D ≥ d) for two samples of sizes m and n without ties: one minus the
 * probability that a uniformly random arrangement of the m + n points (a
 * monotone lattice path) stays strictly inside |i/m - j/n| < d. Walked with
 * step probabilities instead of path counts so nothing overflows.
 */
export function ksExactPValue(m: number, n: number, d: number): number {
  // D·m·n is an integer for an observed D; compare in integers to avoid float edges.
  const limit = Math.round(d * m * n);
  if (limit <= 0) return 1;
  const inside = (i: number, j: number) => Math.abs(i * n - j * m) < limit;
  let row = new Float64Array(n + 1);
  row[0] = 1;
  for (let j = 1; j <= n; j++) row[j] = inside(0, j) ? row[j - 1] * ((n - j + 1) / (m + n - j + 1)) : 0;
  for (let i = 1; i <= m; i++) {
    const next = new Float64Array(n + 1);
    for (let j = 0; j <= n; j++) {
      if (!inside(i, j)) continue;
      // Arrive from (i-1, j) by taking one of the m-i+1 remaining a-points, or from (i, j-1).
      const fromLeft = row[j] * ((m - i + 1) / (m - i + 1 + n - j));
      const fromBelow = j > 0 ? next[j - 1] * ((n - j + 1) / (m - i + n - j + 1)) : 0;
      next[j] = fromLeft + fromBelow;
    }
    row = next;
  }
  return Math.min(1, Math.max(0, 1 - row[n]));
}

/**
 * Survival function of the Kolmogorov distribution, P(K > λ)
 * (scipy.special.kolmogorov). Alternating series for λ ≥ 1; for small λ the
 * theta-function form of the CDF, which converges in a few terms there.
 */
export function kolmogorovSf(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1) {
    const c = -(Math.PI * Math.PI) / (8 * lambda * lambda);
    let s = 0;
    for (let k = 1; k <= 50; k++) {
      const t = Math.exp(c * (2 * k - 1) * (2 * k - 1));
      s += t;
      if (t < 1e-17 * s) break;
    }
    return 1 - (Math.sqrt(2 * Math.PI) / lambda) * s;
  }
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const t = Math.exp(-2 * k * k * lambda * lambda);
    s += (k % 2 === 1 ? 1 : -1) * t;
    if (t < 1e-300 || t < 1e-17 * Math.abs(s)) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}
