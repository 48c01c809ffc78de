import { describe, expect, it } from 'vitest';
import { binMatrix } from '../../../../src/model/engine/binning';
import { growTree, GrowWorkspace } from '../../../../src/model/engine/grow-tree';
import { addTreePredictions } from '../../../../src/model/engine/predict';
import { predictTrees } from '../../../../src/model/engine/predict-parallel';
import { predictPool } from '../../../../src/model/engine/predict-pool';
import type { Tree } from '../../../../src/model/engine/tree';
import { SeededRandom } from '../../../../src/stats/random';
import { integerProblem, leafOf } from './helpers';

describe('prediction', () => {
  const n = 20_000;
  const { X, mapper, packed, stats } = integerProblem(n, 6);
  const grow = {
    nBins: mapper.nBins,
    categorical: mapper.categorical,
    minSamplesLeaf: 1,
    maxDepth: 10,
    maxFeatures: 0.75,
  };
  const ws = new GrowWorkspace(packed, grow);
  const trees: Tree[] = Array.from({ length: 100 }, (_, t) =>
    growTree(ws, { rows: Uint32Array.from({ length: n }, (_, i) => i), stats }, grow, new SeededRandom(t)),
  );
  const cols = binMatrix(X, mapper);

  it('partitions rows down the tree to the same leaves as walking each row', () => {
    const out = new Float64Array(n);
    addTreePredictions(trees[0], cols, out, 1);
    for (let i = 0; i < n; i += 7)
      expect(out[i]).toBe(trees[0].values[leafOf(trees[0], packed.bins, i * packed.stride)]);
  });

  it('gives the same predictions, bit for bit, on 1, 2 or 3 threads', async () => {
    const one = await predictTrees(trees, cols, n, 0.01, 1);
    for (const threads of [2, 3])
      expect(
        Buffer.from((await predictTrees(trees, cols, n, 0.01, threads)).buffer).equals(Buffer.from(one.buffer)),
      ).toBe(true);
  });

  it('keeps its workers between calls, and calls that overlap share them with the same bits', async () => {
    const one = await predictTrees(trees, cols, n, 0.01, 1);
    await predictTrees(trees, cols, n, 0.01, 3); // the pool holds two workers from here on
    const workers = predictPool().threadIds;
    expect(workers).toHaveLength(2);
    const overlapping = await Promise.all([2, 3, 3, 2].map((threads) => predictTrees(trees, cols, n, 0.01, threads)));
    for (const p of overlapping) expect(Buffer.from(p.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    expect(predictPool().threadIds).toEqual(workers);
  });
});
