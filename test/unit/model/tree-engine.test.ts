import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from '../../../src/features/feature-matrix';
import { createRegressor, loadModel } from '../../../src/model';
import { regressionMetrics } from '../../../src/stats/regression-metrics';
import { SeededRandom } from '../../../src/stats/random';

function matrix(cols: number[][], kinds?: ('numeric' | 'categorical')[]): FeatureMatrix {
  return {
    nRows: cols[0].length,
    names: cols.map((_, i) => `f${i}`),
    kinds: kinds ?? cols.map(() => 'numeric'),
    columns: cols.map((c) => Float32Array.from(c)),
  };
}

describe('histogram tree engine', () => {
  it('finds the hand-checkable split of a step function', async () => {
    // y = 10 when x < 5, else 20: one split at the boundary, two exact leaves.
    const x = Array.from({ length: 10 }, (_, i) => i);
    const y = Float64Array.from(x, (v) => (v < 5 ? 10 : 20));
    const r = createRegressor({ modelType: 'gbt', nEstimators: 1, learningRate: 1, maxDepth: 1, minSamplesLeaf: 1 });
    await r.fit(matrix([x]), y);
    expect(Array.from(await r.predict(matrix([[0, 4, 4.4, 4.6, 5, 9, 100]])))).toEqual([10, 10, 10, 20, 20, 20, 20]);
  });

  it('splits a categorical feature by grouping categories, not by code order', async () => {
    // Codes 0 and 2 are high, 1 and 3 low: no `code ≤ t` split separates them; a category set does.
    const codes = Array.from({ length: 40 }, (_, i) => i % 4);
    const y = Float64Array.from(codes, (c) => (c % 2 === 0 ? 100 : 0));
    const r = createRegressor({ modelType: 'gbt', nEstimators: 1, learningRate: 1, maxDepth: 1, minSamplesLeaf: 1 });
    await r.fit(matrix([codes], ['categorical']), y);
    expect(Array.from(await r.predict(matrix([[0, 1, 2, 3]], ['categorical'])))).toEqual([100, 0, 100, 0]);
  });

  it('is deterministic for a seed and round-trips through its artifact', async () => {
    const rng = new SeededRandom(3);
    const n = 2000;
    const a = Array.from({ length: n }, () => rng.next() * 10);
    const b = Array.from({ length: n }, () => rng.int(5));
    const y = Float64Array.from(a, (v, i) => Math.sin(v) * 10 + b[i] * 3 + rng.next());
    const X = matrix([a, b], ['numeric', 'categorical']);
    const train = async () => {
      const r = createRegressor({ modelType: 'rf', nEstimators: 8, maxDepth: 10, minSamplesLeaf: 1, seed: 11 });
      await r.fit(X, y);
      return r;
    };
    const [r1, r2] = [await train(), await train()];
    const bytes = r1.saveWithMetadata({ featurePipelineVersion: 'test', note: 'hello' });
    expect(
      Buffer.from(bytes).equals(Buffer.from(r2.saveWithMetadata({ featurePipelineVersion: 'test', note: 'hello' }))),
    ).toBe(true);
    const loaded = loadModel(bytes);
    expect(loaded.metadata).toEqual({ featurePipelineVersion: 'test', note: 'hello' });
    expect(loaded.params).toMatchObject({ modelType: 'rf', nEstimators: 8, maxDepth: 10, seed: 11 });
    expect(Array.from(await loaded.regressor.predict(X))).toEqual(Array.from(await r1.predict(X)));
  });

  it('refuses corrupt, truncated and foreign artifacts with a clear message', async () => {
    const r = createRegressor({ modelType: 'rf', nEstimators: 2, maxDepth: 3, minSamplesLeaf: 1 });
    await r.fit(matrix([[1, 2, 3, 4]]), Float64Array.from([1, 2, 3, 4]));
    const bytes = r.saveWithMetadata({});
    const flipped = bytes.slice();
    flipped[40] ^= 0xff;
    expect(() => loadModel(flipped)).toThrow(/checksum/);
    expect(() => loadModel(bytes.slice(0, bytes.length - 10))).toThrow(/checksum|corrupt/);
    expect(() =>
      loadModel(new TextEncoder().encode('PK\u0003\u0004 a zip file, not a model at all....................')),
    ).toThrow(/bad magic/);
  });

  it('fits as well as ml-random-forest on small data (R² ≥ its R² − 0.01)', async () => {
    const { RandomForestRegression } = (await import('ml-random-forest')) as unknown as {
      RandomForestRegression: new (o: object) => {
        train(X: number[][], y: number[]): void;
        predict(X: number[][]): number[];
      };
    };
    const rng = new SeededRandom(5);
    const make = (n: number) => {
      const rows = Array.from({ length: n }, () => [rng.next() * 24, rng.int(7), rng.next()]);
      const y = rows.map(
        ([h, d, u]) =>
          50 +
          40 * Math.exp(-((h - 8) ** 2) / 4) +
          30 * Math.exp(-((h - 18) ** 2) / 4) -
          (d >= 5 ? 25 : 0) +
          10 * u +
          (rng.next() - 0.5) * 8,
      );
      return { rows, y };
    };
    const train = make(1500);
    const test = make(500);
    const ours = createRegressor({ modelType: 'rf', nEstimators: 30, maxDepth: 12, minSamplesLeaf: 1, seed: 1 });
    const cols = (rows: number[][]) => matrix([0, 1, 2].map((j) => rows.map((r) => r[j])));
    await ours.fit(cols(train.rows), Float64Array.from(train.y));
    const oursR2 = regressionMetrics(test.y, await ours.predict(cols(test.rows))).r2;
    const ref = new RandomForestRegression({
      nEstimators: 30,
      maxFeatures: 1.0,
      replacement: true,
      seed: 1,
      useSampleBagging: true,
      noOOB: true,
      treeOptions: { maxDepth: 12 },
    });
    ref.train(train.rows, train.y);
    const refR2 = regressionMetrics(test.y, ref.predict(test.rows)).r2;
    expect(oursR2).toBeGreaterThanOrEqual(refR2 - 0.01);
  }, 120_000);

  it('trains the same model, byte for byte, on 1 or 2 worker threads', async () => {
    const rng = new SeededRandom(9);
    const n = 30_000;
    const a = Array.from({ length: n }, () => rng.next() * 24);
    const b = Array.from({ length: n }, () => rng.int(12));
    const y = Float64Array.from(a, (v, i) => 40 * Math.exp(-((v - 8) ** 2) / 4) + b[i] * 5 + rng.next() * 10);
    const X = matrix([a, b], ['numeric', 'categorical']);
    const bytes = async (threads: number) => {
      const r = createRegressor({ modelType: 'rf', nEstimators: 8, maxDepth: 12, minSamplesLeaf: 1, seed: 4, threads });
      const progress: number[] = [];
      await r.fit(X, y, { onProgress: (p) => progress.push(p.done) });
      expect(progress.at(-1)).toBe(8);
      return Buffer.from(r.saveWithMetadata({ m: 1 }));
    };
    const [one, two] = [await bytes(1), await bytes(2)];
    expect(one.equals(two)).toBe(true);
  }, 120_000);

  it('boosts the same model, byte for byte, with or without its histogram helper thread', async () => {
    // Above 2 × 32,768 rows the second half of large histograms goes to a helper thread when there are 2 threads.
    const rng = new SeededRandom(10);
    const n = 80_000;
    const a = Array.from({ length: n }, () => rng.next() * 24);
    const b = Array.from({ length: n }, () => rng.int(12));
    const y = Float64Array.from(a, (v, i) => 40 * Math.exp(-((v - 8) ** 2) / 4) + b[i] * 5 + rng.next() * 10);
    const X = matrix([a, b], ['numeric', 'categorical']);
    const bytes = async (threads: number) => {
      const r = createRegressor({
        modelType: 'gbt',
        nEstimators: 15,
        maxDepth: 0,
        minSamplesLeaf: 20,
        seed: 4,
        threads,
      });
      await r.fit(X, y);
      return { model: Buffer.from(r.saveWithMetadata({})), predictions: Buffer.from((await r.predict(X)).buffer) };
    };
    const [one, two] = [await bytes(1), await bytes(2)];
    expect(one.model.equals(two.model)).toBe(true);
    expect(one.predictions.equals(two.predictions)).toBe(true);
  }, 120_000);
});
