import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binMatrix, fitBinMapper, packRows } from '../../src/model/engine/binning';
import { bootstrapRows } from '../../src/model/engine/bootstrap-rows';
import { buildHistogram, histogramLayout, newHistogram } from '../../src/model/engine/histogram';
import { partitionNode } from '../../src/model/engine/partition';
import { SeededRandom } from '../../src/stats/random';
const dir = join(__dirname, '../results/data');
const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
const raw = readFileSync(join(dir, 'train-X.f32'));
const flat = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
const yb = readFileSync(join(dir, 'train-y.f64'));
const y = new Float64Array(yb.buffer.slice(yb.byteOffset, yb.byteOffset + yb.byteLength));
const p = meta.names.length;
const columns = meta.names.map((_: string, j: number) => Float32Array.from({ length: y.length }, (_, i) => flat[i * p + j]));
const X = { nRows: y.length, names: meta.names, kinds: meta.kinds, columns };
const mapper = fitBinMapper(X as never, 255, 1);
const binned = binMatrix(X as never, mapper);
const packed = packRows(binned, y.length);
const st = new Float64Array(2 * y.length);
const r = bootstrapRows(y, new SeededRandom(1), st);
const layout = histogramLayout(mapper.nBins);
const h = newHistogram(layout);
for (let rep = 0; rep < 3; rep++) {
  let t0 = performance.now();
  for (let k = 0; k < 10; k++) buildHistogram(h, layout, packed, r.rows, r.stats, 0, r.rows.length);
  const tb = (performance.now() - t0) / 10;
  // column-major variant
  t0 = performance.now();
  for (let k = 0; k < 10; k++) {
    h.fill(0);
    for (let f = 0; f < binned.length; f++) {
      const col = binned[f]; const off = layout.offsets[f];
      for (let q = 0; q < r.rows.length; q++) { const i = r.rows[q]; const c = (off + col[i]) << 1; h[c] += st[2 * i]; h[c + 1] += st[2 * i + 1]; }
    }
  }
  const tc = (performance.now() - t0) / 10;
  const scratch = new Uint32Array(y.length);
  const rows2 = r.rows.slice();
  t0 = performance.now();
  for (let k = 0; k < 10; k++) { rows2.set(r.rows); partitionNode(rows2, scratch, packed, { feature: 0, threshold: 12, leftCategories: null, gain: 0, wl: 0, sl: 0 }, 0, rows2.length); }
  const tp = (performance.now() - t0) / 10;
  console.log(`rows ${r.rows.length}: hist row-major ${tb.toFixed(1)} ms (${(tb * 1e6 / r.rows.length / 10).toFixed(2)} ns/update), column-major ${tc.toFixed(1)} ms, partition ${tp.toFixed(1)} ms`);
}
