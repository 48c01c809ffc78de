import { describe, expect, it } from 'vitest';
import { binMatrix, fitBinMapper, packRows } from '../../../../src/model/engine/binning';
import { growTree, GrowWorkspace, type GrowOptions } from '../../../../src/model/engine/grow-tree';
import type { Tree } from '../../../../src/model/engine/tree';
import { SeededRandom } from '../../../../src/stats/random';
import { matrix, nodeCount } from './helpers';

/**
 * Rows as a forest's bootstrap gives them (counts 1–3 as weights), with real-valued targets (so sums
 * round and a node's S is not its rows' sum to the bit), a categorical feature, missing values and
 * duplicated rows: every rule of the general small-node search is exercised.
 */
function forestProblem(n: number, seed: number) {
  const rng = new SeededRandom(seed);
  const cols = [
    Array.from({ length: n }, () => rng.int(24)),
    Array.from({ length: n }, () => (rng.next() < 0.03 ? NaN : rng.int(40))),
    Array.from({ length: n }, () => (rng.next() < 0.05 ? NaN : rng.int(300))),
    Array.from({ length: n }, () => rng.int(2)),
    Array.from({ length: n }, () => rng.int(3)),
  ];
  const X = matrix(cols, ['numeric', 'categorical', 'numeric', 'numeric', 'numeric']);
  const mapper = fitBinMapper(X, 255, 0);
  const packed = packRows(binMatrix(X, mapper), n);
  const stats = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const y =
      Math.sin(cols[0][i] / 3) * 10 +
      (Number.isNaN(cols[1][i]) ? 2 : cols[1][i] % 7) * 1.3 +
      cols[3][i] * 2.7 +
      rng.next() * 4;
    // A few duplicated targets make pure nodes.
    const yy = rng.next() < 0.2 ? 5 : y;
    const w = 1 + rng.int(3);
    stats[2 * i] = w;
    stats[2 * i + 1] = w * yy;
  }
  return { mapper, packed, stats };
}

function expectSameTree(a: Tree, b: Tree): void {
  expect(Array.from(a.nodes)).toEqual(Array.from(b.nodes));
  expect(Array.from(a.values)).toEqual(Array.from(b.values));
  expect(Array.from(a.categories)).toEqual(Array.from(b.categories));
}

describe('growing small subtrees without histograms', () => {
  const n = 5000;
  const { mapper, packed, stats } = forestProblem(n, 3);
  const grow = (o: Partial<GrowOptions>, histogramFree: boolean): Tree => {
    const options: GrowOptions = {
      nBins: mapper.nBins,
      categorical: mapper.categorical,
      minSamplesLeaf: 1,
      maxDepth: 0,
      maxFeatures: 1,
      ...o,
    };
    const ws = new GrowWorkspace(packed, options);
    ws.smallSubtreeGrower = histogramFree;
    const rows = Uint32Array.from({ length: n }, (_, i) => i);
    return growTree(ws, { rows, stats: stats.slice() }, options, new SeededRandom(7));
  };

  it.each([
    { minSamplesLeaf: 1, maxDepth: 0, maxFeatures: 1 },
    { minSamplesLeaf: 1, maxDepth: 9, maxFeatures: 1 },
    { minSamplesLeaf: 3, maxDepth: 0, maxFeatures: 1 },
    { minSamplesLeaf: 1, maxDepth: 0, maxFeatures: 0.6 },
  ])('grows the tree the general path grows, byte for byte (%o)', (o) => {
    const fast = grow(o, true);
    expect(nodeCount(fast)).toBeGreaterThan(500);
    expectSameTree(fast, grow(o, false));
  });

  it('is taken: a tree reuses its workspace and still matches', () => {
    const options: GrowOptions = {
      nBins: mapper.nBins,
      categorical: mapper.categorical,
      minSamplesLeaf: 1,
      maxDepth: 0,
      maxFeatures: 1,
    };
    const ws = new GrowWorkspace(packed, options);
    expect(ws.smallSubtrees()).not.toBeNull();
    const first = growTree(
      ws,
      { rows: Uint32Array.from({ length: n }, (_, i) => i), stats },
      options,
      new SeededRandom(7),
    );
    const again = growTree(
      ws,
      { rows: Uint32Array.from({ length: n }, (_, i) => i), stats },
      options,
      new SeededRandom(7),
    );
    expectSameTree(first, again);
    expect(new GrowWorkspace(packed, { ...options, weighted: true }).smallSubtrees()).toBeNull();
  });
});
