import { describe, expect, it } from 'vitest';
import { binMatrix, fitBinMapper, missingBin, packRows } from '../../../../src/model/engine/binning';
import { matrix } from './helpers';

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
