import { SeededRandom } from '../../stats/random';
import type { NodeRows } from './partition';

/**
 * A bootstrap sample as integer weights (no duplicated rows): the in-bag
 * rows ascending, each with its draw count and count × y, drawn from tree
 * t's own seed. `counts` is scratch of length n.
 */
export function bootstrapRows(y: Float64Array, rng: SeededRandom, counts: Uint32Array): NodeRows {
  const n = y.length;
  counts.fill(0);
  for (let k = 0; k < n; k++) counts[rng.int(n)]++;
  let inBag = 0;
  for (let i = 0; i < n; i++) if (counts[i] > 0) inBag++;
  const rows = new Uint32Array(inBag);
  const weight = new Float64Array(inBag);
  const wy = new Float64Array(inBag);
  for (let i = 0, k = 0; i < n; i++) {
    const c = counts[i];
    if (c === 0) continue;
    rows[k] = i;
    weight[k] = c;
    wy[k++] = c * y[i];
  }
  return { rows, weight, wy };
}

/** Every row once, weight 1 (boosting). */
export function allRows(y: Float64Array, rows?: Uint32Array): NodeRows {
  const n = y.length;
  return { rows: rows ?? Uint32Array.from({ length: n }, (_, i) => i), weight: new Float64Array(n).fill(1), wy: Float64Array.from(y) };
}
