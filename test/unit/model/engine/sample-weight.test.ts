import { describe, expect, it } from 'vitest';
import { binMatrix, packRows } from '../../../../src/model/engine/binning';
import { bootstrapRows } from '../../../../src/model/engine/bootstrap-rows';
import { growForestTree } from '../../../../src/model/engine/ensemble';
import { growTree, GrowWorkspace, type GrowOptions } from '../../../../src/model/engine/grow-tree';
import { buildHistogram, histogramLayout, histogramTotals, newHistogram } from '../../../../src/model/engine/histogram';
import { checkSampleWeight } from '../../../../src/model/engine/sample-weight';
import {
  findBestSplit,
  findBestSplitSmall,
  SmallNodeScratch,
  type SplitContext,
} from '../../../../src/model/engine/split-finding';
import type { Tree } from '../../../../src/model/engine/tree';
import { SeededRandom } from '../../../../src/stats/random';
import { integerProblem, matrix } from './helpers';

/** Width-3 stats (weight, weight × y, count 1 a row) from integerProblem's width-2 ones (weight, weight × y). */
function withCounts(stats: Float32Array): Float32Array {
  const n = stats.length / 2;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    out[3 * i] = stats[2 * i];
    out[3 * i + 1] = stats[2 * i + 1];
    out[3 * i + 2] = 1;
  }
  return out;
}

function expectSameTree(a: Tree, b: Tree): void {
  expect(Array.from(a.nodes)).toEqual(Array.from(b.nodes));
  expect(Array.from(a.values)).toEqual(Array.from(b.values));
  expect(Array.from(a.categories)).toEqual(Array.from(b.categories));
}

describe('sample weights in the engine', () => {
  it('checks weights: one a row, finite, ≥ 0, not all zero; all 1 is no weights', () => {
    expect(checkSampleWeight(undefined, 3)).toBeNull();
    expect(checkSampleWeight(Float64Array.of(1, 1, 1), 3)).toBeNull();
    const w = Float64Array.of(1, 0, 2.5);
    expect(checkSampleWeight(w, 3)).toBe(w);
    expect(() => checkSampleWeight(Float64Array.of(1, 1), 3)).toThrow('sampleWeight has 2 values for 3 rows');
    expect(() => checkSampleWeight(Float64Array.of(1, NaN, -1), 3)).toThrow(/sampleWeight\[1\] is NaN/);
    expect(() => checkSampleWeight(Float64Array.of(1, 2, -1), 3)).toThrow(/sampleWeight\[2\] is -1/);
    expect(() => checkSampleWeight(Float64Array.of(Infinity, 1, 1), 3)).toThrow(/sampleWeight\[0\] is Infinity/);
    expect(() => checkSampleWeight(Float64Array.of(0, 0, 0), 3)).toThrow(/zero for every row/);
  });

  it('histograms of width 3 sum the weight and target as width 2 does, and the rows beside them', () => {
    const n = 9000;
    const { mapper, packed, stats } = integerProblem(n, 1);
    const rows = Uint32Array.from({ length: n }, (_, i) => i);
    const l2 = histogramLayout(mapper.nBins);
    const l3 = histogramLayout(mapper.nBins, 3);
    const h2 = newHistogram(l2);
    const h3 = newHistogram(l3);
    const h3one = newHistogram(l3);
    buildHistogram(h2, l2, packed, rows, stats, 3, n, newHistogram(l2));
    buildHistogram(h3, l3, packed, rows, withCounts(stats), 3, n, newHistogram(l3));
    buildHistogram(h3one, l3, packed, rows, withCounts(stats), 3, n);
    expect(Array.from(h3one)).toEqual(Array.from(h3));
    const cells = l2.offsets[l2.offsets.length - 1];
    for (let c = 0; c < cells; c++) {
      expect(h3[3 * c]).toBe(h2[2 * c]);
      expect(h3[3 * c + 1]).toBe(h2[2 * c + 1]);
    }
    const t2 = histogramTotals(h2, l2);
    expect(histogramTotals(h3, l3)).toEqual({ W: t2.W, S: t2.S, N: n - 3 });
  });

  it('finds the same split from sparse and full width-3 histograms; minSamplesLeaf bounds rows, not weight', () => {
    const n = 4000;
    const { mapper, packed, stats: s2 } = integerProblem(n, 2);
    const stats = withCounts(s2);
    const layout = histogramLayout(mapper.nBins, 3);
    const ctx: SplitContext = {
      nBins: mapper.nBins,
      categorical: mapper.categorical,
      minSamplesLeaf: 4,
      weighted: true,
    };
    const scratch = new SmallNodeScratch(layout);
    const h = newHistogram(layout);
    const rng = new SeededRandom(3);
    let found = 0;
    for (let trial = 0; trial < 300; trial++) {
      const m = 2 + rng.int(80);
      const rows = Uint32Array.from(new Set(Array.from({ length: m }, () => rng.int(n)))).sort();
      buildHistogram(h, layout, packed, rows, stats, 0, rows.length);
      const { W, S, N } = histogramTotals(h, layout);
      expect(N).toBe(rows.length);
      const full = findBestSplit(h, layout, [0, 1, 2, 3], W, S, ctx, undefined, N);
      const small = findBestSplitSmall(packed, rows, stats, 0, rows.length, [0, 1, 2, 3], W, S, ctx, scratch, [], N);
      expect(small).toEqual(full);
      if (full) {
        found++;
        expect(full.nl).toBeGreaterThanOrEqual(4);
        expect(N - full.nl).toBeGreaterThanOrEqual(4);
        // Weights are 1–3 a row: the left weight is at least its row count.
        expect(full.wl).toBeGreaterThanOrEqual(full.nl);
      }
    }
    expect(found).toBeGreaterThan(100);
  });

  it('grows one tree (no bootstrap) with integer weights k exactly as with each row repeated k times', () => {
    const n = 3000;
    const { X, mapper, packed, y } = integerProblem(n, 7);
    const rng = new SeededRandom(8);
    const k = Uint32Array.from({ length: n }, () => 1 + rng.int(4));
    // The repeated rows, binned with the same mapper (repeating rows would move the quantile bins).
    const order = Array.from(k).flatMap((ki, i) => Array.from({ length: ki }, () => i));
    const Xdup = matrix(
      X.columns.map((c) => order.map((i) => c[i])),
      [...X.kinds],
    );
    const dupPacked = packRows(binMatrix(Xdup, mapper), order.length);
    const o = (weighted: boolean): GrowOptions => ({
      nBins: mapper.nBins,
      categorical: mapper.categorical,
      minSamplesLeaf: 1,
      maxDepth: 10,
      maxFeatures: 1,
      weighted,
    });
    const wStats = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) wStats.set([k[i], k[i] * y[i], 1], 3 * i);
    const dStats = new Float32Array(2 * order.length);
    order.forEach((i, j) => dStats.set([1, y[i]], 2 * j));
    const weighted = growTree(
      new GrowWorkspace(packed, o(true)),
      { rows: Uint32Array.from({ length: n }, (_, i) => i), stats: wStats },
      o(true),
      new SeededRandom(1),
    );
    const repeated = growTree(
      new GrowWorkspace(dupPacked, o(false)),
      { rows: Uint32Array.from(order, (_, j) => j), stats: dStats },
      o(false),
      new SeededRandom(1),
    );
    expect(weighted.nodes.length / 2).toBeGreaterThan(100);
    expectSameTree(weighted, repeated);
  });

  it('draws the same bootstrap with weights, each draw counting its weight; weight-0 rows leave the sample', () => {
    const n = 500;
    const y = Float64Array.from({ length: n }, (_, i) => i % 7);
    const w = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 0.5 + (i % 3)));
    const plain = bootstrapRows(y, new SeededRandom(4), new Float32Array(2 * n));
    const weighted = bootstrapRows(y, new SeededRandom(4), new Float32Array(3 * n), w);
    expect(Array.from(weighted.rows)).toEqual(Array.from(plain.rows).filter((i) => w[i] > 0));
    for (let i = 0; i < n; i++) {
      const draws = plain.stats[2 * i];
      const d = w[i] > 0 ? draws : 0;
      expect(weighted.stats[3 * i + 2]).toBe(d);
      expect(weighted.stats[3 * i]).toBe(Math.fround(d * w[i]));
      expect(weighted.stats[3 * i + 1]).toBe(Math.fround(Math.fround(d * w[i]) * y[i]));
    }
  });

  it('grows the unweighted forest tree from weights all 1 or all 2, minSamplesLeaf counting draws', () => {
    const n = 5000;
    const { mapper, packed, y } = integerProblem(n, 3);
    const o = (weighted: boolean): GrowOptions => ({
      nBins: mapper.nBins,
      categorical: mapper.categorical,
      minSamplesLeaf: 5,
      maxDepth: 12,
      maxFeatures: 0.5,
      weighted,
    });
    const ws2 = new GrowWorkspace(packed, o(false));
    const ws3 = new GrowWorkspace(packed, o(true));
    for (const t of [0, 1]) {
      const plain = growForestTree(ws2, y, null, new Float32Array(2 * n), o(false), 9, t);
      expect(plain.nodes.length / 2).toBeGreaterThan(100);
      expectSameTree(
        growForestTree(ws3, y, new Float64Array(n).fill(1), new Float32Array(3 * n), o(true), 9, t),
        plain,
      );
      // Doubled weights double every sum: the same splits (gains all doubled) and the same leaf means.
      expectSameTree(
        growForestTree(ws3, y, new Float64Array(n).fill(2), new Float32Array(3 * n), o(true), 9, t),
        plain,
      );
    }
  });
});
