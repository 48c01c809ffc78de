import { describe, expect, it } from 'vitest';
import { buildHistogram, histogramLayout, histogramTotals, newHistogram } from '../../../../src/model/engine/histogram';
import {
  findBestSplit,
  findBestSplitSmall,
  SmallNodeScratch,
  type SplitContext,
} from '../../../../src/model/engine/split-finding';
import { SeededRandom } from '../../../../src/stats/random';
import { integerProblem } from './helpers';

/** A histogram from (bin, weight, target) triples of one numeric feature with `nb` bins. */
function oneFeature(nb: number, rows: [number, number, number][], categorical = false) {
  const layout = histogramLayout([nb]);
  const h = newHistogram(layout);
  for (const [b, w, y] of rows) {
    h[2 * b] += w;
    h[2 * b + 1] += w * y;
  }
  const { W, S } = histogramTotals(h, layout);
  const ctx: SplitContext = { nBins: [nb], categorical: [categorical], minSamplesLeaf: 1 };
  return { layout, h, W, S, ctx };
}

describe('split finding', () => {
  it('finds the hand-checkable best threshold and its left totals', () => {
    // Bins 0–1 average 10, bins 2–3 average 30: the best cut is after bin 1.
    const { layout, h, W, S, ctx } = oneFeature(4, [
      [0, 1, 9],
      [1, 1, 11],
      [2, 2, 29],
      [3, 1, 32],
    ]);
    const s = findBestSplit(h, layout, [0], W, S, ctx)!;
    expect(s).toMatchObject({ feature: 0, threshold: 1, leftCategories: null, wl: 2, sl: 20 });
    // Gain = SL²/WL + SR²/WR − S²/W.
    expect(s.gain).toBeCloseTo(20 ** 2 / 2 + 90 ** 2 / 3 - 110 ** 2 / 5, 9);
  });

  it('respects the minimum leaf weight', () => {
    const { layout, h, W, S } = oneFeature(4, [
      [0, 1, 100],
      [1, 5, 0],
      [2, 5, 1],
      [3, 5, 0],
    ]);
    const s = findBestSplit(h, layout, [0], W, S, { nBins: [4], categorical: [false], minSamplesLeaf: 2 })!;
    expect(s.wl).toBeGreaterThanOrEqual(2);
  });

  it('sends missing values right and never cuts after the last bin', () => {
    // Bin 3 is the missing bin of a 3-bin feature. Cutting after bin 2 (every non-missing row left) would
    // gain most (3750) but is not a split of the feature; the best allowed cut is after bin 1 (1875).
    const { layout, h, W, S, ctx } = oneFeature(3, [
      [0, 1, 0],
      [1, 1, 0],
      [2, 1, 0],
      [3, 3, 50],
    ]);
    expect(findBestSplit(h, layout, [0], W, S, ctx)).toMatchObject({ threshold: 1, wl: 2, sl: 0, gain: 1875 });
  });

  it('groups categories by mean target (Fisher), whatever their codes', () => {
    const { layout, h, W, S, ctx } = oneFeature(
      4,
      [
        [0, 5, 100],
        [1, 5, 0],
        [2, 5, 100],
        [3, 5, 0],
      ],
      true,
    );
    const s = findBestSplit(h, layout, [0], W, S, ctx)!;
    const left = [0, 1, 2, 3].filter((b) => (s.leftCategories![b >> 5] >>> (b & 31)) & 1);
    expect(left).toEqual([1, 3]);
    expect(s).toMatchObject({ wl: 10, sl: 0 });
  });

  it('reports features constant in the node', () => {
    const { layout, h, W, S, ctx } = oneFeature(4, [
      [2, 3, 1],
      [2, 1, 5],
    ]);
    const constant: number[] = [];
    expect(findBestSplit(h, layout, [0], W, S, ctx, constant)).toBeNull();
    expect(constant).toEqual([0]);
  });

  it('finds the same split from a small node’s sparse histogram as from its full one', () => {
    const n = 4000;
    const { mapper, packed, stats } = integerProblem(n, 2);
    const layout = histogramLayout(mapper.nBins);
    const ctx: SplitContext = { nBins: mapper.nBins, categorical: mapper.categorical, minSamplesLeaf: 1 };
    const scratch = new SmallNodeScratch(layout);
    const h = newHistogram(layout);
    const rng = new SeededRandom(3);
    let compared = 0;
    for (let trial = 0; trial < 300; trial++) {
      const m = 2 + rng.int(80);
      const rows = Uint32Array.from(new Set(Array.from({ length: m }, () => rng.int(n)))).sort();
      buildHistogram(h, layout, packed, rows, stats, 0, rows.length);
      const { W, S } = histogramTotals(h, layout);
      const features = [0, 1, 2, 3];
      const cFull: number[] = [];
      const cSmall: number[] = [];
      const full = findBestSplit(h, layout, features, W, S, ctx, cFull);
      const small = findBestSplitSmall(packed, rows, stats, 0, rows.length, features, W, S, ctx, scratch, cSmall);
      expect(small).toEqual(full);
      // A pure node returns early from the sparse path, before looking for constant features.
      if (small) expect(cSmall).toEqual(cFull);
      compared++;
    }
    expect(compared).toBe(300);
  });
});
