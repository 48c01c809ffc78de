import type { SeededRandom } from '../../stats/random';
import type { NodeRows } from './partition';

/**
 * A bootstrap sample as integer weights (no duplicated rows): the in-bag
 * rows ascending, with row i's draws and draws × y in `stats` (see
 * NodeRows), drawn from tree t's own seed. `stats` (length 2n) is the
 * caller's, reused tree after tree.
 */
export function bootstrapRows(y: Float64Array, rng: SeededRandom, stats: Float32Array): NodeRows {
  const n = y.length;
  stats.fill(0);
  // SeededRandom.nextUint32 (src/stats/random.ts, the one generator), inlined here: 660K method calls were a
  // tenth of a tree. Same stream as a SeededRandom seeded with `state` (test/unit/stats/random.test.ts checks it).
  let state = rng.nextUint32();
  for (let k = 0; k < n; k++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    stats[2 * Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)]++;
  }
  let inBag = 0;
  for (let i = 0; i < n; i++) if (stats[2 * i] > 0) inBag++;
  const rows = new Uint32Array(inBag);
  for (let i = 0, k = 0; i < n; i++) {
    const w = stats[2 * i];
    stats[2 * i + 1] = w * y[i];
    if (w > 0) rows[k++] = i;
  }
  return { rows, stats };
}
