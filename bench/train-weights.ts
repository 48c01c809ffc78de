// npx tsx bench/train-weights.ts MODEL DATA_DIR — one training run on bench/train.ts's data (run that first),
// timing fit and printing the artifact's hash: MODEL is rf (the fine-tune's 30 trees, depth 16), gbt
// (HistGradientBoosting's defaults, 100 rounds), or rf-w / gbt-w, the same with sample weights (the last
// 5% of rows, the "recent" ones, weighted 5). Prints one JSON line.
import { createHash } from 'node:crypto';
import { createRegressor, type ModelParams } from '../src/model';
import { loadBenchSet, readBenchMeta } from './bench-data';

async function main(): Promise<void> {
  const [model, dir] = process.argv.slice(2);
  const train = loadBenchSet(dir, 'train', readBenchMeta(dir));
  const n = train.y.length;
  const params: ModelParams = model.startsWith('rf')
    ? { modelType: 'rf', nEstimators: 30, maxDepth: 16, minSamplesLeaf: 5, seed: 1 }
    : { modelType: 'gbt', nEstimators: 100, maxDepth: 0, minSamplesLeaf: 20, seed: 1 };
  const sampleWeight = model.endsWith('-w')
    ? Float64Array.from({ length: n }, (_, i) => (i >= n * 0.95 ? 5 : 1))
    : undefined;
  // THREADS=n: that many threads (default: every core).
  if (process.env.THREADS) params.threads = Number(process.env.THREADS);
  const r = createRegressor(params);
  const t0 = performance.now();
  await r.fit(train.X, train.y, sampleWeight ? { sampleWeight } : {});
  const trainS = (performance.now() - t0) / 1000;
  const sha = createHash('sha256').update(r.saveWithMetadata({})).digest('hex').slice(0, 16);
  console.log(JSON.stringify({ model, train_rows: n, train_s: +trainS.toFixed(2), sha256: sha }));
}
void main();
