import type { PackedRows } from './binning';
import * as format from './tree';
import type { Tree } from './tree';

// Module-level copies: under tsx (tests, CLI) an imported binding is a getter call on every use, which
// cost more than the traversal itself in this loop.
const LEAF = format.LEAF;
const CATEGORICAL = format.CATEGORICAL;
const SET_WORDS = format.SET_WORDS;

/**
 * Rows per block: every tree walks one block before the next tree starts, so
 * a tree's top levels stay in cache across the block and the block's bins
 * (row-major, `stride` bytes a row) stay in L1/L2.
 */
const BLOCK = 4096;

/** out[i − start] += scale × Σ trees' leaf values, for rows [start, end) of a row-major binned matrix. */
export function addTreesPredictions(trees: readonly Tree[], packed: PackedRows, out: Float64Array, scale: number, start = 0, end = packed.nRows): void {
  for (let b0 = start; b0 < end; b0 += BLOCK) {
    const b1 = Math.min(end, b0 + BLOCK);
    for (const t of trees) addTreeBlock(t, packed.bins, packed.stride, out, scale, b0, b1, start);
  }
}

export function addTreePredictions(t: Tree, packed: PackedRows, out: Float64Array, scale: number): void {
  addTreeBlock(t, packed.bins, packed.stride, out, scale, 0, packed.nRows, 0);
}

/** The hot loop of prediction: one 8-byte node record per step, children adjacent. */
function addTreeBlock(t: Tree, bins: Uint8Array, stride: number, out: Float64Array, scale: number, start: number, end: number, outOffset: number): void {
  const { nodes, values, categories } = t;
  const root = nodes[0];
  for (let i = start; i < end; i++) {
    const base = i * stride;
    let node = 0;
    let w = root;
    while ((w & LEAF) !== LEAF) {
      const bin = bins[base + (w & LEAF)];
      const p = w >>> 8;
      const goLeft = (w & CATEGORICAL) !== 0 ? (categories[p * SET_WORDS + (bin >> 5)] >>> (bin & 31)) & 1 : bin <= p ? 1 : 0;
      node = nodes[2 * node + 1] + 1 - goLeft;
      w = nodes[2 * node];
    }
    out[i - outOffset] += scale * values[nodes[2 * node + 1]];
  }
}
