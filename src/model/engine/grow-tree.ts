import { SeededRandom } from '../../stats/random';
import { buildHistograms, newHistograms, subtractHistograms, type Histograms } from './histogram';
import { findBestSplit, type SplitContext } from './split-finding';
import { TreeBuilder, type Tree } from './tree';

export interface GrowOptions extends SplitContext {
  maxDepth: number;
  /** Share of features considered at each split (1 = all, as scikit-learn's regressor default). */
  maxFeatures: number;
}

/**
 * Grows one tree depth-first over the rows `rows` (in-bag rows with weight
 * > 0). Histograms: one pair per depth level, reused; the smaller child is
 * built from rows, the larger by subtraction from the parent.
 */
export function growTree(binned: readonly Uint8Array[], y: Float64Array, w: Float64Array, rows: Uint32Array, o: GrowOptions, rng: SeededRandom): Tree {
  const nFeatures = binned.length;
  const all = Array.from({ length: nFeatures }, (_, f) => f);
  const builder = new TreeBuilder();
  const pool: [Histograms, Histograms][] = [];
  const level = (d: number) => (pool[d] ??= [newHistograms(nFeatures), newHistograms(nFeatures)]);
  const nSampled = Math.max(1, Math.round(o.maxFeatures * nFeatures));

  // w·y once per tree instead of once per row per feature per level.
  const wy = new Float64Array(y.length);
  for (let k = 0; k < rows.length; k++) wy[rows[k]] = w[rows[k]] * y[rows[k]];
  const nBins = o.nBins;
  const histogramCells = 2 * nBins.reduce((t, b) => t + b + 1, 0);
  const root = newHistograms(nFeatures);
  buildHistograms(root, binned, all, nBins, rows, 0, rows.length, wy, w);
  let W = 0;
  let S = 0;
  for (let b = 0; b < 256; b++) {
    W += root.weight[b];
    S += root.sum[b];
  }
  const rootNode = builder.addLeaf(S / W);

  const visit = (node: number, start: number, end: number, depth: number, hist: Histograms, W: number, S: number): void => {
    if (depth >= o.maxDepth || W < 2 * o.minSamplesLeaf) return;
    const features = nSampled >= nFeatures ? all : sampleFeatures(all, nSampled, rng);
    const split = findBestSplit(hist, features, W, S, o);
    if (!split) return;
    const col = binned[split.feature];
    // In-place partition of rows[start, end): left rows first.
    let i = start;
    let j = end - 1;
    const probe = { feature: split.feature, threshold: split.threshold, left: split.leftCategories };
    const isLeft = (r: number) => (probe.left ? probe.left[col[r]] === 1 : col[r] <= probe.threshold);
    while (i <= j) {
      if (isLeft(rows[i])) i++;
      else {
        const t = rows[i];
        rows[i] = rows[j];
        rows[j] = t;
        j--;
      }
    }
    const mid = i;
    if (mid === start || mid === end) return;
    const [lh, rh] = level(depth + 1);
    const leftSmaller = mid - start <= end - mid;
    if ((end - start) * nFeatures < histogramCells) {
      // Small node: two passes over its few rows cost less than subtracting every used bin.
      buildHistograms(lh, binned, all, nBins, rows, start, mid, wy, w);
      buildHistograms(rh, binned, all, nBins, rows, mid, end, wy, w);
    } else if (leftSmaller) {
      buildHistograms(lh, binned, all, nBins, rows, start, mid, wy, w);
      subtractHistograms(rh, hist, lh, all, nBins);
    } else {
      buildHistograms(rh, binned, all, nBins, rows, mid, end, wy, w);
      subtractHistograms(lh, hist, rh, all, nBins);
    }
    // Any one feature's histogram sums to the node's totals: use feature 0's.
    let WL = 0;
    let SL = 0;
    for (let b = 0; b < 256; b++) {
      WL += lh.weight[b];
      SL += lh.sum[b];
    }
    const WR = W - WL;
    const SR = S - SL;
    const left = builder.addLeaf(SL / WL);
    const right = builder.addLeaf(SR / WR);
    builder.makeSplit(node, split.feature, split.threshold, split.leftCategories, left, right);
    // The right child's histogram stays valid in its level slot: the left subtree only uses deeper levels.
    visit(left, start, mid, depth + 1, lh, WL, SL);
    visit(right, mid, end, depth + 1, rh, WR, SR);
  };
  visit(rootNode, 0, rows.length, 0, root, W, S);
  return builder.finish();
}

function sampleFeatures(all: readonly number[], k: number, rng: SeededRandom): number[] {
  const a = [...all];
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(a.length - i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k).sort((x, y) => x - y);
}
