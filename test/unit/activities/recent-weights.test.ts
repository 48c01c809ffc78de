import { describe, expect, it } from 'vitest';
import { recentWeights, sampleRowIndices } from '../../../src/activities/train-challenger';

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

describe('sampleRowIndices', () => {
  it('draws distinct rows, ascending, the same for the same seed', () => {
    const a = sampleRowIndices(10_000, 1000, 42)!;
    expect(a).toHaveLength(1000);
    expect(new Set(a).size).toBe(1000);
    expect([...a].every((v, i) => i === 0 || v > a[i - 1])).toBe(true);
    expect(sampleRowIndices(10_000, 1000, 42)).toEqual(a);
    expect(sampleRowIndices(10_000, 1000, 7)).not.toEqual(a);
    expect(sampleRowIndices(500, 1000, 42)).toBeNull();
    expect(sampleRowIndices(500, null, 42)).toBeNull();
  });
});
