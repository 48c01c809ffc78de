import { SeededRandom } from '../../stats/random';

/** Bootstrap as integer weights (no duplicated rows, one pass) and the in-bag row list, from tree t's own seed. */
export function bootstrapRows(n: number, rng: SeededRandom, w: Float64Array): Uint32Array {
  w.fill(0);
  for (let k = 0; k < n; k++) w[rng.int(n)]++;
  let inBag = 0;
  for (let i = 0; i < n; i++) if (w[i] > 0) inBag++;
  const rows = new Uint32Array(inBag);
  for (let i = 0, k = 0; i < n; i++) if (w[i] > 0) rows[k++] = i;
  return rows;
}
