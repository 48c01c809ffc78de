// Quick engine timing at the real scale (issue 4's full benchmark is still to come).
import { buildBaselineSets, simulateBaselineTable } from '../src/data/baseline';
import { regressionMetrics } from '../src/stats/regression-metrics';
import { buildFeatures, fitFeatureSpec } from '../src/features/pipeline';
import { createRegressor, type ModelParams } from '../src/model';

async function main(): Promise<void> {
  const trees = Number(process.argv[2] ?? 4);
  const sim = simulateBaselineTable({ scale: 'full', seed: 1, endMs: Date.UTC(2026, 9, 1) });
  const sets = buildBaselineSets({ table: sim.table, testFromMs: sim.testFromMs });
  const spec = fitFeatureSpec(sets.train);
  const tr = buildFeatures(sets.train, spec);
  const te = buildFeatures(sets.test, spec);
  const params: ModelParams = { modelType: 'rf', nEstimators: trees, maxDepth: 20, seed: 1 };
  const r = createRegressor(params);
  let t0 = performance.now();
  await r.fit(tr.X, tr.y);
  const trainS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const p = await r.predict(te.X);
  const predictS = (performance.now() - t0) / 1000;
  const m = regressionMetrics(te.y, p);
  console.log(JSON.stringify({ system: 'bike-retrain', model: 'rf', trees, max_depth: 20, train_rows: tr.X.nRows, test_rows: te.X.nRows, train_s: +trainS.toFixed(2), per_tree_s: +(trainS / trees).toFixed(3), predict_s: +predictS.toFixed(3), rmse: +m.rmse.toFixed(3), r2: +m.r2.toFixed(4), peak_rss_mb: Math.round(process.memoryUsage().rss / 1e6) }));
}
void main();
