import { twoSidedNormalPValue } from './normal';

/**
 * Wilcoxon signed-rank test of paired samples x, y (two-sided), normal
 * approximation with tie and continuity corrections; zero differences are
 * dropped ("wilcox" zero method). Same numbers as
 * scipy.stats.wilcoxon(x, y, zero_method='wilcox', correction=True, method='approx').
 *
 * `statistic` is min(W+, W-) like scipy; `z` keeps the sign of W+ - n(n+1)/4,
 * so z > 0 means x tends to exceed y (for absolute errors: x worse).
 */
export interface WilcoxonResult {
  statistic: number;
  wPlus: number;
  /** Non-zero differences used. */
  n: number;
  z: number;
  pValue: number;
}

export function wilcoxonSignedRank(x: ArrayLike<number>, y: ArrayLike<number>): WilcoxonResult {
  if (x.length !== y.length) throw new RangeError('Wilcoxon signed-rank needs paired samples of one length');
  const d: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const v = x[i] - y[i];
    if (Number.isNaN(v)) throw new RangeError(`pair ${i} is NaN`);
    if (v !== 0) d.push(v);
  }
  const n = d.length;
  if (n === 0) return { statistic: 0, wPlus: 0, n: 0, z: 0, pValue: 1 };
  const abs = Float64Array.from(d, Math.abs);
  const order = Array.from(abs.keys()).sort((a, b) => abs[a] - abs[b]);
  let wPlus = 0;
  let tieTerm = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && abs[order[end]] === abs[order[start]]) end++;
    const t = end - start;
    const avgRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if (d[order[k]] > 0) wPlus += avgRank;
    tieTerm += t * t * t - t;
    start = end;
  }
  const total = (n * (n + 1)) / 2;
  const mean = total / 2;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  const diff = wPlus - mean;
  const corrected = diff === 0 ? 0 : diff - 0.5 * Math.sign(diff);
  const z = variance > 0 ? corrected / Math.sqrt(variance) : 0;
  return { statistic: Math.min(wPlus, total - wPlus), wPlus, n, z, pValue: twoSidedNormalPValue(z) };
}
