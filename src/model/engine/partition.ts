import type { PackedRows } from './binning';
import type { Split } from './split-finding';

/**
 * The rows of a node and their per-row weight and weighted target, kept
 * aligned: position k of `weight` and `wy` belongs to row `rows[k]`. A node
 * owns a contiguous range; splitting it partitions the range in place.
 */
export interface NodeRows {
  rows: Uint32Array;
  weight: Float64Array;
  wy: Float64Array;
}

/** Scratch for `partitionNode`, as long as the rows. */
export function partitionScratch(n: number): NodeRows {
  return { rows: new Uint32Array(n), weight: new Float64Array(n), wy: new Float64Array(n) };
}

/**
 * Stable partition of [start, end): left rows first, both sides keeping
 * their order, so rows stay ascending and the next histogram pass reads the
 * matrix forwards (the in-place swap partition it replaces scrambled them).
 * Returns the first right position.
 */
export function partitionNode(r: NodeRows, scratch: NodeRows, packed: PackedRows, split: Split, start: number, end: number): number {
  const { rows, weight, wy } = r;
  const { bins, stride } = packed;
  const f = split.feature;
  const set = split.leftCategories;
  let l = start;
  let n = 0;
  if (set) {
    for (let k = start; k < end; k++) {
      const i = rows[k];
      if (set[bins[i * stride + f]] === 1) {
        rows[l] = i;
        weight[l] = weight[k];
        wy[l++] = wy[k];
      } else {
        scratch.rows[n] = i;
        scratch.weight[n] = weight[k];
        scratch.wy[n++] = wy[k];
      }
    }
  } else {
    const t = split.threshold;
    for (let k = start; k < end; k++) {
      const i = rows[k];
      if (bins[i * stride + f] <= t) {
        rows[l] = i;
        weight[l] = weight[k];
        wy[l++] = wy[k];
      } else {
        scratch.rows[n] = i;
        scratch.weight[n] = weight[k];
        scratch.wy[n++] = wy[k];
      }
    }
  }
  rows.set(scratch.rows.subarray(0, n), l);
  weight.set(scratch.weight.subarray(0, n), l);
  wy.set(scratch.wy.subarray(0, n), l);
  return l;
}
