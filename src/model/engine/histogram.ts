/**
 * Per-node gradient histograms: for each feature and bin, the summed weight
 * and summed weighted target. Only the smaller child's histogram is built
 * from rows; the larger child's is the parent's minus it (sibling subtraction).
 */
export const BINS = 256;

export interface Histograms {
  /** [feature * BINS + bin] */
  weight: Float64Array;
  sum: Float64Array;
}

export function newHistograms(nFeatures: number): Histograms {
  return { weight: new Float64Array(nFeatures * BINS), sum: new Float64Array(nFeatures * BINS) };
}

export function buildHistograms(
  h: Histograms,
  binned: readonly Uint8Array[],
  features: readonly number[],
  rows: Uint32Array,
  start: number,
  end: number,
  y: Float64Array,
  w: Float64Array,
): void {
  for (const f of features) {
    const off = f * BINS;
    h.weight.fill(0, off, off + BINS);
    h.sum.fill(0, off, off + BINS);
    const col = binned[f];
    const hw = h.weight;
    const hs = h.sum;
    for (let k = start; k < end; k++) {
      const i = rows[k];
      const b = off + col[i];
      const wi = w[i];
      hw[b] += wi;
      hs[b] += wi * y[i];
    }
  }
}

/** out = parent - child, for the given features. */
export function subtractHistograms(out: Histograms, parent: Histograms, child: Histograms, features: readonly number[]): void {
  for (const f of features) {
    const off = f * BINS;
    for (let b = off; b < off + BINS; b++) {
      out.weight[b] = parent.weight[b] - child.weight[b];
      out.sum[b] = parent.sum[b] - child.sum[b];
    }
  }
}
