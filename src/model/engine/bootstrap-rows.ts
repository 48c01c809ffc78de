import type { SeededRandom } from '../../stats/random';
import type { NodeRows } from './partition';

/**
 * A bootstrap sample as integer weights (no duplicated rows): the in-bag
 * rows ascending, with row i's draws and draws × y in `stats` (see
 * NodeRows), drawn from tree t's own seed. `stats` (length 2n; 3n with
 * weights) is the caller's, reused tree after tree.
 *
 * With sample weights, the draws are the same (uniform, the same stream) and
 * each draw of row i counts `weight[i]`: stats are (draws × weight,
 * draws × weight × y, draws), as scikit-learn's forests multiply the
 * bootstrap counts into the sample weights. A leaf then holds the exact
 * weighted mean of its in-bag rows, minSamplesLeaf still counts draws, and a
 * row of weight 0 leaves the sample (it is not in `rows`). (A bootstrap drawn
 * with probability ∝ weight was the other choice: no extra stats, but leaf
 * values only approximate the weighted means, heavy rows crowd out distinct
 * rows, rows of small weight rarely appear at all, and weights that are all
 * equal would not give the same trees.)
 */
export function bootstrapRows(
  y: Float64Array,
  rng: SeededRandom,
  stats: Float32Array,
  weight: Float64Array | null = null,
  rowsBuffer: Uint32Array | null = null,
  kernel: BootstrapKernel | null = null,
): NodeRows {
  const n = y.length;
  // SeededRandom.nextUint32 (src/stats/random.ts, the one generator), inlined here: 660K method calls were a
  // tenth of a tree. Same stream as a SeededRandom seeded with `state` (test/unit/stats/random.test.ts checks it).
  let state = rng.nextUint32();
  if (kernel && !weight) {
    const rows = kernel.bootstrap(y, state);
    if (rows) return { rows, stats };
  }
  if (weight) {
    // Draws go to the count slot, slot 2 of 3.
    stats.fill(0);
    for (let k = 0; k < n; k++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      stats[3 * Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n) + 2]++;
    }
    return weighInBag(y, stats, weight);
  }
  // Draws are counted in a byte a row (a fifth of the float32 stats' bytes, so the random increments
  // mostly hit cache); the rare row drawn 255 times or more keeps counting in `more`.
  const draws = drawCounts(n);
  draws.fill(0);
  let more: Map<number, number> | null = null;
  for (let k = 0; k < n; k++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const i = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    if (draws[i] < 255) draws[i]++;
    else (more ??= new Map()).set(i, (more.get(i) ?? 0) + 1);
  }
  let inBag = 0;
  for (let i = 0; i < n; i++) if (draws[i] > 0) inBag++;
  // The caller's buffer (a forest kernel's memory, see ForestKernel), or a new array.
  const rows = rowsBuffer && rowsBuffer.length >= inBag ? rowsBuffer.subarray(0, inBag) : new Uint32Array(inBag);
  for (let i = 0, k = 0; i < n; i++) {
    const d = draws[i];
    if (d === 0) {
      stats[2 * i] = 0;
      stats[2 * i + 1] = 0;
      continue;
    }
    const w = d === 255 && more ? 255 + (more.get(i) ?? 0) : d;
    stats[2 * i] = w;
    stats[2 * i + 1] = w * y[i];
    rows[k++] = i;
  }
  return { rows, stats };
}

/**
 * The same unweighted draws in WebAssembly (ForestKernel.bootstrap, forest-split-kernel.wat's bootstrap),
 * writing the caller's `stats`: about three times faster, a tenth of a forest tree in JavaScript. The in-bag
 * rows, or null when this function must draw them (a row drawn 256 times).
 */
export interface BootstrapKernel {
  bootstrap(y: Float64Array, state: number): Uint32Array | null;
}

/** The draw counts' buffer, kept per thread for the largest n seen (one tree after another reuses it). */
let drawBuffer = new Uint8Array(0);
function drawCounts(n: number): Uint8Array {
  if (drawBuffer.length < n) drawBuffer = new Uint8Array(n);
  return drawBuffer.subarray(0, n);
}

/**
 * Stats (draws × weight, draws × weight × y, draws) from the draws in slot 2; rows of weight 0 drop out.
 * Float32 as ever: draws × weight rounds at 6e-8 relative (the sums are float64), and w × y is taken from
 * the stored float32 weight, so a row's stats still divide back to y within rounding.
 */
function weighInBag(y: Float64Array, stats: Float32Array, weight: Float64Array): NodeRows {
  const n = y.length;
  let inBag = 0;
  for (let i = 0; i < n; i++) {
    if (stats[3 * i + 2] > 0 && weight[i] > 0) inBag++;
    else stats[3 * i + 2] = 0;
  }
  if (inBag === 0)
    throw new Error('a bootstrap sample drew no row of positive weight: too few rows have sample weight > 0');
  const rows = new Uint32Array(inBag);
  for (let i = 0, k = 0; i < n; i++) {
    const d = stats[3 * i + 2];
    if (d === 0) continue;
    const w = Math.fround(d * weight[i]);
    stats[3 * i] = w;
    stats[3 * i + 1] = w * y[i];
    rows[k++] = i;
  }
  return { rows, stats };
}
