/**
 * Benjamini–Hochberg: adjusted p-values (scipy.stats.false_discovery_control(p, method='bh'))
 * and which hypotheses are rejected at false discovery rate `q`. With ~6
 * drift signals tested each week, the false discovery rate is what a
 * per-signal 5 % would silently inflate.
 */
export function benjaminiHochberg(pValues: readonly number[], q = 0.05): { adjusted: number[]; rejected: boolean[] } {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const [p, i] = order[r];
    if (Number.isNaN(p)) throw new RangeError(`p-value ${i} is NaN`);
    running = Math.min(running, (p * m) / (r + 1));
    adjusted[i] = running;
  }
  return { adjusted, rejected: adjusted.map((p) => p <= q) };
}
