import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  benjaminiHochberg,
  blockBootstrapMean,
  blockBootstrapRmseRatio,
  pairedBlockBootstrapRatio,
  rmse,
  rSquared,
  SeededRandom,
  wilcoxonSignedRank,
} from '../../../src/stats';

const close = (a: number, b: number, tol = 1e-12) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe('seeded generator', () => {
  it('is mulberry32: first outputs for seed 42 match the Python re-implementation', () => {
    // test/unit/stats/reference/paired_bootstrap.py, class Mulberry32(42).u32() x3
    const r = new SeededRandom(42);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([2581720956, 1925393290, 3661312704]);
  });
});

describe('paired block bootstrap of an RMSE ratio', () => {
  const rows = readFileSync(join(__dirname, 'fixtures', 'paired-bootstrap.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const blocks = rows.map((r) => r[0]);
  const truth = rows.map((r) => Number(r[1]));
  const errorsB = rows.map((r, i) => Number(r[2]) - truth[i]);
  const errorsA = rows.map((r, i) => Number(r[3]) - truth[i]);

  it('reproduces the numpy reference interval (paired_bootstrap.py, seed 2024)', () => {
    const r = pairedBlockBootstrapRatio({ errorsA, errorsB, blocks, resamples: 2000, seed: 2024 });
    close(r.ratio, 0.8433834713936904, 1e-12);
    close(r.lo, 0.7387443824739146, 1e-12);
    close(r.hi, 0.9668552278867196, 1e-12);
    expect(r.blocks).toBe(30);
  });
  it('another seed, another reference interval (seed 1); same seed, same interval', () => {
    const r = pairedBlockBootstrapRatio({ errorsA, errorsB, blocks, seed: 1 });
    close(r.lo, 0.7360175337223221, 1e-12);
    close(r.hi, 0.9771456326398884, 1e-12);
    expect(pairedBlockBootstrapRatio({ errorsA, errorsB, blocks, seed: 1 })).toEqual(r);
  });
  it('the unpaired ratio with a fixed reference has the observed ratio inside its interval', () => {
    const r = blockBootstrapRmseRatio({
      recentErrors: errorsA,
      recentBlocks: blocks,
      referenceErrors: errorsB,
      seed: 3,
    });
    expect(r.referenceResampled).toBe(false);
    close(r.ratio, 0.8433834713936904, 1e-12);
    expect(r.lo).toBeLessThan(r.ratio);
    expect(r.hi).toBeGreaterThan(r.ratio);
  });
  it('block bootstrap of a mean brackets the mean', () => {
    const r = blockBootstrapMean({ values: truth, blocks, seed: 5 });
    expect(r.lo).toBeLessThan(r.estimate);
    expect(r.hi).toBeGreaterThan(r.estimate);
  });
});

describe('Wilcoxon signed-rank', () => {
  // scipy.stats.wilcoxon(x, y, zero_method='wilcox', correction=True, method='approx'): statistic, pvalue, zstatistic
  it('matches scipy (one zero difference dropped)', () => {
    const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3, 0.95, 2.1, 1.1];
    const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29, 0.95, 1.9, 1.3];
    const r = wilcoxonSignedRank(x, y);
    expect(r.statistic).toBe(9);
    expect(r.n).toBe(11);
    close(Math.abs(r.z), 2.089404855029619, 1e-12);
    expect(r.z).toBeGreaterThan(0); // x mostly larger
    close(r.pValue, 0.03667129456483238, 1e-10);
  });
  it('matches scipy with tied ranks', () => {
    const x = [3, 5, 5, 6, 8, 9, 9, 9, 12, 4, 4, 7, 2, 2, 10];
    const y = [1, 5, 4, 4, 9, 6, 7, 7, 8, 4, 2, 6, 3, 1, 6];
    const r = wilcoxonSignedRank(x, y);
    expect(r.statistic).toBe(6);
    close(Math.abs(r.z), 2.7603054471476365, 1e-12);
    close(r.pValue, 0.0057747341813539615, 1e-10);
  });
});

describe('Benjamini–Hochberg', () => {
  it('matches a numpy step-up computation', () => {
    // numpy: sort, m p_(k)/k, running minimum from the top (scipy_reference.py 'bh')
    const { adjusted, rejected } = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5, 0.2], 0.05);
    [0.03, 0.06, 0.06, 0.03, 0.5, 0.24].forEach((p, i) => close(adjusted[i], p, 1e-12));
    expect(rejected).toEqual([true, false, false, true, false, false]);
  });
});

describe('regression metrics', () => {
  it('RMSE and R² by their definitions (numpy: sqrt(mean((p-t)^2)), 1 - SSres/SStot)', () => {
    // numpy: t=[3,-0.5,2,7], p=[2.5,0,2,8] -> rmse 0.6123724356957945, r2 0.9486081370449679 (sklearn r2_score docs example)
    close(rmse([3, -0.5, 2, 7], [2.5, 0, 2, 8]), 0.6123724356957945);
    close(rSquared([3, -0.5, 2, 7], [2.5, 0, 2, 8]), 0.9486081370449679);
  });
});
