import { describe, expect, it } from 'vitest';
import { countTableFromRows, type CountRow } from '../../../src/core/counts';
import { ModelArtifactError } from '../../../src/core/errors';
import { DAY_MS, HOUR_MS } from '../../../src/core/time';
import { buildFeatures, SEASONAL_FEATURES } from '../../../src/features/pipeline';
import { loadTrainedModel, predictCounts, trainModel } from '../../../src/model/champion-model';
import {
  applyLevelAdjustment,
  estimateLevelAdjustment,
  levelAdjustmentOf,
  summarizeLevelAdjustment,
} from '../../../src/model/level-adjustment';

const T0 = Date.UTC(2024, 0, 1);

/** Hourly rows of two counters over `days` days; counter A runs at `lastWeekLevel` in the last 7 days. */
function world(days: number, lastWeekLevel: number): CountRow[] {
  const rows: CountRow[] = [];
  for (let h = 0; h < days * 24; h++) {
    const ts = T0 + h * HOUR_MS;
    const hour = h % 24;
    const base = 20 + 80 * Math.exp(-((hour - 8) ** 2) / 3) + 60 * Math.exp(-((hour - 18) ** 2) / 3);
    for (const [id, scale] of [
      ['A', 1],
      ['B', 0.5],
    ] as const) {
      const level = id === 'A' && h >= (days - 7) * 24 ? lastWeekLevel : 1;
      rows.push({
        counterId: id,
        counterName: id,
        siteId: id,
        timestampMs: ts,
        count: Math.round(base * scale * level),
        lat: 48.85,
        lon: id === 'A' ? 2.35 : 2.3,
      });
    }
  }
  return rows;
}

describe('level adjustment', () => {
  it('measures actual ÷ predicted per counter inside the window only, and needs a day of rows', () => {
    const t = countTableFromRows([
      ...Array.from({ length: 30 }, (_, i) => ({
        counterId: 'A',
        counterName: 'A',
        siteId: 'A',
        timestampMs: T0 + i * HOUR_MS,
        count: 10,
        lat: 0,
        lon: 0,
      })),
      ...Array.from({ length: 10 }, (_, i) => ({
        counterId: 'B',
        counterName: 'B',
        siteId: 'B',
        timestampMs: T0 + i * HOUR_MS,
        count: 10,
        lat: 0,
        lon: 0,
      })),
    ]);
    const pred = new Float64Array(t.length).fill(20);
    // Rows of hour 0–1 are outside the window: their actual/pred do not count.
    pred[0] = 1000;
    const adj = estimateLevelAdjustment(t, t.count, pred, { fromMs: T0 + HOUR_MS, toMs: T0 + 30 * HOUR_MS });
    expect(adj.factors).toEqual({ A: 0.5 }); // B has 9 rows in the window: too few, it keeps 1
    expect(summarizeLevelAdjustment(adj)).toMatchObject({ counters: 1, min: 0.5, median: 0.5, max: 0.5 });

    const before = new Float64Array(t.length).fill(20);
    applyLevelAdjustment(adj, t, before);
    expect(before[0]).toBe(20); // before the window: the trees alone
    expect(before[5]).toBe(10);
    expect(before[35]).toBe(20); // B: no factor
  });

  it('a fine-tuned model predicts a counter at its level of the last days, and keeps the past as the trees say', async () => {
    const table = countTableFromRows(world(56, 0.2));
    const params = { modelType: 'rf' as const, nEstimators: 10, maxDepth: 12, minSamplesLeaf: 5, seed: 1 };
    const windowFrom = T0 + 49 * DAY_MS;
    // Without the calendar position, as in a year of baseline where last year's same days sit beside the
    // recent ones: the trees cannot single out the last week, they average it with the others.
    const { model, bytes } = await trainModel(table, params, {
      omitFeatures: SEASONAL_FEATURES,
      levelWindow: { fromMs: windowFrom, toMs: T0 + 56 * DAY_MS },
    });
    const f = model.level!.factors;
    // The trees predict A at about 0.89 of normal in its low week (1 week in 8 at 0.2): its factor is about 0.23.
    expect(f.A).toBeGreaterThan(0.2);
    expect(f.A).toBeLessThan(0.3);
    expect(f.B).toBeGreaterThan(0.9);
    expect(f.B).toBeLessThan(1.1);

    // The artifact carries the factors: the loaded model predicts the same.
    const loaded = loadTrainedModel(bytes, 'test');
    const a = await predictCounts(model, table);
    const b = await predictCounts(loaded, table);
    expect(Array.from(b.yPred)).toEqual(Array.from(a.yPred));

    // Inside the window, A's predictions are close to the low week; before it, untouched by the factor.
    const trees = await model.regressor.predict(buildFeatures(table, model.spec).X);
    let errLow = 0;
    let n = 0;
    for (let i = 0; i < table.length; i++) {
      if (table.timestampMs[i] < windowFrom) expect(a.yPred[i]).toBe(trees[i]);
      else if (table.counterId[i] === 'A') {
        errLow += Math.abs(a.yPred[i] - table.count[i]);
        n++;
      }
    }
    expect(errLow / n).toBeLessThan(5);
  });

  it('a model without a window has no level; a malformed one is a damaged artifact', async () => {
    const table = countTableFromRows(world(14, 1));
    const { model } = await trainModel(table, { modelType: 'rf', nEstimators: 3, maxDepth: 6, minSamplesLeaf: 5 });
    expect(model.level).toBeNull();
    expect(levelAdjustmentOf({}, 'x')).toBeNull();
    expect(() => levelAdjustmentOf({ levelAdjustment: { fromMs: 0, toMs: 1, factors: { A: -1 } } }, 'm.bin')).toThrow(
      ModelArtifactError,
    );
  });
});
