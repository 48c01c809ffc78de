import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRegressor } from '../src/model';
const dir = join(__dirname, 'results/data');
const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
const raw = readFileSync(join(dir, 'train-X.f32'));
const flat = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
const yb = readFileSync(join(dir, 'train-y.f64'));
const y = new Float64Array(yb.buffer.slice(yb.byteOffset, yb.byteOffset + yb.byteLength));
const p = meta.names.length;
const columns = meta.names.map((_: string, j: number) => Float32Array.from({ length: y.length }, (_, i) => flat[i * p + j]));
const X = { nRows: y.length, names: meta.names, kinds: meta.kinds, columns };
async function main() {
  for (const threads of (process.argv[2] ?? '1,2').split(',').map(Number)) {
    const r = createRegressor({ modelType: 'rf', nEstimators: Number(process.argv[3] ?? 20), maxDepth: 20, seed: 1, threads });
    const t0 = performance.now();
    await r.fit(X as never, y);
    console.log(`threads ${threads}: ${((performance.now() - t0) / 1000).toFixed(2)} s for ${process.argv[3] ?? 20} trees`);
  }
}
void main();
