import { weightedQuantile, weightedSample, type WeightedSample } from './weighted-sample';

/**
 * Population stability index Σ (c_i - r_i) ln(c_i / r_i) over bins of the
 * reference's quantiles (deciles by default). Empty bins get a floor share
 * (1e-4) so one empty bin does not make the index infinite. Rule of thumb
 * from credit scoring: < 0.1 stable, 0.1–0.25 moderate, > 0.25 large.
 */
export const PSI_FLOOR_SHARE = 1e-4;

/** PSI from two vectors of bin shares (or counts; each is normalised to sum 1). */
export function psiFromShares(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  floor = PSI_FLOOR_SHARE,
): number {
  if (reference.length !== current.length) throw new RangeError('PSI needs the same bins on both sides');
  const sr = sum(reference);
  const sc = sum(current);
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i] / sr, floor);
    const c = Math.max(current[i] / sc, floor);
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}

/**
 * Upper bin edges from the reference's quantiles; repeated edges (discrete
 * data) collapse, so a column with 3 distinct values gets at most 3 bins.
 */
export function quantileBinEdges(reference: WeightedSample, bins = 10): number[] {
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const q = weightedQuantile(reference, k / bins);
    if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
  }
  // The last bin is open above; drop an edge equal to the maximum so it is not empty by construction.
  const max = reference.values[reference.values.length - 1];
  if (edges.length > 0 && edges[edges.length - 1] >= max) edges.pop();
  return edges;
}

/** Weight of `s` in bins (-inf, e0], (e0, e1], ..., (e_last, inf). */
export function binWeights(s: WeightedSample, edges: readonly number[]): Float64Array {
  const out = new Float64Array(edges.length + 1);
  let b = 0;
  for (let i = 0; i < s.values.length; i++) {
    while (b < edges.length && s.values[i] > edges[b]) b++;
    out[b] += s.weights[i];
  }
  return out;
}

export function psiOf(reference: WeightedSample, current: WeightedSample, bins = 10): number {
  const edges = quantileBinEdges(reference, bins);
  return psiFromShares(binWeights(reference, edges), binWeights(current, edges));
}

export function populationStabilityIndex(reference: ArrayLike<number>, current: ArrayLike<number>, bins = 10): number {
  return psiOf(weightedSample(reference), weightedSample(current), bins);
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}
