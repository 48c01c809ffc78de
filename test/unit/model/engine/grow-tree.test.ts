import { describe, expect, it } from 'vitest';
import { growTree, GrowWorkspace, type GrowOptions } from '../../../../src/model/engine/grow-tree';
import { growTreeBestFirst } from '../../../../src/model/engine/grow-tree-best-first';
import { LEAF, type Tree } from '../../../../src/model/engine/tree';
import { SeededRandom } from '../../../../src/stats/random';
import { integerProblem, leafOf, nodeCount } from './helpers';

function depthOf(t: Tree): number {
  const walk = (node: number): number =>
    (t.nodes[2 * node] & LEAF) === LEAF
      ? 0
      : 1 + Math.max(walk(t.nodes[2 * node + 1]), walk(t.nodes[2 * node + 1] + 1));
  return walk(0);
}

describe('growing trees', () => {
  const n = 6000;
  const { mapper, packed, stats } = integerProblem(n, 5);
  const options = (o: Partial<GrowOptions> = {}): GrowOptions => ({
    nBins: mapper.nBins,
    categorical: mapper.categorical,
    minSamplesLeaf: 1,
    maxDepth: 12,
    maxFeatures: 1,
    ...o,
  });
  const allRows = () => ({ rows: Uint32Array.from({ length: n }, (_, i) => i), stats });

  it('grows the same tree whether small nodes use sparse or full histograms', () => {
    const grow = (smallNodeRows: number) => {
      const ws = new GrowWorkspace(packed, options());
      ws.smallNodeRows = smallNodeRows;
      return growTree(ws, allRows(), options(), new SeededRandom(1));
    };
    const sparse = grow(64);
    const full = grow(0);
    expect(nodeCount(sparse)).toBeGreaterThan(100);
    expect(Array.from(sparse.nodes)).toEqual(Array.from(full.nodes));
    expect(Array.from(sparse.values)).toEqual(Array.from(full.values));
    expect(Array.from(sparse.categories)).toEqual(Array.from(full.categories));
  });

  it('stops at maxDepth and gives each leaf the weighted mean of its rows', () => {
    const ws = new GrowWorkspace(packed, options({ maxDepth: 3 }));
    const t = growTree(ws, allRows(), options({ maxDepth: 3 }), new SeededRandom(1));
    expect(depthOf(t)).toBe(3);
    const sums = new Map<number, [number, number]>();
    for (let i = 0; i < n; i++) {
      const leaf = leafOf(t, packed.bins, i * packed.stride);
      const s = sums.get(leaf) ?? [0, 0];
      s[0] += stats[2 * i];
      s[1] += stats[2 * i + 1];
      sums.set(leaf, s);
    }
    expect(sums.size).toBe(8);
    for (const [leaf, [w, s]] of sums) expect(t.values[leaf]).toBeCloseTo(s / w, 9);
  });

  it('grows best-first: up to maxLeafNodes leaves, whose row ranges cover every row once', () => {
    const ws = new GrowWorkspace(packed, options());
    const r = allRows();
    const { tree, leaves } = growTreeBestFirst(ws, r, options({ maxLeafNodes: 7, maxDepth: 0 }));
    expect(leaves).toHaveLength(7);
    expect(tree.values).toHaveLength(7);
    const seen = new Uint8Array(n);
    for (const leaf of leaves)
      for (let k = leaf.start; k < leaf.end; k++) {
        seen[r.rows[k]]++;
        // The tree sends the row to the leaf whose range holds it.
        expect(leafOf(tree, packed.bins, r.rows[k] * packed.stride)).toBe(tree.nodes[2 * leaf.node + 1]);
      }
    expect(seen.every((c) => c === 1)).toBe(true);
  });

  it('splits best-first by gain: the first split is the root’s best, the second the best of its children', () => {
    const ws = new GrowWorkspace(packed, options());
    const two = growTreeBestFirst(ws, allRows(), options({ maxLeafNodes: 2, maxDepth: 0 })).tree;
    const three = growTreeBestFirst(ws, allRows(), options({ maxLeafNodes: 3, maxDepth: 0 })).tree;
    // y jumps by 20 at feature 0 > 12: the root splits there.
    expect(two.nodes[0] & 0x7f).toBe(0);
    expect(three.nodes[0]).toBe(two.nodes[0]);
    expect(nodeCount(three)).toBe(5);
  });
});
