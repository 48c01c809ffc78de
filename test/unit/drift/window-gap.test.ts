import { describe, expect, it } from 'vitest';
import { countTableFromRows, type CountRow } from '../../../src/core/counts';
import { DAY_MS } from '../../../src/core/time';
import { windowGapWarning } from '../../../src/drift';

const at = (ms: number): CountRow => ({
  counterId: 'c',
  counterName: 'c',
  siteId: 's',
  timestampMs: ms,
  count: 1,
  lat: 48.8,
  lon: 2.3,
});
const window = (fromMs: number, days: number) => countTableFromRows([at(fromMs), at(fromMs + days * DAY_MS)]);

describe('windowGapWarning', () => {
  const ref = window(Date.UTC(2025, 0, 1), 365);
  it('is quiet for a current week right after the reference', () => {
    expect(windowGapWarning(ref, window(Date.UTC(2026, 0, 10), 7))).toBeNull();
  });
  it('warns, with both windows and the gap, when the current week is more than 300 days away', () => {
    const w = windowGapWarning(ref, window(Date.UTC(2027, 2, 1), 7));
    expect(w).toMatch(
      /current window \(2027-03-01 to 2027-03-08\) is \d+ days after the reference \(2025-01-01 to 2026-01-01\), more than 300/,
    );
    expect(windowGapWarning(ref, window(Date.UTC(2023, 0, 1), 7))).toMatch(/days before the reference/);
  });
});
