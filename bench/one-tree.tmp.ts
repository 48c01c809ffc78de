import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binMatrix, fitBinMapper, packRows } from '../src/model/engine/binning';
import { growTree, GrowWorkspace } from '../src/model/engine/grow-tree';
import { bootstrapRows } from '../src/model/engine/bootstrap-rows';
import { SeededRandom } from '../src/stats/random';
import { treeSeed } from '../src/model/engine/ensemble';
import { addTreesPredictions } from '../src/model/engine/predict';
const dir = join(__dirname, 'results/data');
const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
function load(name: string) {
const raw = readFileSync(join(dir, name + '-X.f32'));
const flat = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
const yb = readFileSync(join(dir, name + '-y.f64'));
const y = new Float64Array(yb.buffer.slice(yb.byteOffset, yb.byteOffset + yb.byteLength));
const p = meta.names.length;
const columns = meta.names.map((_: string, j: number) => Float32Array.from({ length: y.length }, (_, i) => flat[i * p + j]));
return { X: { nRows: y.length, names: meta.names, kinds: meta.kinds, columns }, y };
}
const { X, y } = load('train');
const te = load('test');
let t0 = performance.now();
const mapper = fitBinMapper(X as never, 255, 1);
const packed = packRows(binMatrix(X as never, mapper), y.length);
console.log('bin', ((performance.now() - t0) / 1000).toFixed(3), mapper.nBins.join(','));
const grow = { nBins: mapper.nBins, categorical: mapper.categorical, minSamplesLeaf: 1, maxDepth: 20, maxFeatures: 1 };
const ws = new GrowWorkspace(packed, grow);
if (process.argv[3]) ws.smallNodeRows = Number(process.argv[3]);
const st = new Float32Array(2 * y.length);
const N = Number(process.argv[2] ?? 3);
const trees = [];
for (let t = 0; t < N; t++) {
  t0 = performance.now();
  const rng = new SeededRandom(treeSeed(1, t));
  const rows = bootstrapRows(y, rng, st);
  const tree = growTree(ws, rows, grow as never, rng);
  trees.push(tree);
  console.log('tree', t, ((performance.now() - t0) / 1000).toFixed(3), 'nodes', tree.nodes.length / 2, 'sets', tree.categories.length / 8);
}
t0 = performance.now();
const tp = binMatrix(te.X as never, mapper);
const out = new Float64Array(te.y.length);
addTreesPredictions(trees, tp, out, 1 / trees.length);
const dt = performance.now() - t0;
let sse = 0, m = 0; for (const v of te.y) m += v / te.y.length; let sst = 0;
for (let i = 0; i < out.length; i++) { sse += (te.y[i] - out[i]) ** 2; sst += (te.y[i] - m) ** 2; }
console.log('predict ms', dt.toFixed(0), 'per tree ms', (dt / N).toFixed(1), 'r2', (1 - sse / sst).toFixed(4));
