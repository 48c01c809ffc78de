/**
 * Per-node gradient histograms: for each feature and bin, the summed weight
 * and summed weighted target. Only the smaller child's histogram is built
 * from rows; the larger child's is the parent's minus it (sibling subtraction).
 */
export const BINS = 256;
const MISSING = 255;

export interface Histograms {
  /** [feature * BINS + bin] */
  weight: Float64Array;
  sum: Float64Array;
}

export function newHistograms(nFeatures: number): Histograms {
  return { weight: new Float64Array(nFeatures * BINS), sum: new Float64Array(nFeatures * BINS) };
}

/**
 * Only bins 0..nBins[f]-1 and the missing bin (255) can hold rows: clearing
 * and subtracting just those keeps deep trees (hundreds of thousands of small
 * nodes) from paying 256 bins × features per node.
 */
export function buildHistograms(
  h: Histograms,
  binned: readonly Uint8Array[],
  features: readonly number[],
  nBins: readonly number[],
  rows: Uint32Array,
  start: number,
  end: number,
  wy: Float64Array,
  w: Float64Array,
): void {
  for (const f of features) {
    const off = f * BINS;
    h.weight.fill(0, off, off + nBins[f]);
    h.sum.fill(0, off, off + nBins[f]);
    h.weight[off + MISSING] = 0;
    h.sum[off + MISSING] = 0;
    const col = binned[f];
    const hw = h.weight;
    const hs = h.sum;
    for (let k = start; k < end; k++) {
      const i = rows[k];
      const b = off + col[i];
      hw[b] += w[i];
      hs[b] += wy[i];
    }
  }
}

/** out = parent - child, for the given features' used bins. */
export function subtractHistograms(out: Histograms, parent: Histograms, child: Histograms, features: readonly number[], nBins: readonly number[]): void {
  for (const f of features) {
    const off = f * BINS;
    for (let b = off; b < off + nBins[f]; b++) {
      out.weight[b] = parent.weight[b] - child.weight[b];
      out.sum[b] = parent.sum[b] - child.sum[b];
    }
    out.weight[off + MISSING] = parent.weight[off + MISSING] - child.weight[off + MISSING];
    out.sum[off + MISSING] = parent.sum[off + MISSING] - child.sum[off + MISSING];
  }
}
