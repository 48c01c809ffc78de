import { describe, expect, it } from 'vitest';
import { challengerFitKey } from '../../../src/activities/train-challenger';
import { countTableFromRows } from '../../../src/core/counts';

describe("a challenger's fit key", () => {
  const recent = countTableFromRows([
    { counterId: 'A', counterName: 'A', siteId: 'A', timestampMs: 0, count: 3, lat: 48.8, lon: 2.3 },
    { counterId: 'B', counterName: 'B', siteId: 'B', timestampMs: 0, count: 5, lat: 48.9, lon: 2.4 },
  ]);
  const params = { modelType: 'rf' as const, nEstimators: 30, maxDepth: 16, minSamplesLeaf: 1, seed: 1 };
  const key = challengerFitKey('base', recent, params, undefined);

  it('is the same for the same inputs, and changes with any of them', () => {
    const again = countTableFromRows([
      { counterId: 'A', counterName: 'A', siteId: 'A', timestampMs: 0, count: 3, lat: 48.8, lon: 2.3 },
      { counterId: 'B', counterName: 'B', siteId: 'B', timestampMs: 0, count: 5, lat: 48.9, lon: 2.4 },
    ]);
    expect(challengerFitKey('base', again, params, undefined)).toBe(key);
    const otherRecent = countTableFromRows([
      { counterId: 'A', counterName: 'A', siteId: 'A', timestampMs: 0, count: 4, lat: 48.8, lon: 2.3 },
    ]);
    for (const other of [
      challengerFitKey('other-baseline', recent, params, undefined),
      challengerFitKey('base', otherRecent, params, undefined),
      challengerFitKey('base', recent, { ...params, seed: 2 }, undefined),
      challengerFitKey('base', recent, params, {
        recentShare: 0.3,
        seasonalFeatures: true,
        sampleRows: null,
        levelWindowDays: null,
      }),
    ])
      expect(other).not.toBe(key);
  });
});
