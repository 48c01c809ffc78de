import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors';
import { readBaselineSet } from '../../../src/data/baseline-store';
import { ensureWorld } from '../../../src/data/demo-world';
import { ensureSeason } from '../../../src/data/season-world';
import { seasonPeriods, weeklyAsOfs } from '../../../src/data/seasons';
import { openArtifactStore, openWarehouse } from '../../../src/storage';
import { makeTmpHome } from '../../support/tmp-home';

const { home, cleanup } = makeTmpHome('bike-retrain-season-');
const deps = {
  warehouse: openWarehouse(home),
  artifacts: openArtifactStore(home),
  clock: () => new Date('2026-01-01T00:00:00Z'),
};
afterAll(async () => {
  await deps.warehouse.close();
  cleanup();
});

describe('ensureSeason', () => {
  it('loads a season into a data folder once: the warehouse, the baseline sets cut at its dates, its weekly runs', async () => {
    const logs: string[] = [];
    const w = await ensureSeason(deps, { season: 'growth', scale: 'tiny' }, (m) => logs.push(m));
    const p = seasonPeriods('growth');
    expect(w).toMatchObject({ season: 'growth', scale: 'tiny', created: true, ...p });
    expect(w.asOfs).toEqual(weeklyAsOfs('growth'));
    const summary = await deps.warehouse.summarizeCounts();
    expect(summary).toMatchObject({ counters: 6, minMs: p.trainFromMs, maxMs: p.endMs - 3_600_000 });
    expect(summary.rows).toBe(((p.endMs - p.trainFromMs) / 3_600_000) * 6);
    expect(w.baseline.train).toMatchObject({ rows: 365 * 24 * 6, fromMs: p.trainFromMs });
    expect(w.baseline.test).toMatchObject({
      rows: 42 * 24 * 6,
      fromMs: p.testFromMs,
      toMs: p.baselineEndMs - 3_600_000,
    });
    const test = await readBaselineSet(deps.artifacts, 'test');
    expect(test.length).toBe(w.baseline.test.rows);
    expect(logs.join('\n')).toMatch(/growth: 78768 rows/);

    const again = await ensureSeason(deps, { season: 'growth', scale: 'tiny' });
    expect(again).toMatchObject({ created: false, baseline: w.baseline, asOfs: w.asOfs });
    expect((await deps.warehouse.summarizeCounts()).rows).toBe(summary.rows);
  });

  it('refuses another season, another scale, or a demo world in the same folder', async () => {
    await expect(ensureSeason(deps, { season: 'stable', scale: 'tiny' })).rejects.toThrow(ConfigError);
    await expect(ensureSeason(deps, { season: 'growth', scale: 'small' })).rejects.toThrow(ConfigError);
    await expect(
      ensureWorld(deps, { scale: 'tiny', endMs: Date.UTC(2026, 0, 4), seed: 1, recentScenario: 'stable' }),
    ).rejects.toThrow(ConfigError);
  });
});
