import { describe, expect, it } from 'vitest';
import { countTableFromRows, rowAt, sliceRows, takeRows } from '../../../src/core/counts';

const t = countTableFromRows(
  [0, 1, 2, 3, 4].map((i) => ({
    counterId: `c${i}`,
    counterName: `n${i}`,
    siteId: `s${i}`,
    timestampMs: 1000 * i,
    count: 10 * i,
    lat: 48 + i / 10,
    lon: 2 + i / 10,
  })),
);

describe('row selection', () => {
  it('sliceRows is takeRows of the range', () => {
    const s = sliceRows(t, 1, 4);
    const r = takeRows(t, [1, 2, 3]);
    expect(s.length).toBe(3);
    for (let i = 0; i < 3; i++) expect(rowAt(s, i)).toEqual(rowAt(r, i));
  });

  it('sliceRows of all rows is the table itself; an empty range is an empty table', () => {
    expect(sliceRows(t, 0, t.length)).toBe(t);
    expect(sliceRows(t, 2, 2).length).toBe(0);
  });
});
