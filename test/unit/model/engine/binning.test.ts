import { describe, expect, it } from 'vitest';
import { binMatrix, fitBinMapper, missingBin, packRows } from '../../../../src/model/engine/binning';
import { SeededRandom } from '../../../../src/stats/random';
import { matrix } from './helpers';

/**
 * The edges as first written: a sample gathered row by row in draw order, its distinct values collected
 * until more than maxBins, else its values sorted. fitBinMapper now counts the draws per row and reads
 * the rows in order (binning.ts's sampleValues); the edges must stay these, to the bit.
 */
function referenceEdges(cols: Float32Array[], maxBins: number, seed: number): Float64Array[] {
  const rng = new SeededRandom(seed ^ 0x5eed);
  return cols.map((col) => {
    const n = col.length;
    const sample = n > 200_000 ? Float64Array.from({ length: 200_000 }, () => col[rng.int(n)]) : Float64Array.from(col);
    const seen = new Set<number>();
    for (let k = 0; k < sample.length && seen.size <= maxBins; k++) if (!Number.isNaN(sample[k])) seen.add(sample[k]);
    if (seen.size <= maxBins) {
      const d = Float64Array.from(seen).sort();
      return Float64Array.from(d.subarray(0, -1), (v, i) => (v + d[i + 1]) / 2);
    }
    const values = sample.filter((v) => !Number.isNaN(v)).sort();
    const e: number[] = [];
    for (let b = 1; b < maxBins; b++) {
      const q = values[Math.floor((b * values.length) / maxBins)];
      if (e.length === 0 || q > e[e.length - 1]) e.push(q);
    }
    return Float64Array.from(e);
  });
}

describe('binning', () => {
  it('gives few distinct values one bin each, with edges halfway between them', () => {
    const X = matrix([[3, 1, 2, 2, 3, 1]]);
    const m = fitBinMapper(X);
    expect(Array.from(m.edges[0])).toEqual([1.5, 2.5]);
    expect(m.nBins).toEqual([3]);
    expect(Array.from(binMatrix(matrix([[1, 1.4, 1.6, 2, 2.5, 2.6, 3, 100, -5]]), m)[0])).toEqual([
      0, 0, 1, 1, 1, 2, 2, 2, 0,
    ]);
  });

  it('caps many distinct values at 255 quantile bins of about equal size', () => {
    const n = 100_000;
    const X = matrix([Array.from({ length: n }, (_, i) => Math.sqrt(i))]);
    const m = fitBinMapper(X);
    expect(m.nBins[0]).toBe(255);
    const counts = new Array(255).fill(0);
    for (const b of binMatrix(X, m)[0]) counts[b]++;
    expect(Math.min(...counts)).toBeGreaterThan(n / 255 / 2);
    expect(Math.max(...counts)).toBeLessThan((n / 255) * 2);
  });

  it('puts missing values in the bin after the last, and unseen categories in the last category', () => {
    const X = matrix(
      [
        [1, 2, NaN, 3],
        [0, 1, 2, NaN],
      ],
      ['numeric', 'categorical'],
    );
    const m = fitBinMapper(X);
    expect(missingBin(m, 0)).toBe(3);
    expect(missingBin(m, 1)).toBe(3);
    const binned = binMatrix(
      matrix(
        [
          [NaN, 2],
          [7, NaN],
        ],
        ['numeric', 'categorical'],
      ),
      m,
    );
    expect(Array.from(binned[0])).toEqual([3, 1]);
    expect(Array.from(binned[1])).toEqual([2, 3]);
  });

  it('fits the same edges as gathering the sample row by row, past the 200K-row sample too', () => {
    const rng = new SeededRandom(7);
    const n = 330_000;
    const cols = [
      // A value per run of rows, as a counter's coordinates; a rare value some samples miss.
      Array.from({ length: n }, (_, i) => (i === 123_456 ? 99.5 : Math.floor(i / 977) % 40)),
      // Many distinct values with runs and NaN: quantile edges.
      Array.from({ length: n }, (_, i) => (rng.next() < 0.02 ? NaN : Math.floor(i / 3) % 400)),
      // Just over and just under maxBins distinct values.
      Array.from({ length: n }, () => rng.int(256)),
      Array.from({ length: n }, () => rng.int(255)),
      // Fewer rows than the sample: every row counts.
    ];
    const small = [Array.from({ length: 5000 }, () => (rng.next() < 0.1 ? NaN : rng.next() * 1000))];
    for (const [c, seed] of [
      [cols, 0],
      [cols, 11],
      [small, 3],
    ] as const) {
      const X = matrix(c);
      for (const maxBins of [255, 40]) {
        const got = fitBinMapper(X, maxBins, seed).edges.map((e) => Array.from(e));
        expect(got).toEqual(referenceEdges(X.columns as Float32Array[], maxBins, seed).map((e) => Array.from(e)));
      }
    }
  });

  it('refuses more bins than a byte holds with the missing bin', () => {
    expect(() => fitBinMapper(matrix([[1, 2]]), 256)).toThrow(/maxBins must be an integer from 2 to 255/);
  });

  it('refuses more categories than bins', () => {
    expect(() => fitBinMapper(matrix([[0, 300]], ['categorical']))).toThrow(/301 categories; at most 255/);
  });

  it('packs both layouts with the same bins', () => {
    const X = matrix(
      [
        [1, 2, 3],
        [5, 5, 6],
        [0, 1, 0],
      ],
      ['numeric', 'numeric', 'categorical'],
    );
    const binned = binMatrix(X, fitBinMapper(X));
    const p = packRows(binned, 3);
    expect(p.stride).toBe(3);
    for (let i = 0; i < 3; i++)
      for (let f = 0; f < 3; f++) {
        expect(p.bins[i * 3 + f]).toBe(binned[f][i]);
        expect(p.columns[f][i]).toBe(binned[f][i]);
      }
  });
});
