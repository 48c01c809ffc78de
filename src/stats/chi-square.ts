import { regularizedGammaQ } from './special-functions';

/** Upper tail of the chi-square distribution, P(X² ≥ x) with `df` degrees of freedom (scipy.stats.chi2.sf). */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chi-square needs df > 0, got ${df}`);
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}

export interface ChiSquareResult {
  statistic: number;
  df: number;
  pValue: number;
}

/**
 * Pearson chi-square test of homogeneity for two samples over the same
 * categories (a 2 × k contingency table, scipy.stats.chi2_contingency with
 * correction=False). Categories empty on both sides are dropped; counts may
 * be non-integer (effective counts of weighted samples).
 */
export function chiSquareHomogeneity(a: ArrayLike<number>, b: ArrayLike<number>): ChiSquareResult {
  if (a.length !== b.length) throw new RangeError('chi-square needs the same categories on both sides');
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    na += a[i];
    nb += b[i];
  }
  if (na <= 0 || nb <= 0) throw new RangeError('chi-square needs two non-empty samples');
  const n = na + nb;
  let stat = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    const col = a[i] + b[i];
    if (col <= 0) continue;
    k++;
    const ea = (col * na) / n;
    const eb = (col * nb) / n;
    stat += (a[i] - ea) ** 2 / ea + (b[i] - eb) ** 2 / eb;
  }
  const df = Math.max(1, k - 1);
  return { statistic: stat, df, pValue: k < 2 ? 1 : chiSquareSf(stat, df) };
}
