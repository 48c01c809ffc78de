// One model of bench/train.ts, in its own process: trains, predicts, prints one JSON line.
import { DEFAULT_RUN_CONFIG, modelParams } from '../src/config/run-config';
import { createRegressor, type ModelParams } from '../src/model';
import { regressionMetrics } from '../src/stats/regression-metrics';
import { loadBenchSet, readBenchMeta } from './bench-data';

async function main(): Promise<void> {
  const [model, dir] = process.argv.slice(2);
  const meta = readBenchMeta(dir);
  const train = loadBenchSet(dir, 'train', meta);
  const test = loadBenchSet(dir, 'test', meta);
  let params: ModelParams;
  let X = train.X;
  let y = train.y;
  if (model.startsWith('rf:'))
    params = { modelType: 'rf', nEstimators: Number(model.slice(3)), maxDepth: 20, minSamplesLeaf: 1, seed: 1 };
  // HistGradientBoostingRegressor's defaults: 31-leaf trees, learning rate 0.1, min 20 rows a leaf, early stopping on 10% held out.
  else if (model.startsWith('gbt:'))
    params = { modelType: 'gbt', nEstimators: Number(model.slice(4)), maxDepth: 0, minSamplesLeaf: 20, seed: 1 };
  else {
    // The weekly fine-tune: baseline + 1.6K recent rows, with the run config's default model (30 trees, depth 16).
    params = modelParams(DEFAULT_RUN_CONFIG.model);
    const extra = 1600;
    X = {
      ...X,
      nRows: X.nRows + extra,
      columns: X.columns.map((c) => {
        const out = new Float32Array(c.length + extra);
        out.set(c);
        out.set(c.subarray(0, extra), c.length);
        return out;
      }),
    };
    const yy = new Float64Array(y.length + extra);
    yy.set(y);
    yy.set(y.subarray(0, extra), y.length);
    y = yy;
  }
  const r = createRegressor(params);
  let t0 = performance.now();
  await r.fit(X, y);
  const trainS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const p = await r.predict(test.X);
  const predictS = (performance.now() - t0) / 1000;
  const m = regressionMetrics(test.y, p);
  console.log(
    JSON.stringify({
      system: 'bike-retrain',
      model: model === 'finetune' ? 'rf-finetune' : params.modelType,
      trees: params.nEstimators,
      max_depth: params.maxDepth,
      train_rows: y.length,
      test_rows: test.y.length,
      train_s: +trainS.toFixed(2),
      predict_s: +predictS.toFixed(3),
      rmse: +m.rmse.toFixed(3),
      mae: +m.mae.toFixed(3),
      r2: +m.r2.toFixed(4),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}
void main();
