import { BINS, type Histograms } from './histogram';

/**
 * The best split of a node from its histograms, for squared error: the
 * reduction in weighted SSE is SL²/WL + SR²/WR − S²/W. Numeric features scan
 * bins left to right (left = bins ≤ threshold). Categorical features (the
 * counter) order their categories by mean target and scan that order, which
 * finds the optimal two-way partition for squared error (Fisher 1958) —
 * far better than splitting arbitrary category codes by `≤`.
 * Missing values (bin 255) always go right.
 */
export interface Split {
  feature: number;
  gain: number;
  /** Numeric: rows with bin ≤ threshold go left. */
  threshold: number;
  /** Categorical: leftCategories[bin] === 1 goes left. */
  leftCategories: Uint8Array | null;
}

export interface SplitContext {
  nBins: readonly number[];
  categorical: readonly boolean[];
  minSamplesLeaf: number;
}

export function findBestSplit(h: Histograms, features: readonly number[], W: number, S: number, ctx: SplitContext): Split | null {
  const parentScore = (S * S) / W;
  let best: Split | null = null;
  let bestGain = 1e-9 * Math.max(1, Math.abs(parentScore));
  const minLeaf = ctx.minSamplesLeaf;
  for (const f of features) {
    const off = f * BINS;
    const nb = ctx.nBins[f];
    if (ctx.categorical[f]) {
      const cats: number[] = [];
      for (let b = 0; b < nb; b++) if (h.weight[off + b] > 0) cats.push(b);
      if (cats.length < 2) continue;
      cats.sort((a, b) => h.sum[off + a] / h.weight[off + a] - h.sum[off + b] / h.weight[off + b] || a - b);
      let wl = 0;
      let sl = 0;
      let bestK = -1;
      for (let k = 0; k < cats.length - 1; k++) {
        wl += h.weight[off + cats[k]];
        sl += h.sum[off + cats[k]];
        const wr = W - wl;
        if (wl < minLeaf || wr < minLeaf) continue;
        const sr = S - sl;
        const gain = (sl * sl) / wl + (sr * sr) / wr - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          bestK = k;
        }
      }
      // The category set is built once, for the winner only (allocating per candidate dominated deep trees).
      if (bestK >= 0) {
        const left = new Uint8Array(BINS);
        for (let j = 0; j <= bestK; j++) left[cats[j]] = 1;
        best = { feature: f, gain: bestGain, threshold: 0, leftCategories: left };
      }
      continue;
    }
    let wl = 0;
    let sl = 0;
    for (let b = 0; b < nb - 1; b++) {
      wl += h.weight[off + b];
      sl += h.sum[off + b];
      if (wl < minLeaf) continue;
      const wr = W - wl;
      if (wr < minLeaf) break;
      const sr = S - sl;
      const gain = (sl * sl) / wl + (sr * sr) / wr - parentScore;
      if (gain > bestGain) {
        bestGain = gain;
        best = { feature: f, gain, threshold: b, leftCategories: null };
      }
    }
  }
  return best;
}
