import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleKernel } from '../../../../scripts/kernel-assembler';
import { BoostingHelper } from '../../../../src/model/engine/boosting-helper';
import { BoostingKernels, KernelMemory } from '../../../../src/model/engine/boosting-kernels';
import { BoostingWorkspace } from '../../../../src/model/engine/boosting-workspace';
import { GrowWorkspace } from '../../../../src/model/engine/grow-tree';
import { buildHistogram, histogramLayout, newHistogram } from '../../../../src/model/engine/histogram';
import { HISTOGRAM_KERNEL_WASM } from '../../../../src/model/engine/histogram-kernel-wasm';
import { partitionNode, partitionScratch } from '../../../../src/model/engine/partition';
import type { Split } from '../../../../src/model/engine/split-finding';
import { SeededRandom } from '../../../../src/stats/random';
import { integerProblem } from './helpers';

/** Integer stats (see integerProblem): every sum is exact, so the kernels must match to the bit whatever the order. */
function setup(n: number, seed: number) {
  const p = integerProblem(n, seed);
  const layout = histogramLayout(p.mapper.nBins, 2);
  const mem = KernelMemory.create(p.packed, layout);
  mem.stats.set(p.stats);
  const rng = new SeededRandom(seed + 1);
  // A node's rows: an ascending random subset, as after some partitions.
  const subset = Array.from({ length: n }, (_, i) => i).filter(() => rng.next() < 0.6);
  return { ...p, layout, mem, subset };
}

const split = (feature: number, threshold: number, categories: number[] | null): Split => {
  const set = categories ? new Uint32Array(8) : null;
  for (const b of categories ?? []) set![b >> 5] |= 1 << (b & 31);
  return { feature, threshold, leftCategories: set, gain: 1, wl: 0, sl: 0, nl: 0 };
};

describe('boosting kernels', () => {
  const n = 10_001;
  const s = setup(n, 7);
  const kernels = new BoostingKernels(s.mem, 0);

  it('are the assembled histogram-kernel.wat (run `npm run build:kernel` after editing it)', async () => {
    const wat = readFileSync(join(__dirname, '../../../../src/model/engine/histogram-kernel.wat'), 'utf8');
    expect(Buffer.from(await assembleKernel(wat, 'histogram-kernel.wat')).toString('base64')).toBe(
      HISTOGRAM_KERNEL_WASM,
    );
  });

  it('build the histograms buildHistogram builds (empty, one row, odd and even ranges, a subset)', () => {
    const rows = s.mem.rows;
    rows.set(Uint32Array.from({ length: n }, (_, i) => i));
    const ref = newHistogram(s.layout);
    const spare = newHistogram(s.layout);
    for (const [a, b] of [
      [0, n],
      [5, 5],
      [17, 18],
      [100, 4999],
      [1, 8192],
    ]) {
      buildHistogram(ref, s.layout, s.mem.packed, rows, s.mem.stats, a, b, spare);
      expect(Array.from(kernels.histogram(a, b))).toEqual(Array.from(ref));
    }
    rows.set(s.subset);
    buildHistogram(ref, s.layout, s.mem.packed, rows, s.mem.stats, 0, s.subset.length, spare);
    expect(Array.from(kernels.histogram(0, s.subset.length))).toEqual(Array.from(ref));
    // Feature 2 has missing values: its last cell (the missing bin) holds them.
    const missingCell = s.layout.offsets[2] + s.mapper.nBins[2];
    expect(ref[2 * missingCell]).toBeGreaterThan(0);
  });

  it('partition as partitionNode does: thresholds, category sets, the missing bin, empty and one-row ranges', () => {
    const cases: [Split, number, number][] = [
      [split(0, 11, null), 0, n],
      [split(2, s.mapper.nBins[2] - 2, null), 3, n - 3], // every non-missing row left, missing right
      [split(1, 0, [2, 5, 7]), 10, 9000],
      [split(3, 0, null), 40, 40],
      [split(3, 0, null), 40, 41],
    ];
    for (const [sp, a, b] of cases)
      for (const rowMajor of [false, true]) {
        const ref = Uint32Array.from(s.subset);
        const m = ref.length;
        const [start, end] = [Math.min(a, m), Math.min(b, m)];
        const mid = partitionNode(ref, partitionScratch(m), s.packed, sp, start, end, rowMajor);
        const rows = s.mem.rows;
        rows.set(s.subset);
        const left = kernels.partitionApart(sp, start, end, rowMajor);
        rows.set(s.mem.scratch.subarray(start, end - left), start + left);
        expect(start + left).toBe(mid);
        expect(Array.from(rows.subarray(0, m))).toEqual(Array.from(ref));
      }
  });

  it('update predictions and residuals as fitBoosting’s loop does', () => {
    const { mem } = s;
    const rng = new SeededRandom(3);
    const m = s.subset.length;
    mem.rows.set(s.subset);
    for (let i = 0; i < n; i++) {
      mem.y[i] = rng.next() * 100;
      mem.pred[i] = rng.next() * 50;
    }
    const leaves = [
      [0, 10, 0.5],
      [10, 10, 3],
      [10, 4000, -1.25],
      [4000, m, 1e-3],
    ];
    leaves.forEach(([a, b, v], j) => {
      mem.leafRanges[2 * j] = a;
      mem.leafRanges[2 * j + 1] = b;
      mem.leafValues[j] = v;
    });
    const pred = Float64Array.from(mem.pred);
    const stats = Float32Array.from(mem.stats);
    for (const [a, b, v] of leaves)
      for (let k = a; k < b; k++) {
        const i = s.subset[k];
        pred[i] += v;
        stats[2 * i + 1] = mem.y[i] - pred[i];
      }
    // In two halves, as the two threads take them.
    kernels.updatePredictions(leaves.length, 0, 3000);
    kernels.updatePredictions(leaves.length, 3000, m);
    expect(Array.from(mem.pred)).toEqual(Array.from(pred));
    expect(Array.from(mem.stats)).toEqual(Array.from(stats));
  });
});

describe('BoostingWorkspace with its helper thread', () => {
  const n = 80_001;
  const s = setup(n, 11);
  const ctx = { nBins: s.mapper.nBins, categorical: s.mapper.categorical, minSamplesLeaf: 1 };
  const ws = new BoostingWorkspace(s.mem, ctx);
  beforeAll(async () => {
    ws.boostingHelper = await BoostingHelper.start(s.mem.memory);
    ws.boostingHelper.setPlan(s.mem.plan);
  });
  afterAll(async () => {
    await ws.boostingHelper?.close();
  });

  it('builds a large node’s histogram in halves as GrowWorkspace does', () => {
    const ref = new GrowWorkspace(s.packed, ctx);
    const rows = Uint32Array.from(s.subset);
    s.mem.rows.set(rows);
    const h = newHistogram(s.layout);
    const expected = newHistogram(s.layout);
    ws.build(h, { r: { rows: s.mem.rows, stats: s.mem.stats }, packed: ws.packed }, 0, rows.length);
    ref.build(expected, { r: { rows, stats: s.stats }, packed: s.packed }, 0, rows.length);
    expect(Array.from(h)).toEqual(Array.from(expected));
  });

  it('partitions a large node in halves on two threads as partitionNode does', () => {
    for (const sp of [split(0, 11, null), split(1, 0, [0, 3, 8])]) {
      const ref = Uint32Array.from(s.subset);
      const mid = partitionNode(ref, partitionScratch(n), s.packed, sp, 0, ref.length, false);
      s.mem.rows.set(s.subset);
      expect(ws.partition(sp, 0, ref.length)).toBe(mid);
      expect(Array.from(s.mem.rows.subarray(0, ref.length))).toEqual(Array.from(ref));
    }
  });

  it('updates every row’s prediction once, half on each thread', () => {
    const { mem } = s;
    const m = s.subset.length;
    mem.rows.set(s.subset);
    mem.y.fill(10);
    mem.pred.fill(0);
    mem.leafRanges.set([0, 1000, 1000, m]);
    mem.leafValues.set([1, 2]);
    ws.updatePredictions(2, m);
    const got = s.subset.map((i) => [mem.pred[i], mem.stats[2 * i + 1]]);
    expect(got).toEqual(s.subset.map((_, k) => (k < 1000 ? [1, 9] : [2, 8])));
  });
});
