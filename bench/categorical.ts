// npm run bench:categorical — issue 4's "categorical handling for the counter feature (measure what
// works best)": the same models with the counter as a category (Fisher-ordered category-set splits)
// and as its plain integer code (`code ≤ t` splits), on bench:train's files. One JSON line each.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRegressor, type ModelParams } from '../src/model';
import { regressionMetrics } from '../src/stats/regression-metrics';
import { loadBenchSet, readBenchMeta } from './bench-data';

const dir = join(__dirname, 'results', 'data');

async function main(): Promise<void> {
  if (!existsSync(join(dir, 'meta.json')))
    throw new Error('no benchmark data: run `npm run bench:train` first (it writes bench/results/data)');
  const meta = readBenchMeta(dir);
  const train = loadBenchSet(dir, 'train', meta);
  const test = loadBenchSet(dir, 'test', meta);
  const models: [string, ModelParams][] = [
    ['rf', { modelType: 'rf', nEstimators: 30, maxDepth: 20, minSamplesLeaf: 1, seed: 1 }],
    ['gbt', { modelType: 'gbt', nEstimators: 100, maxDepth: 0, minSamplesLeaf: 20, seed: 1 }],
  ];
  for (const [name, params] of models)
    for (const counter of ['categorical', 'numeric'] as const) {
      const kinds = meta.kinds.map((k, j) => (meta.names[j] === 'counter' ? counter : k));
      const r = createRegressor(params);
      const t0 = performance.now();
      await r.fit({ ...train.X, kinds }, train.y);
      const trainS = (performance.now() - t0) / 1000;
      const m = regressionMetrics(test.y, await r.predict({ ...test.X, kinds }));
      console.log(
        JSON.stringify({
          model: name,
          trees: params.nEstimators,
          counter_as: counter,
          train_s: +trainS.toFixed(2),
          rmse: +m.rmse.toFixed(3),
          r2: +m.r2.toFixed(4),
        }),
      );
    }
}
void main();
