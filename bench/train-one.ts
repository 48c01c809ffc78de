// One of our runs for bench/train.ts, in its own process so its peak RSS is its own: trains, predicts,
// prints one JSON line. Usage: tsx bench/train-one.ts gbt:100|gbt-default|rf:50|rf:100|finetune DATA_DIR
import { DEFAULT_RUN_CONFIG, modelParams } from '../src/config/run-config';
import type { FeatureMatrix } from '../src/features/feature-matrix';
import { createRegressor, type ModelParams } from '../src/model';
import { deserializeEnsemble } from '../src/model/engine/artifact';
import { regressionMetrics } from '../src/stats/regression-metrics';
import { loadBenchSet, readBenchMeta } from './bench-data';

/** The weekly fine-tune's training set: the baseline plus 1.6K "recent" rows (copies of the first ones). */
function withRecentRows(X: FeatureMatrix, y: Float64Array, extra: number): { X: FeatureMatrix; y: Float64Array } {
  const grow = <T extends Float32Array | Float64Array>(c: T, out: T): T => {
    out.set(c);
    out.set(c.subarray(0, extra), c.length);
    return out;
  };
  return {
    X: { ...X, nRows: X.nRows + extra, columns: X.columns.map((c) => grow(c, new Float32Array(c.length + extra))) },
    y: grow(y, new Float64Array(y.length + extra)),
  };
}

function paramsFor(model: string): ModelParams {
  if (model.startsWith('rf:'))
    return { modelType: 'rf', nEstimators: Number(model.slice(3)), maxDepth: 20, minSamplesLeaf: 1, seed: 1 };
  // 31-leaf trees, learning rate 0.1 (the engine's defaults), min 20 rows a leaf: HistGradientBoosting's settings.
  // gbt:N runs exactly N rounds (early stopping off, every row trains), the like-for-like speed comparison;
  // gbt-default keeps the engine's early stopping (10 rounds without gain on 10% held out), as HGB's defaults do.
  const gbt: ModelParams = { modelType: 'gbt', nEstimators: 100, maxDepth: 0, minSamplesLeaf: 20, seed: 1 };
  if (model === 'gbt-default') return gbt;
  if (model.startsWith('gbt:')) return { ...gbt, nEstimators: Number(model.slice(4)), earlyStoppingRounds: 0 };
  // The weekly fine-tune: the run config's default model (30 trees, depth 16).
  if (model === 'finetune') return modelParams(DEFAULT_RUN_CONFIG.model);
  throw new Error(`unknown model ${model}: expected gbt:N, gbt-default, rf:N or finetune`);
}

async function main(): Promise<void> {
  const [model, dir] = process.argv.slice(2);
  const params = paramsFor(model);
  const meta = readBenchMeta(dir);
  const test = loadBenchSet(dir, 'test', meta);
  const base = loadBenchSet(dir, 'train', meta);
  const train = model === 'finetune' ? withRecentRows(base.X, base.y, 1600) : base;

  const r = createRegressor(params);
  let roundsRun = 0; // rounds (or trees) actually grown, early-stopped ones included
  let t0 = performance.now();
  await r.fit(train.X, train.y, { onProgress: (p) => (roundsRun = Math.max(roundsRun, p.done)) });
  const trainS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const p = await r.predict(test.X);
  const predictS = (performance.now() - t0) / 1000;
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024); // before the artifact below adds its copies
  const m = regressionMetrics(test.y, p);
  // Trees the model keeps: with early stopping, the best round's (the rounds after it are dropped). Forests keep
  // every tree (and a 100-tree artifact is 346 MB: not worth writing to count them).
  const treesKept =
    params.modelType === 'gbt' ? deserializeEnsemble(r.save()).ensemble.trees.length : params.nEstimators;
  console.log(
    JSON.stringify({
      system: 'bike-retrain',
      model: model === 'finetune' ? 'rf-finetune' : params.modelType,
      trees: treesKept,
      rounds_run: roundsRun,
      max_depth: params.maxDepth,
      train_rows: train.y.length,
      test_rows: test.y.length,
      train_s: +trainS.toFixed(3),
      predict_s: +predictS.toFixed(3),
      rmse: +m.rmse.toFixed(3),
      mae: +m.mae.toFixed(3),
      r2: +m.r2.toFixed(4),
      peak_rss_mb: peakRssMb,
    }),
  );
}
main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
