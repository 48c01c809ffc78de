import { describe, expect, it } from 'vitest';
import { chiSquareSf, normalCdf, normalSf, regularizedGammaP, regularizedGammaQ } from '../../../src/stats';

// Reference values: scipy 1.10.1 (Debian bookworm python3-scipy), printed by
// test/unit/stats/reference/scipy_reference.py.
const relClose = (actual: number, expected: number, rel = 1e-10) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-300);

describe('regularised incomplete gamma', () => {
  // [a, x, scipy.special.gammainc(a, x), scipy.special.gammaincc(a, x)]
  const cases: [number, number, number, number][] = [
    [0.5, 0.1, 0.34527915398142317, 0.6547208460185768],
    [0.5, 2, 0.9544997361036415, 0.04550026389635857],
    [1, 1, 0.6321205588285577, 0.36787944117144245],
    [2.5, 3, 0.6937810815867212, 0.30621891841327875],
    [10, 4, 0.008132242796933871, 0.9918677572030661],
    [10, 25, 0.9997785233617512, 0.0002214766382487835],
    [100, 90, 0.15822098918643007, 0.84177901081357],
    [0.5, 400, 1.0, 5.395865611607819e-176],
    [3, 0.001, 1.6654171665278094e-10, 0.9999999998334583],
  ];
  it.each(cases)('P and Q at a=%s, x=%s', (a, x, p, q) => {
    relClose(regularizedGammaP(a, x), p, 1e-9);
    relClose(regularizedGammaQ(a, x), q, 1e-9);
  });
  it('rejects a <= 0', () => expect(() => regularizedGammaP(0, 1)).toThrow(RangeError));
});

describe('normal tail', () => {
  // [z, scipy.stats.norm.sf(z)]: keeps relative precision far past simple-statistics' 0.001 floor.
  const sf: [number, number][] = [
    [0, 0.5],
    [0.5, 0.3085375387259869],
    [1, 0.15865525393145707],
    [1.96, 0.024997895148220435],
    [3, 0.0013498980316300933],
    [5, 2.866515718791933e-7],
    [8, 6.22096057427174e-16],
    [10, 7.61985302416047e-24],
    [20, 2.7536241186061556e-89],
    [37, 5.7255712225239266e-300],
  ];
  it.each(sf)('sf(%s)', (z, p) => relClose(normalSf(z), p, 1e-9));
  // [z, scipy.stats.norm.cdf(z)]
  const cdf: [number, number][] = [
    [-37, 5.7255712225239266e-300],
    [-8, 6.22096057427174e-16],
    [-1.5, 0.06680720126885807],
    [0.3, 0.6179114221889526],
    [2, 0.9772498680518208],
  ];
  it.each(cdf)('cdf(%s)', (z, p) => relClose(normalCdf(z), p, 1e-9));
});

describe('chi-square survival', () => {
  // [x, df, scipy.stats.chi2.sf(x, df)]
  const cases: [number, number, number][] = [
    [3.84, 1, 0.05004352124870519],
    [10, 3, 0.01856613546304325],
    [50, 23, 0.0009213220411029255],
    [200, 23, 3.488571391324126e-30],
    [1000, 6, 8.941414636224561e-213],
    [0.5, 2, 0.7788007830714049],
  ];
  it.each(cases)('sf(%s, df=%s)', (x, df, p) => relClose(chiSquareSf(x, df), p, 1e-9));
});
