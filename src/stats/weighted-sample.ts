/**
 * A sample reduced to its distinct values (ascending) with the total weight
 * at each. KS, Wasserstein and PSI only need the empirical CDF, and the data
 * here is mostly small integers (counts, hours, codes), so 660K rows shrink
 * to a few thousand points in O(n) without sorting.
 *
 * Weights let drift compare against a reweighted reference (e.g. the same
 * weekday × hour mix as the current week); unweighted means weight 1 each.
 */
export interface WeightedSample {
  values: Float64Array;
  weights: Float64Array;
  /** Σ weights. */
  total: number;
  /** Kish effective sample size (Σw)² / Σw²: the n that tests use for a weighted sample. */
  effectiveN: number;
}

/** Dense counting is used when all values are integers spanning at most this many slots. */
const MAX_DENSE_SPAN = 1 << 21;

export function weightedSample(values: ArrayLike<number>, weights?: ArrayLike<number>): WeightedSample {
  const n = values.length;
  if (weights && weights.length !== n)
    throw new RangeError(`weights (${weights.length}) and values (${n}) differ in length`);
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isNaN(v)) throw new RangeError(`value ${i} is NaN`);
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && !Number.isInteger(v)) integers = false;
  }
  if (n === 0) return { values: new Float64Array(0), weights: new Float64Array(0), total: 0, effectiveN: 0 };
  return integers && max - min < MAX_DENSE_SPAN
    ? denseCounts(values, weights, min, max)
    : sortedCounts(values, weights);
}

function denseCounts(
  values: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  min: number,
  max: number,
): WeightedSample {
  const acc = new Float64Array(max - min + 1);
  let sumSq = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights ? weights[i] : 1;
    acc[values[i] - min] += w;
    sumSq += w * w;
  }
  let k = 0;
  for (let s = 0; s < acc.length; s++) if (acc[s] > 0) k++;
  const v = new Float64Array(k);
  const w = new Float64Array(k);
  let total = 0;
  k = 0;
  for (let s = 0; s < acc.length; s++) {
    if (acc[s] > 0) {
      v[k] = s + min;
      w[k++] = acc[s];
      total += acc[s];
    }
  }
  return { values: v, weights: w, total, effectiveN: sumSq > 0 ? (total * total) / sumSq : 0 };
}

function sortedCounts(values: ArrayLike<number>, weights: ArrayLike<number> | undefined): WeightedSample {
  const n = values.length;
  let order: ArrayLike<number>;
  let sorted: Float64Array;
  if (weights) {
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    const arr = Array.from(idx).sort((a, b) => values[a] - values[b]);
    order = arr;
    sorted = Float64Array.from(arr, (i) => values[i]);
  } else {
    sorted = Float64Array.from(values).sort();
    order = sorted;
  }
  const v: number[] = [];
  const w: number[] = [];
  let total = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const wi = weights ? weights[(order as number[])[i]] : 1;
    total += wi;
    sumSq += wi * wi;
    if (wi === 0) continue;
    if (v.length > 0 && v[v.length - 1] === sorted[i]) w[w.length - 1] += wi;
    else {
      v.push(sorted[i]);
      w.push(wi);
    }
  }
  return {
    values: Float64Array.from(v),
    weights: Float64Array.from(w),
    total,
    effectiveN: sumSq > 0 ? (total * total) / sumSq : 0,
  };
}

/** Weighted mean and standard deviation (population form, as numpy.std with ddof=0). */
export function weightedMeanSd(s: WeightedSample): { mean: number; sd: number } {
  let m = 0;
  for (let i = 0; i < s.values.length; i++) m += s.values[i] * s.weights[i];
  m /= s.total;
  let v = 0;
  for (let i = 0; i < s.values.length; i++) v += s.weights[i] * (s.values[i] - m) ** 2;
  return { mean: m, sd: Math.sqrt(v / s.total) };
}

/** Weighted quantile by the inverted empirical CDF (the smallest value whose CDF reaches p). */
export function weightedQuantile(s: WeightedSample, p: number): number {
  const target = p * s.total;
  let c = 0;
  for (let i = 0; i < s.values.length; i++) {
    c += s.weights[i];
    if (c >= target - 1e-12 * s.total) return s.values[i];
  }
  return s.values[s.values.length - 1];
}
