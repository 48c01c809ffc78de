import type { PackedRows } from './binning';
import type { Split } from './split-finding';

/**
 * The rows of a tree being grown and their weights: a node owns a
 * contiguous range of `rows`; splitting it partitions the range in place.
 * Row i's weight and weight × target are `stats[2i]` and `stats[2i + 1]`:
 * indexed by row, not position, so a partition moves 4 bytes a row instead
 * of 20 (the position-aligned version spent a fifth of a forest tree's time
 * partitioning), and interleaved, so a histogram pass reads one cache line.
 * Float32, as HistGradientBoosting's gradients: weights (bootstrap counts)
 * stay exact, w × y rounds at 6e-8 relative (exact for counts below 2^24),
 * and histograms still sum in float64. Half the bytes of float64 made two
 * forest workers 8% faster (40 trees: 6.57 → 6.07 s): they compete for
 * cache with their own copies.
 *
 * With sample weights (SplitContext.weighted) a row has three numbers,
 * `stats[3i]` weight, `stats[3i + 1]` weight × target and `stats[3i + 2]`
 * its count (bootstrap draws, or 1), which minSamplesLeaf bounds. A real
 * weight then rounds to float32 (6e-8 relative, as the gradients already
 * do): the histograms' float64 sums of ~660K such terms keep leaf values
 * and gains to about 1e-7 relative, far below anything a split or a count
 * prediction notices. Rows of weight 0 are left out of `rows`.
 */
export interface NodeRows {
  rows: Uint32Array;
  stats: Float32Array;
}

/** Scratch for `partitionNode`: as many rows as the largest node. */
export function partitionScratch(n: number): Uint32Array {
  return new Uint32Array(n);
}

/**
 * Stable partition of [start, end): left rows first, both sides keeping
 * their order, so rows stay ascending and the next histogram pass reads the
 * matrix forwards. Branch-free (each row is written to both sides, the
 * counters advance by the test), because the test is a coin flip the CPU
 * cannot predict. Returns the first right position.
 */
export function partitionNode(
  rows: Uint32Array,
  scratch: Uint32Array,
  packed: PackedRows,
  split: Split,
  start: number,
  end: number,
  rowMajor: boolean,
): number {
  // Row-major when the rows are in cache anyway (a small node's split search just read them, or a
  // gathered copy); otherwise a large node streams one column.
  const col = rowMajor ? packed.bins : packed.columns[split.feature];
  const stride = rowMajor ? packed.stride : 1;
  const off = rowMajor ? split.feature : 0;
  const set = split.leftCategories;
  let l = start;
  let n = 0;
  if (set) {
    for (let k = start; k < end; k++) {
      const i = rows[k];
      const b = col[i * stride + off];
      const left = (set[b >> 5] >>> (b & 31)) & 1;
      rows[l] = i;
      scratch[n] = i;
      l += left;
      n += 1 - left;
    }
  } else {
    const t = split.threshold;
    for (let k = start; k < end; k++) {
      const i = rows[k];
      const left = col[i * stride + off] <= t ? 1 : 0;
      rows[l] = i;
      scratch[n] = i;
      l += left;
      n += 1 - left;
    }
  }
  // A subarray per call would be an allocation per node: copy small tails by hand.
  if (n > 64) rows.set(scratch.subarray(0, n), l);
  else for (let k = 0; k < n; k++) rows[l + k] = scratch[k];
  return l;
}
