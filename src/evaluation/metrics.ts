import type { ModelMetrics } from '../audit/audit-row';

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
