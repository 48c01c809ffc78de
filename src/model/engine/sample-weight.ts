/**
 * Checks per-row sample weights (FitOptions.sampleWeight): one a row,
 * finite and ≥ 0, not all zero. Returns null when there are none or every
 * weight is 1: training then takes the unweighted path, so such a model is
 * the unweighted one to the last byte (and as fast).
 */
export function checkSampleWeight(
  weight: Float64Array | undefined,
  nRows: number,
  name = 'sampleWeight',
): Float64Array | null {
  if (weight === undefined) return null;
  if (weight.length !== nRows) throw new Error(`${name} has ${weight.length} values for ${nRows} rows`);
  let allOnes = true;
  let total = 0;
  for (let i = 0; i < weight.length; i++) {
    const w = weight[i];
    if (!Number.isFinite(w) || w < 0) throw new Error(`${name}[${i}] is ${w}: sample weights must be finite and ≥ 0`);
    if (w !== 1) allOnes = false;
    total += w;
  }
  if (!(total > 0)) throw new Error(`${name} is zero for every row: at least one row needs a positive weight`);
  return allOnes ? null : weight;
}
