import type { ModelMetrics } from '../core/domain';

/** Root mean squared error of predictions against truth. */
export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yPred[i] - yTrue[i]) ** 2;
  return Math.sqrt(s / yTrue.length);
}

/** Coefficient of determination 1 - SS_res / SS_tot (sklearn.metrics.r2_score); NaN when the truth is constant. */
export function rSquared(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred);
  let mean = 0;
  for (let i = 0; i < yTrue.length; i++) mean += yTrue[i];
  mean /= yTrue.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    res += (yTrue[i] - yPred[i]) ** 2;
    tot += (yTrue[i] - mean) ** 2;
  }
  return tot > 0 ? 1 - res / tot : NaN;
}

/** Residuals prediction - truth. */
export function residuals(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Float64Array {
  checkPair(yTrue, yPred);
  return Float64Array.from({ length: yTrue.length }, (_, i) => yPred[i] - yTrue[i]);
}

function checkPair(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new RangeError(`truth (${a.length}) and predictions (${b.length}) differ in length`);
  if (a.length === 0) throw new RangeError('no rows to score');
}

/** RMSE, MAE and R² in one pass over the rows (660K rows: a few ms). */
export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): ModelMetrics {
  const n = yTrue.length;
  if (n !== yPred.length) throw new Error(`metrics: ${n} labels but ${yPred.length} predictions`);
  if (n === 0) return { rmse: Number.NaN, mae: Number.NaN, r2: Number.NaN, rows: 0 };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n;
  let sse = 0;
  let sae = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    const e = yTrue[i] - yPred[i];
    sse += e * e;
    sae += Math.abs(e);
    const d = yTrue[i] - mean;
    sst += d * d;
  }
  return { rmse: Math.sqrt(sse / n), mae: sae / n, r2: sst === 0 ? Number.NaN : 1 - sse / sst, rows: n };
}
