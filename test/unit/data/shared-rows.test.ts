import { describe, expect, it } from 'vitest';
import { countTableFromRows, type CountRow } from '../../../src/core/counts';
import { countSharedRows } from '../../../src/data/shared-rows';

const H = 3_600_000;
const row = (counterId: string, hour: number): CountRow => ({
  counterId,
  counterName: counterId,
  siteId: 's',
  timestampMs: Date.UTC(2026, 0, 1) + hour * H,
  count: 1,
  lat: 48.8,
  lon: 2.3,
});

describe('countSharedRows', () => {
  it('joins on (counter id, timestamp): the same hour of another counter, or another hour, is not shared', () => {
    const test = countTableFromRows([row('a', 0), row('a', 1), row('b', 0)]);
    const training = countTableFromRows([row('a', 1), row('b', 1), row('c', 0), row('a', 1)]);
    expect(countSharedRows(test, training)).toBe(2); // a@1 twice in training: each training row counts
    expect(countSharedRows(test, countTableFromRows([]))).toBe(0);
    expect(countSharedRows(training, test)).toBe(1);
  });

  it("skips probe rows outside the keys' time span and still counts every shared row at its edges", () => {
    const test = countTableFromRows([row('a', 100), row('b', 105), row('a', 110)]);
    const probe = countTableFromRows([
      ...Array.from({ length: 200 }, (_, h) => row('a', h)),
      ...Array.from({ length: 200 }, (_, h) => row('b', h)),
    ]);
    expect(countSharedRows(test, probe)).toBe(3);
    // Minutes are the key: a probe 20 s past the last key's hour is the same row, as before the span check.
    const late = countTableFromRows([{ ...row('a', 110), timestampMs: row('a', 110).timestampMs + 20_000 }]);
    expect(countSharedRows(test, late)).toBe(1);
  });
});
