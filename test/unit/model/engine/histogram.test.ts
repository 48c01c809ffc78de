import { describe, expect, it } from 'vitest';
import {
  buildHistogram,
  histogramLayout,
  histogramTotals,
  newHistogram,
  subtractHistogram,
  TWO_WAY_MIN_ROWS,
} from '../../../../src/model/engine/histogram';
import { integerProblem } from './helpers';

describe('histograms', () => {
  const n = 3 * TWO_WAY_MIN_ROWS + 1;
  const { mapper, packed, stats } = integerProblem(n, 1);
  const layout = histogramLayout(mapper.nBins);
  const rows = Uint32Array.from({ length: n }, (_, i) => i);

  it('lays features out back to back, one cell per bin plus one for missing values', () => {
    expect(Array.from(layout.offsets)).toEqual([0, 25, 35, 35 + mapper.nBins[2] + 1, 35 + mapper.nBins[2] + 1 + 3]);
  });

  it('sums weight and weight × target per bin; every feature adds up to the node totals', () => {
    const h = newHistogram(layout);
    buildHistogram(h, layout, packed, rows, stats, 0, n);
    let W = 0;
    let S = 0;
    for (let i = 0; i < n; i++) {
      W += stats[2 * i];
      S += stats[2 * i + 1];
    }
    expect(histogramTotals(h, layout)).toEqual({ W, S, N: W });
    for (let f = 0; f < 4; f++) {
      let w = 0;
      for (let c = layout.offsets[f]; c < layout.offsets[f + 1]; c++) w += h[2 * c];
      expect(w).toBe(W);
    }
    // Bin 3 of feature 0: hand count.
    let w3 = 0;
    for (let i = 0; i < n; i++) if (packed.columns[0][i] === 3) w3 += stats[2 * i];
    expect(h[2 * (layout.offsets[0] + 3)]).toBe(w3);
  });

  it('gives the same histogram built one way or two ways', () => {
    const one = newHistogram(layout);
    const two = newHistogram(layout);
    buildHistogram(one, layout, packed, rows, stats, 5, n);
    buildHistogram(two, layout, packed, rows, stats, 5, n, newHistogram(layout));
    expect(Array.from(two)).toEqual(Array.from(one));
  });

  it('gets a sibling by subtraction from its parent', () => {
    const parent = newHistogram(layout);
    const left = newHistogram(layout);
    const right = newHistogram(layout);
    const sibling = newHistogram(layout);
    buildHistogram(parent, layout, packed, rows, stats, 0, n);
    buildHistogram(left, layout, packed, rows, stats, 0, 1000);
    buildHistogram(right, layout, packed, rows, stats, 1000, n);
    subtractHistogram(sibling, parent, left);
    expect(Array.from(sibling)).toEqual(Array.from(right));
  });
});
