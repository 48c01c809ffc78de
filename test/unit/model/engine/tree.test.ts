import { describe, expect, it } from 'vitest';
import { CATEGORICAL, LEAF, setWordsFor, TreeBuilder } from '../../../../src/model/engine/tree';
import { leafOf } from './helpers';

const set = (...bins: number[]) => {
  const s = new Uint32Array(8);
  for (const b of bins) s[b >> 5] |= 1 << (b & 31);
  return s;
};

describe('tree layout', () => {
  it('sizes category sets to hold every bin up to the missing one', () => {
    expect(setWordsFor([75, 24], [true, false])).toBe(3);
    expect(setWordsFor([63], [true])).toBe(2);
    expect(setWordsFor([64], [true])).toBe(3); // the missing bin, 64, needs a third word
    expect(setWordsFor([200, 5], [false, false])).toBe(1);
    expect(setWordsFor([255], [true])).toBe(8);
  });

  it('keeps children adjacent, leaves apart, and stores each distinct category set once', () => {
    const b = new TreeBuilder(3);
    const root = b.addLeaf(0);
    const l = b.addLeaf(1);
    b.addLeaf(2);
    b.makeSplit(root, 1, 0, set(2, 70), l);
    const ll = b.addLeaf(3);
    b.addLeaf(4);
    b.makeSplit(l, 1, 0, set(2, 70), ll);
    const rl = b.addLeaf(5);
    b.addLeaf(6);
    b.makeSplit(l + 1, 0, 7, null, rl);
    const t = b.finish();
    expect(t.setWords).toBe(3);
    expect(t.categories.length).toBe(3); // one set, shared by two splits
    expect(t.nodes[0]).toBe(1 | CATEGORICAL | (0 << 8));
    expect(t.nodes[2 * l]).toBe(1 | CATEGORICAL | (0 << 8));
    expect(t.nodes[2 * (l + 1)]).toBe(0 | (7 << 8));
    expect(Array.from(t.values)).toEqual([3, 4, 5, 6]);
    expect(t.nodes[2 * ll] & LEAF).toBe(LEAF);
    // Row bins [feature 0, feature 1]: category 70 goes left twice; category 5 goes right, then bin 9 > 7 right.
    expect(t.values[leafOf(t, [0, 70], 0)]).toBe(3);
    expect(t.values[leafOf(t, [9, 5], 0)]).toBe(6);
    expect(t.values[leafOf(t, [7, 5], 0)]).toBe(5);
  });
});
