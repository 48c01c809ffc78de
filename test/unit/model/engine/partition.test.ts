import { describe, expect, it } from 'vitest';
import { partitionNode, partitionScratch } from '../../../../src/model/engine/partition';
import { integerProblem } from './helpers';

describe('partition', () => {
  const n = 500;
  const { packed } = integerProblem(n, 4);
  const split = (feature: number, threshold: number, categories: number[] | null) => {
    const set = categories ? new Uint32Array(8) : null;
    for (const b of categories ?? []) set![b >> 5] |= 1 << (b & 31);
    return { feature, threshold, leftCategories: set, gain: 1, wl: 0, sl: 0, nl: 0 };
  };

  it('moves a range’s left rows first, both sides in their original order', () => {
    const rows = Uint32Array.from({ length: n }, (_, i) => i);
    const mid = partitionNode(rows, partitionScratch(n), packed, split(0, 11, null), 100, 400, false);
    const inRange = Array.from({ length: 300 }, (_, k) => k + 100);
    const left = inRange.filter((i) => packed.columns[0][i] <= 11);
    expect(mid).toBe(100 + left.length);
    expect(Array.from(rows.subarray(100, mid))).toEqual(left);
    expect(Array.from(rows.subarray(mid, 400))).toEqual(inRange.filter((i) => packed.columns[0][i] > 11));
    // Outside the range nothing moves.
    expect(Array.from(rows.subarray(0, 100))).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('sends a category set’s bins left', () => {
    const rows = Uint32Array.from({ length: n }, (_, i) => i);
    const mid = partitionNode(rows, partitionScratch(n), packed, split(1, 0, [2, 5, 7]), 0, n, true);
    for (let k = 0; k < n; k++) expect([2, 5, 7].includes(packed.columns[1][rows[k]])).toBe(k < mid);
  });
});
