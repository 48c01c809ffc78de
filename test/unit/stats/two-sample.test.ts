import { describe, expect, it } from 'vitest';
import {
  chiSquareHomogeneity,
  jensenShannonDistance,
  kolmogorovSf,
  ksTwoSample,
  ksTwoSampleWeighted,
  normalizedWasserstein,
  populationStabilityIndex,
  wassersteinDistance,
  wassersteinOf,
  weightedSample,
} from '../../../src/stats';

// Reference values: scipy 1.10.1 / numpy 1.24 (Debian bookworm python3-scipy),
// printed by test/unit/stats/reference/scipy_reference.py.
const close = (a: number, b: number, tol = 1e-12) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

const A = [
  0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77, 1.09, -1.28,
  2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47,
];
const B = [
  2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37, -0.52, -0.92, 0.3, 1.16,
  2.04, 1.34,
];

describe('Kolmogorov–Smirnov', () => {
  it('matches scipy.stats.ks_2samp(A, B, method="exact")', () => {
    const r = ksTwoSample(A, B);
    expect(r.method).toBe('exact');
    close(r.statistic, 0.29454545454545455);
    close(r.pValue, 0.2058053483992491, 1e-10);
  });
  it('matches scipy exact p-value with ties', () => {
    // scipy.stats.ks_2samp([1,2,2,3,3,3,4,5,7,9], [2,3,4,4,5,6,6,8,10,11,12,15], method='exact')
    const r = ksTwoSample([1, 2, 2, 3, 3, 3, 4, 5, 7, 9], [2, 3, 4, 4, 5, 6, 6, 8, 10, 11, 12, 15], 'exact');
    close(r.statistic, 0.43333333333333335);
    close(r.pValue, 0.18629667546076212, 1e-10);
  });
  // [λ, scipy.special.kolmogorov(λ)]: the limiting distribution used for large samples.
  const kol: [number, number][] = [
    [0.2, 0.999999999999495],
    [0.5, 0.9639452436648751],
    [0.8, 0.5441424115741981],
    [1.0, 0.26999967167735456],
    [1.36, 0.049485876755377876],
    [2, 0.0006709252557796953],
    [3, 3.045995948942526e-8],
    [5, 3.8574996959278356e-22],
  ];
  it.each(kol)('Kolmogorov sf(%s)', (l, p) =>
    expect(Math.abs(kolmogorovSf(l) - p)).toBeLessThanOrEqual(1e-10 * p + 1e-15),
  );
  it('asymptotic p-value is the Kolmogorov sf at sqrt(nm/(n+m)) D', () => {
    const r = ksTwoSample(A, B, 'asymptotic');
    close(r.pValue, kolmogorovSf(Math.sqrt((25 * 22) / 47) * 0.29454545454545455), 1e-12);
  });
  it('weights act as replicated rows', () => {
    const w = ksTwoSampleWeighted(
      weightedSample([1, 2, 3], [2, 1, 1]),
      weightedSample([1, 2, 3, 4], [1, 1, 1, 3]),
      'asymptotic',
    );
    const r = ksTwoSample([1, 1, 2, 3], [1, 2, 3, 4, 4, 4], 'asymptotic');
    close(w.statistic, r.statistic);
  });
});

describe('Wasserstein', () => {
  const U = [0, 1, 3, 3, 7, 12, 4, 5, 5, 2];
  const V = [5, 6, 8, 8, 9, 1, 4, 30];
  it('matches scipy.stats.wasserstein_distance', () => close(wassersteinDistance(U, V), 4.675000000000001));
  it('normalised by the reference population sd (numpy.std, ddof=0)', () =>
    close(normalizedWasserstein(U, V), 1.4386318008209515));
  it('weighted: scipy.stats.wasserstein_distance([1,2,3],[1,2,3,4],u_weights=[1,2,1],v_weights=[1,1,1,3])', () =>
    close(wassersteinOf(weightedSample([1, 2, 3], [1, 2, 1]), weightedSample([1, 2, 3, 4], [1, 1, 1, 3])), 1.0));
  it('non-integer data takes the sorting path', () => close(wassersteinDistance(A, B), wassersteinDistance(B, A)));
});

describe('PSI', () => {
  it('matches a numpy computation on reference deciles (1..100 vs 21..120)', () => {
    // numpy: bins (-inf,10],(10,20],...,(90,inf), shares floored at 1e-4, Σ (c-r) ln(c/r)
    const ref = Array.from({ length: 100 }, (_, i) => i + 1);
    const cur = Array.from({ length: 100 }, (_, i) => i + 21);
    close(populationStabilityIndex(ref, cur), 1.599891962474253, 1e-12);
  });
  it('is zero for identical samples', () => expect(populationStabilityIndex([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])).toBe(0));
});

describe('Jensen–Shannon distance', () => {
  // scipy.spatial.distance.jensenshannon(p, q, base=2)
  it('matches scipy', () => close(jensenShannonDistance([10, 20, 30, 40], [40, 30, 20, 10]), 0.3918681606471551));
  it('disjoint supports give 1', () => close(jensenShannonDistance([1, 0], [0, 1]), 1));
  it('a category absent on one side', () => close(jensenShannonDistance([5, 5, 0], [3, 3, 4]), 0.48626412335275976));
});

describe('chi-square homogeneity', () => {
  it('matches scipy.stats.chi2_contingency(correction=False)', () => {
    const r = chiSquareHomogeneity([12, 30, 45, 13], [20, 25, 30, 25]);
    close(r.statistic, 9.24401913875598);
    expect(r.df).toBe(3);
    close(r.pValue, 0.026216439179505148, 1e-10);
  });
});
