import { describe, expect, it } from 'vitest';
import { recentWeights } from '../../../src/activities/train-challenger';

describe('recentWeights', () => {
  it('gives the recent rows the configured share of the total weight', () => {
    const w = recentWeights(9000, 500, 0.25)!;
    const total = w.sampleWeight.reduce((a, b) => a + b, 0);
    const recent = w.sampleWeight.subarray(9000).reduce((a, b) => a + b, 0);
    expect(recent / total).toBeCloseTo(0.25, 12);
    expect(w.sampleWeight[0]).toBe(1);
    expect(w.recentRowWeight).toBeCloseTo(6, 12);
  });

  it('is off without a share or without recent rows', () => {
    expect(recentWeights(9000, 500, null)).toBeNull();
    expect(recentWeights(9000, 0, 0.3)).toBeNull();
  });
});
