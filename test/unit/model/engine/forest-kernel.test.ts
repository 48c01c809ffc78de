import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { assembleKernel } from '../../../../scripts/kernel-assembler';
import { FOREST_SPLIT_KERNEL_WASM } from '../../../../src/model/engine/forest-split-kernel-wasm';
import { binMatrix, fitBinMapper, packRows } from '../../../../src/model/engine/binning';
import { bootstrapRows } from '../../../../src/model/engine/bootstrap-rows';
import { forestStats, growForestTree } from '../../../../src/model/engine/ensemble';
import { GrowWorkspace, type GrowOptions } from '../../../../src/model/engine/grow-tree';
import { SeededRandom } from '../../../../src/stats/random';
import { matrix, nodeCount } from './helpers';

/**
 * More rows than a gathered subtree holds (GATHER_ROWS), so the kernel builds histograms on the tree's
 * own rows (in halves), on gathered copies, two-way and one-way; real-valued targets, so the sums
 * round (see y) and a different order of additions would show in the leaves' bits.
 */
function problem(n: number) {
  const rng = new SeededRandom(11);
  const cols = [
    Array.from({ length: n }, () => rng.int(24)),
    Array.from({ length: n }, () => (rng.next() < 0.03 ? NaN : rng.int(40))),
    Array.from({ length: n }, () => (rng.next() < 0.05 ? NaN : rng.next() * 100)),
    Array.from({ length: n }, () => rng.int(7)),
  ];
  const X = matrix(cols, ['numeric', 'categorical', 'numeric', 'numeric']);
  const mapper = fitBinMapper(X, 255, 0);
  const packed = packRows(binMatrix(X, mapper), n);
  // Magnitudes 2^0 to 2^40: float32 stats summed in float64 then round, so the order of additions shows.
  const y = Float64Array.from(
    { length: n },
    (_, i) => (Math.sin(cols[0][i] / 3) * 10 + cols[3][i] * 1.7 + rng.next() * 3) * 2 ** rng.int(41),
  );
  return { mapper, packed, y };
}

describe("forests' WebAssembly histograms", () => {
  const n = 120_000;
  const { mapper, packed, y } = problem(n);

  it.each([
    { maxDepth: 0, minSamplesLeaf: 1 },
    { maxDepth: 16, minSamplesLeaf: 5 },
  ])('grow the JavaScript loops’ trees, bit for bit (%o)', (o) => {
    const grow: GrowOptions = { nBins: mapper.nBins, categorical: mapper.categorical, maxFeatures: 1, ...o };
    const plain = new GrowWorkspace(packed, grow);
    const withKernel = GrowWorkspace.forForest(packed, grow);
    expect(plain.kernel).toBeNull();
    expect(withKernel.kernel).not.toBeNull();
    // The split searches (small nodes' and full histograms'), the gathers and the gathered partitions run in WebAssembly
    // (forest-split-kernel.wat) on the kernel's side only.
    const search = vi.spyOn(withKernel.kernel!.splits, 'search');
    const partition = vi.spyOn(withKernel.kernel!.splits, 'partition');
    const dense = vi.spyOn(withKernel.kernel!.splits, 'searchHistogram');
    const gather = vi.spyOn(withKernel.kernel!.splits, 'gather');
    // The bootstrap, the histograms' differences and sums of halves, and large nodes' partitions
    // (streaming a column) too.
    const bootstrap = vi.spyOn(withKernel.kernel!.splits, 'bootstrap');
    const subtract = vi.spyOn(withKernel.kernel!.splits, 'subtract');
    const addInto = vi.spyOn(withKernel.kernel!.splits, 'addInto');
    const plainStats = forestStats(plain, n);
    const kernelStats = forestStats(withKernel, n);
    for (let t = 0; t < 2; t++) {
      const a = growForestTree(plain, y, null, plainStats, grow, 3, t);
      const b = growForestTree(withKernel, y, null, kernelStats, grow, 3, t);
      expect(nodeCount(b)).toBeGreaterThan(1000);
      expect(Array.from(b.nodes)).toEqual(Array.from(a.nodes));
      expect(Array.from(b.values)).toEqual(Array.from(a.values));
      expect(Array.from(b.categories)).toEqual(Array.from(a.categories));
    }
    expect(search.mock.calls.length).toBeGreaterThan(1000);
    expect(partition.mock.calls.length).toBeGreaterThan(1000);
    expect(dense.mock.calls.length).toBeGreaterThan(100);
    expect(gather.mock.calls.length).toBeGreaterThan(0);
    expect(bootstrap.mock.results.map((r) => r.value)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(subtract.mock.results.filter((r) => r.value === true).length).toBeGreaterThan(10);
    expect(addInto.mock.results.some((r) => r.value === true)).toBe(true);
    expect(partition.mock.calls.some((c) => c[4] === false)).toBe(true);
  });

  /** A forest kernel on the problem's rows (the trees' options do not matter to its bootstrap and arithmetic). */
  const shallowKernel = () => {
    const grow: GrowOptions = {
      nBins: mapper.nBins,
      categorical: mapper.categorical,
      maxFeatures: 1,
      maxDepth: 2,
      minSamplesLeaf: 1,
    };
    return GrowWorkspace.forForest(packed, grow).kernel!;
  };

  it('draw the bootstrap as bootstrapRows does, bit for bit', () => {
    const kernel = shallowKernel();
    for (const seed of [1, 7, 2 ** 31 + 5]) {
      const js = bootstrapRows(y, new SeededRandom(seed), new Float32Array(2 * n));
      const rows = kernel.bootstrap(y, new SeededRandom(seed).nextUint32());
      expect(rows).not.toBeNull();
      expect(Array.from(rows!)).toEqual(Array.from(js.rows));
      expect(
        Buffer.from(kernel.stats.buffer, kernel.stats.byteOffset, 8 * n).equals(Buffer.from(js.stats.buffer)),
      ).toBe(true);
    }
    // Without the kernel's answer (a row drawn 256 times), bootstrapRows draws the same sample itself.
    const fallback = bootstrapRows(y, new SeededRandom(7), new Float32Array(2 * n), null, null, {
      bootstrap: () => null,
    });
    expect(Array.from(fallback.rows)).toEqual(
      Array.from(bootstrapRows(y, new SeededRandom(7), new Float32Array(2 * n)).rows),
    );
  });

  it('subtract and add histograms with the bits of the JavaScript loops', () => {
    const kernel = shallowKernel();
    const [a, b, out] = [kernel.slot(0)!, kernel.slot(1)!, kernel.slot(2)!];
    const rng = new SeededRandom(5);
    for (let c = 0; c < a.length; c++) {
      a[c] = (rng.next() - 0.3) * 2 ** rng.int(60);
      b[c] = (rng.next() - 0.6) * 2 ** rng.int(60);
    }
    expect(kernel.splits.subtract(out, a, b)).toBe(true);
    expect(Array.from(out)).toEqual(Array.from(a, (v, c) => v - b[c]));
    const sum = Array.from(a, (v, c) => v + b[c]);
    expect(kernel.splits.addInto(a, b)).toBe(true);
    expect(Array.from(a)).toEqual(sum);
    // Arrays elsewhere are left to the JavaScript.
    expect(kernel.splits.subtract(new Float64Array(a.length), a, b)).toBe(false);
  });

  it('search small nodes with the assembled forest-split-kernel.wat (run `npm run build:kernel` after editing it)', async () => {
    const wat = readFileSync(join(__dirname, '../../../../src/model/engine/forest-split-kernel.wat'), 'utf8');
    expect(Buffer.from(await assembleKernel(wat, 'forest-split-kernel.wat')).toString('base64')).toBe(
      FOREST_SPLIT_KERNEL_WASM,
    );
  });

  it('is left out with sample weights', () => {
    const grow: GrowOptions = {
      nBins: mapper.nBins,
      categorical: mapper.categorical,
      maxFeatures: 1,
      maxDepth: 4,
      minSamplesLeaf: 1,
      weighted: true,
    };
    expect(GrowWorkspace.forForest(packed, grow).kernel).toBeNull();
  });
});
