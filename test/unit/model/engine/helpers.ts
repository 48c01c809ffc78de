import type { FeatureMatrix } from '../../../../src/features/feature-matrix';
import {
  binMatrix,
  fitBinMapper,
  packRows,
  type BinMapper,
  type PackedRows,
} from '../../../../src/model/engine/binning';
import { CATEGORICAL, LEAF, type Tree } from '../../../../src/model/engine/tree';
import { SeededRandom } from '../../../../src/stats/random';

export function matrix(cols: number[][], kinds?: ('numeric' | 'categorical')[]): FeatureMatrix {
  return {
    nRows: cols[0].length,
    names: cols.map((_, i) => `f${i}`),
    kinds: kinds ?? cols.map(() => 'numeric'),
    columns: cols.map((c) => Float32Array.from(c)),
  };
}

/** A random binned problem with integer targets and weights, so every floating-point sum is exact. */
export function integerProblem(
  n: number,
  seed: number,
): { X: FeatureMatrix; mapper: BinMapper; packed: PackedRows; y: Float64Array; stats: Float32Array } {
  const rng = new SeededRandom(seed);
  const cols = [
    Array.from({ length: n }, () => rng.int(24)),
    Array.from({ length: n }, () => rng.int(9)),
    Array.from({ length: n }, () => (rng.next() < 0.05 ? NaN : rng.int(300))),
    Array.from({ length: n }, () => rng.int(2)),
  ];
  const X = matrix(cols, ['numeric', 'categorical', 'numeric', 'numeric']);
  const y = Float64Array.from(
    { length: n },
    (_, i) => (cols[0][i] > 12 ? 20 : 0) + [3, 9, 0, 4, 12, 1, 7, 2, 5][cols[1][i]] + (cols[3][i] ? 6 : 0) + rng.int(5),
  );
  const mapper = fitBinMapper(X, 255, 0);
  const packed = packRows(binMatrix(X, mapper), n);
  const stats = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const w = 1 + rng.int(3);
    stats[2 * i] = w;
    stats[2 * i + 1] = w * y[i];
  }
  return { X, mapper, packed, y, stats };
}

export function nodeCount(t: Tree): number {
  return t.nodes.length / 2;
}

/**
 * The leaf a row of bins (`bins[base + f]` is feature f) ends in, as an index in `values`: the plain
 * walk, one row at a time, that the engine's partitioning walks (TypeScript and WebAssembly) must match.
 */
export function leafOf(t: Tree, bins: ArrayLike<number>, base: number): number {
  const { nodes, categories } = t;
  let node = 0;
  let w = nodes[0];
  while ((w & LEAF) !== LEAF) {
    const bin = bins[base + (w & LEAF)];
    const p = w >>> 8;
    const goLeft =
      (w & CATEGORICAL) !== 0 ? (categories[p * t.setWords + (bin >> 5)] >>> (bin & 31)) & 1 : bin <= p ? 1 : 0;
    node = nodes[2 * node + 1] + 1 - goLeft;
    w = nodes[2 * node];
  }
  return nodes[2 * node + 1];
}
