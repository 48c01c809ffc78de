import { describe, expect, it } from 'vitest';
import { countTableFromRows, type CountRow } from '../../../src/core/counts';
import type { FeatureMatrix } from '../../../src/features/feature-matrix';
import { createRegressor, resolveParams, type ModelParams } from '../../../src/model';
import { predictCounts, trainModel } from '../../../src/model/champion-model';
import { fitEnsemble } from '../../../src/model/engine/ensemble';
import { SeededRandom } from '../../../src/stats/random';

function matrix(cols: number[][], kinds?: ('numeric' | 'categorical')[]): FeatureMatrix {
  return {
    nRows: cols[0].length,
    names: cols.map((_, i) => `f${i}`),
    kinds: kinds ?? cols.map(() => 'numeric'),
    columns: cols.map((c) => Float32Array.from(c)),
  };
}

/** Hour-of-day and a 12-level category, a daily peak and noise. */
function problem(n: number, seed: number): { X: FeatureMatrix; y: Float64Array; a: number[]; b: number[] } {
  const rng = new SeededRandom(seed);
  const a = Array.from({ length: n }, () => rng.int(24));
  const b = Array.from({ length: n }, () => rng.int(12));
  const y = Float64Array.from(a, (v, i) => 40 * Math.exp(-((v - 8) ** 2) / 4) + b[i] * 5 + rng.int(10));
  return { X: matrix([a, b], ['numeric', 'categorical']), y, a, b };
}

async function fitBytes(
  p: ModelParams,
  X: FeatureMatrix,
  y: Float64Array,
  sampleWeight?: Float64Array,
): Promise<{ bytes: Buffer; pred: Float64Array }> {
  const r = createRegressor(p);
  await r.fit(X, y, { sampleWeight });
  return { bytes: Buffer.from(r.saveWithMetadata({})), pred: await r.predict(X) };
}

const rf = (o: Partial<ModelParams> = {}): ModelParams => ({
  modelType: 'rf',
  nEstimators: 8,
  maxDepth: 10,
  minSamplesLeaf: 3,
  seed: 4,
  ...o,
});
const gbt = (o: Partial<ModelParams> = {}): ModelParams => ({
  modelType: 'gbt',
  nEstimators: 20,
  maxDepth: 0,
  minSamplesLeaf: 20,
  seed: 4,
  ...o,
});

describe('sample weights', () => {
  it.each([rf(), gbt()])('refuses invalid weights ($modelType), naming the first bad index', async (p) => {
    const { X, y } = problem(200, 1);
    const fit = (w: Float64Array) => createRegressor(p).fit(X, y, { sampleWeight: w });
    const w = new Float64Array(200).fill(1);
    w[17] = -0.5;
    w[40] = NaN;
    await expect(fit(w)).rejects.toThrow('sampleWeight[17] is -0.5: sample weights must be finite and ≥ 0');
    w[17] = 1;
    await expect(fit(w)).rejects.toThrow(/sampleWeight\[40\] is NaN/);
    await expect(fit(new Float64Array(199).fill(1))).rejects.toThrow('sampleWeight has 199 values for 200 rows');
    await expect(fit(new Float64Array(200))).rejects.toThrow(/zero for every row/);
  });

  it('weighs the caller’s validation rows in the early-stopping loss when given weights, checked the same way', async () => {
    const { X, y } = problem(2000, 9);
    const v = problem(500, 10);
    const bad = new Float64Array(500).fill(1);
    bad[2] = -1;
    const fit = (sampleWeight?: Float64Array) =>
      createRegressor(gbt({ earlyStoppingRounds: 3 })).fit(X, y, { validation: { X: v.X, y: v.y, sampleWeight } });
    await expect(fit(bad)).rejects.toThrow('validation.sampleWeight[2] is -1');
    // Weights all 1 are the unweighted loss; all weight on one validation row is a different stopping rule.
    const rounds = async (sampleWeight?: Float64Array) => {
      const r = createRegressor(gbt({ nEstimators: 200, earlyStoppingRounds: 3 }));
      let done = 0;
      await r.fit(X, y, { validation: { X: v.X, y: v.y, sampleWeight }, onProgress: (p) => (done = p.done) });
      return { done, bytes: Buffer.from(r.saveWithMetadata({})) };
    };
    const plain = await rounds();
    expect((await rounds(new Float64Array(500).fill(1))).bytes.equals(plain.bytes)).toBe(true);
    const one = new Float64Array(500);
    one[0] = 1;
    expect((await rounds(one)).bytes.equals(plain.bytes)).toBe(false);
  });

  it.each([
    ['rf on 2 threads', rf({ threads: 2 })],
    ['gbt', gbt()],
  ])(
    'with weights all 1 trains the unweighted model byte for byte (%s)',
    async (_, p) => {
      const { X, y } = problem(30_000, 2);
      const none = await fitBytes(p, X, y);
      const ones = await fitBytes(p, X, y, new Float64Array(30_000).fill(1));
      expect(ones.bytes.equals(none.bytes)).toBe(true);
    },
    120_000,
  );

  it.each([
    ['rf', rf()],
    ['gbt', gbt()],
  ])('with weights all 2 predicts what weights 1 predict (%s)', async (_, p) => {
    const { X, y } = problem(3000, 3);
    const ones = await fitBytes(p, X, y);
    const twos = await fitBytes(p, X, y, new Float64Array(3000).fill(2));
    expect(Array.from(twos.pred)).toEqual(Array.from(ones.pred));
  });

  it('weighted forests are the same on 1 or 2 threads, weighted boosting with or without its helper', async () => {
    const { X, y } = problem(80_000, 4);
    const rng = new SeededRandom(5);
    const w = Float64Array.from({ length: 80_000 }, () => (rng.next() < 0.1 ? 0 : rng.next() * 5));
    const rf1 = await fitBytes(rf({ threads: 1 }), X, y, w);
    const rf2 = await fitBytes(rf({ threads: 2 }), X, y, w);
    expect(rf1.bytes.equals(rf2.bytes)).toBe(true);
    const g1 = await fitBytes(gbt({ nEstimators: 10, threads: 1 }), X, y, w);
    const g2 = await fitBytes(gbt({ nEstimators: 10, threads: 2 }), X, y, w);
    expect(g1.bytes.equals(g2.bytes)).toBe(true);
    // And they differ from the unweighted models.
    expect(rf1.bytes.equals((await fitBytes(rf({ threads: 1 }), X, y)).bytes)).toBe(false);
  }, 120_000);

  it('boosting with integer weights k has the leaf values of each row repeated k times', async () => {
    // Integer targets, dyadic base (Σw = 64): round 1's residuals and sums are exact either way.
    const rng = new SeededRandom(6);
    const n = 40;
    const a = Array.from({ length: n }, () => rng.int(6));
    const b = Array.from({ length: n }, () => rng.int(4));
    const y = Float64Array.from(a, (v, i) => 10 * (v > 2 ? 1 : 0) + 3 * b[i] + rng.int(4));
    const k = Float64Array.from({ length: n }, (_, i) => (i < 24 ? 2 : 1));
    expect(k.reduce((s, v) => s + v, 0)).toBe(64);
    const order = Array.from(k).flatMap((ki, i) => Array.from({ length: ki }, () => i));
    const p = resolveParams({
      modelType: 'gbt',
      nEstimators: 3,
      maxDepth: 0,
      minSamplesLeaf: 1,
      maxLeafNodes: 6,
      learningRate: 0.5,
    });
    const weighted = await fitEnsemble(matrix([a, b]), y, p, { sampleWeight: k });
    const repeated = await fitEnsemble(
      matrix([order.map((i) => a[i]), order.map((i) => b[i])]),
      Float64Array.from(order, (i) => y[i]),
      p,
    );
    expect(weighted.base).toBe(repeated.base);
    expect(weighted.trees).toHaveLength(3);
    weighted.trees.forEach((t, r) => {
      const u = repeated.trees[r];
      expect(Array.from(t.nodes)).toEqual(Array.from(u.nodes));
      if (r === 0) expect(Array.from(t.values)).toEqual(Array.from(u.values));
      else t.values.forEach((v, j) => expect(v).toBeCloseTo(u.values[j], 9));
    });
  });

  it('rows of weight 0 have no influence', async () => {
    const { a, b, y } = problem(3000, 7);
    // 300 copies of existing rows (so the bins are the same) with absurd targets, weight 0.
    const extra = Array.from({ length: 300 }, (_, i) => i * 7);
    const X2 = matrix([a.concat(extra.map((i) => a[i])), b.concat(extra.map((i) => b[i]))], ['numeric', 'categorical']);
    const y2 = Float64Array.from([...y, ...extra.map(() => 1e6)]);
    const w = Float64Array.from({ length: 3300 }, (_, i) => (i < 3000 ? 1 : 0));
    const X = matrix([a, b], ['numeric', 'categorical']);
    // Boosting: the very model trained without those rows.
    const g = createRegressor(gbt());
    await g.fit(X2, y2, { sampleWeight: w });
    const without = await fitBytes(gbt(), X, y);
    expect(Buffer.from(g.saveWithMetadata({})).equals(without.bytes)).toBe(true);
    // Forest: the bootstrap differs (it draws from 3,300 rows), but no tree sees a 1e6.
    const f = createRegressor(rf({ nEstimators: 20 }));
    await f.fit(X2, y2, { sampleWeight: w });
    const pred = await f.predict(X2);
    expect(Math.max(...pred)).toBeLessThanOrEqual(Math.max(...y));
  });

  it.each([
    ['rf', rf({ nEstimators: 30, minSamplesLeaf: 1 }), 1.5],
    ['gbt', gbt({ nEstimators: 50 }), 0.5],
  ])(
    'recent rows weighted 20 move the model from the old level towards theirs (%s)',
    async (_, p, tol) => {
      // 10,000 old rows at level 100 and 500 new rows at level 20, on the same features (a weekday and a
      // weekend flag: every leaf mixes old and new rows). Many small leaves would each hold a few new rows,
      // and the mean of their ratios is not the ratio of the sums: the forest would land a few points higher.
      const rng = new SeededRandom(8);
      const n = 10_500;
      const day = Array.from({ length: n }, () => rng.int(7));
      const X = matrix([day, day.map((d) => (d >= 5 ? 1 : 0))]);
      const y = Float64Array.from({ length: n }, (_, i) => (i < 10_000 ? 100 : 20));
      const q = matrix([Array.from({ length: 7 }, (_, d) => d), Array.from({ length: 7 }, (_, d) => (d >= 5 ? 1 : 0))]);
      const mean = async (w?: Float64Array) => {
        const r = createRegressor(p);
        await r.fit(X, y, { sampleWeight: w });
        const pred = await r.predict(q);
        return pred.reduce((s, v) => s + v, 0) / pred.length;
      };
      const w = Float64Array.from({ length: n }, (_, i) => (i < 10_000 ? 1 : 20));
      // (10,000 × 100 + 500 × 20) / 10,500 ≈ 96.2; weighted, (10,000 × 100 + 10,000 × 20) / 20,000 = 60.
      expect(Math.abs((await mean()) - 96.19)).toBeLessThan(tol);
      expect(Math.abs((await mean(w)) - 60)).toBeLessThan(tol * 2);
    },
    60_000,
  );

  it('trainModel passes sampleWeight on to fit, one weight a table row', async () => {
    const rows: CountRow[] = Array.from({ length: 48 }, (_, i) => ({
      counterId: `c${i % 2}`,
      counterName: `counter ${i % 2}`,
      siteId: `s${i % 2}`,
      timestampMs: Date.UTC(2025, 5, 2) + i * 3_600_000,
      count: i < 24 ? 10 : 50,
      lat: 48.85,
      lon: 2.35,
    }));
    const table = countTableFromRows(rows);
    // One round whose tree cannot split (minSamplesLeaf 48 of 48 rows): the model is its base, the weighted mean.
    const params: ModelParams = { modelType: 'gbt', nEstimators: 1, maxDepth: 0, minSamplesLeaf: 48 };
    await expect(trainModel(table, params, { sampleWeight: new Float64Array(47).fill(1) })).rejects.toThrow(
      'sampleWeight has 47 values for 48 rows',
    );
    const plain = await trainModel(table, params);
    expect(Array.from((await predictCounts(plain.model, table)).yPred)).toEqual(new Array(48).fill(30));
    // Weight 3 on the 50s: (24 × 10 + 72 × 50) / 96 = 40.
    const w = Float64Array.from({ length: 48 }, (_, i) => (i < 24 ? 1 : 3));
    const weighted = await trainModel(table, params, { sampleWeight: w });
    expect(Array.from((await predictCounts(weighted.model, table)).yPred)).toEqual(new Array(48).fill(40));
  });
});
