import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembleKernel } from '../../../../scripts/kernel-assembler';
import { binMatrix } from '../../../../src/model/engine/binning';
import { growTree, GrowWorkspace } from '../../../../src/model/engine/grow-tree';
import { addTreesPredictions } from '../../../../src/model/engine/predict';
import { PREDICT_KERNEL_WASM } from '../../../../src/model/engine/predict-kernel-wasm';
import { WasmTreeWalker } from '../../../../src/model/engine/predict-wasm';
import { SeededRandom } from '../../../../src/stats/random';
import { integerProblem } from './helpers';

describe('the WebAssembly prediction kernel', () => {
  it('is the assembled predict-kernel.wat (run `npm run build:kernel` after editing it)', async () => {
    const wat = readFileSync(join(__dirname, '../../../../src/model/engine/predict-kernel.wat'), 'utf8');
    expect(Buffer.from(await assembleKernel(wat)).toString('base64')).toBe(PREDICT_KERNEL_WASM);
  });

  it('sums exactly what the TypeScript walk sums, categorical splits and missing values included', () => {
    const n = 5000;
    const { X, mapper, packed, stats } = integerProblem(n, 8);
    const grow = {
      nBins: mapper.nBins,
      categorical: mapper.categorical,
      minSamplesLeaf: 1,
      maxDepth: 14,
      maxFeatures: 0.75,
    };
    const ws = new GrowWorkspace(packed, grow);
    const trees = Array.from({ length: 6 }, (_, t) =>
      growTree(ws, { rows: Uint32Array.from({ length: n }, (_, i) => i), stats }, grow, new SeededRandom(t)),
    );
    expect(trees.some((t) => t.categories.length > 0)).toBe(true);
    const cols = binMatrix(X, mapper);
    const js = new Float64Array(n);
    addTreesPredictions(trees, cols, js, 0.5);
    const walker = new WasmTreeWalker(cols, n, trees);
    expect(Array.from(walker.sum(trees, 0.5))).toEqual(Array.from(js));
    // The walker is reused group after group: a second sum starts from zero.
    expect(Array.from(walker.sum(trees, 0.5))).toEqual(Array.from(js));
  });
});
