// npm run bench:categorical — issue 4's "categorical handling for the counter feature (measure what
// works best)": the same models with the counter as a category (Fisher-ordered category-set splits)
// and as its plain integer code (`code ≤ t` splits), on bench:train's files. One JSON line each.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureMatrix } from '../src/features/feature-matrix';
import { createRegressor, type ModelParams } from '../src/model';
import { regressionMetrics } from '../src/stats/regression-metrics';

const dir = join(__dirname, 'results', 'data');

function load(name: string, meta: { names: string[]; kinds: ('numeric' | 'categorical')[] }): { X: FeatureMatrix; y: Float64Array } {
  const raw = readFileSync(join(dir, `${name}-X.f32`));
  const flat = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const yb = readFileSync(join(dir, `${name}-y.f64`));
  const y = new Float64Array(yb.buffer.slice(yb.byteOffset, yb.byteOffset + yb.byteLength));
  const p = meta.names.length;
  const columns = meta.names.map((_, j) => Float32Array.from({ length: y.length }, (_, i) => flat[i * p + j]));
  return { X: { nRows: y.length, names: meta.names, kinds: meta.kinds, columns }, y };
}

async function main(): Promise<void> {
  if (!existsSync(join(dir, 'meta.json'))) throw new Error('no benchmark data: run `npm run bench:train` first (it writes bench/results/data)');
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { names: string[]; kinds: ('numeric' | 'categorical')[] };
  const train = load('train', meta);
  const test = load('test', meta);
  const models: [string, ModelParams][] = [
    ['rf', { modelType: 'rf', nEstimators: 30, maxDepth: 20, seed: 1 }],
    ['gbt', { modelType: 'gbt', nEstimators: 100, seed: 1 }],
  ];
  for (const [name, params] of models)
    for (const counter of ['categorical', 'numeric'] as const) {
      const kinds = meta.kinds.map((k, j) => (meta.names[j] === 'counter' ? counter : k));
      const r = createRegressor(params);
      const t0 = performance.now();
      await r.fit({ ...train.X, kinds }, train.y);
      const trainS = (performance.now() - t0) / 1000;
      const m = regressionMetrics(test.y, await r.predict({ ...test.X, kinds }));
      console.log(JSON.stringify({ model: name, trees: params.nEstimators, counter_as: counter, train_s: +trainS.toFixed(2), rmse: +m.rmse.toFixed(3), r2: +m.r2.toFixed(4) }));
    }
}
void main();
