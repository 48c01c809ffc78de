/**
 * Jensen–Shannon distance (the square root of the divergence, base 2, so it
 * lies in [0, 1]) between two discrete distributions given as non-negative
 * weights over the same categories (scipy.spatial.distance.jensenshannon(p, q, base=2)).
 * Weights are normalised; a category absent from one side is fine.
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new RangeError('Jensen–Shannon needs the same categories on both sides');
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] < 0 || q[i] < 0) throw new RangeError('Jensen–Shannon needs non-negative weights');
    sp += p[i];
    sq += q[i];
  }
  if (sp === 0 || sq === 0) throw new RangeError('Jensen–Shannon needs two non-empty distributions');
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp;
    const b = q[i] / sq;
    const m = (a + b) / 2;
    if (a > 0) js += 0.5 * a * Math.log2(a / m);
    if (b > 0) js += 0.5 * b * Math.log2(b / m);
  }
  return Math.sqrt(Math.max(0, js));
}

/** Aligns two keyed weight maps on the union of their keys (sorted) for the distance above. */
export function alignCategories(
  p: ReadonlyMap<string, number>,
  q: ReadonlyMap<string, number>,
): { keys: string[]; p: Float64Array; q: Float64Array } {
  const keys = [...new Set([...p.keys(), ...q.keys()])].sort();
  return { keys, p: Float64Array.from(keys, (k) => p.get(k) ?? 0), q: Float64Array.from(keys, (k) => q.get(k) ?? 0) };
}
