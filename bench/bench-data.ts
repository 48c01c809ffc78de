// The benchmark's data files (written by bench/train.ts): row-major float32 features, float64 target,
// and meta.json with the feature names and kinds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureMatrix } from '../src/features/feature-matrix';

export interface BenchMeta {
  names: string[];
  kinds: ('numeric' | 'categorical')[];
}

export function readBenchMeta(dir: string): BenchMeta {
  return JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as BenchMeta;
}

export function loadBenchSet(
  dir: string,
  name: 'train' | 'test',
  meta: BenchMeta,
): { X: FeatureMatrix; y: Float64Array } {
  const raw = readFileSync(join(dir, `${name}-X.f32`));
  const flat = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const yb = readFileSync(join(dir, `${name}-y.f64`));
  const y = new Float64Array(yb.buffer.slice(yb.byteOffset, yb.byteOffset + yb.byteLength));
  const p = meta.names.length;
  const columns = meta.names.map((_, j) => Float32Array.from({ length: y.length }, (_, i) => flat[i * p + j]));
  return { X: { nRows: y.length, names: meta.names, kinds: meta.kinds, columns }, y };
}
