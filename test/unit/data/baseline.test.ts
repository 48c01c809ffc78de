import { describe, expect, it } from 'vitest';
import { countTableFromRows, takeRows } from '../../../src/core/counts';
import { ConfigError } from '../../../src/core/errors';
import { DAY_MS, HOUR_MS } from '../../../src/core/time';
import {
  SIMULATION_SCALES,
  buildBaselineSets,
  countTableContentHash,
  simulateBaselineTable,
} from '../../../src/data/baseline';
import { simulateCounts } from '../../../src/data/simulator';

const FROM = Date.parse('2024-01-01T00:00:00Z');
const table = simulateCounts({ scenario: 'stable', fromMs: FROM, toMs: FROM + 50 * DAY_MS, counters: 4, seed: 3 });

describe('baseline sets', () => {
  it('splits by time on a day boundary: every test row is later than every train row', () => {
    const s = buildBaselineSets({ table, trainFraction: 0.8 });
    expect(s.splitMs).toBe(FROM + 40 * DAY_MS);
    expect(s.train.length).toBe(40 * 24 * 4);
    expect(s.test.length).toBe(10 * 24 * 4);
    expect(Math.max(...s.train.timestampMs)).toBeLessThan(Math.min(...s.test.timestampMs));
    expect(s.manifests.train).toMatchObject({
      name: 'train_baseline',
      rows: 3840,
      fromMs: FROM,
      toMs: FROM + 40 * DAY_MS - HOUR_MS,
    });
    expect(s.manifests.test).toMatchObject({
      name: 'test_baseline',
      rows: 960,
      fromMs: FROM + 40 * DAY_MS,
      toMs: FROM + 50 * DAY_MS - HOUR_MS,
    });
    expect(s.manifests.train.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts an explicit split instant and refuses one that empties a set', () => {
    expect(buildBaselineSets({ table, testFromMs: FROM + 45 * DAY_MS }).test.length).toBe(5 * 24 * 4);
    expect(() => buildBaselineSets({ table, testFromMs: FROM + 60 * DAY_MS })).toThrow(ConfigError);
  });

  it('hashes content stably, whatever the input row order, and changes with one count', () => {
    const a = buildBaselineSets({ table, trainFraction: 0.8 });
    const reversed = takeRows(
      table,
      Array.from({ length: table.length }, (_, i) => table.length - 1 - i),
    );
    const b = buildBaselineSets({ table: reversed, trainFraction: 0.8 });
    expect(b.manifests).toEqual(a.manifests);
    const changed = takeRows(
      table,
      Array.from({ length: table.length }, (_, i) => i),
    );
    changed.count[5] += 1;
    expect(countTableContentHash(changed)).not.toBe(countTableContentHash(table));
    // Pinned: a change of this value means every recorded manifest stops matching its data.
    const tiny = countTableFromRows([
      {
        counterId: '100003096-353242251',
        counterName: '97 avenue Denfert Rochereau SO-NE',
        siteId: '100003096',
        timestampMs: Date.parse('2021-09-01T01:00:00Z'),
        count: 3,
        lat: 48.83504,
        lon: 2.33314,
      },
      {
        counterId: '100003096-353242251',
        counterName: '97 avenue Denfert Rochereau SO-NE',
        siteId: '100003096',
        timestampMs: Date.parse('2021-09-01T02:00:00Z'),
        count: 0,
        lat: 48.83504,
        lon: 2.33314,
      },
    ]);
    expect(countTableContentHash(tiny)).toMatchInlineSnapshot(
      `"eaa5af981546c8897fc202761c2cb433946c79227afe11b0243351ebf8a51a27"`,
    );
  });

  it('sizes the full scale at about 660K / 132K rows', () => {
    const s = SIMULATION_SCALES.full;
    expect(s.counters * s.trainDays * 24).toBe(657_000);
    expect(s.counters * s.testDays * 24).toBe(131_400);
    const small = simulateBaselineTable({ scale: 'small', seed: 1, endMs: FROM + 300 * DAY_MS });
    const sets = buildBaselineSets({ table: small.table, testFromMs: small.testFromMs });
    expect(sets.train.length).toBe(20 * 180 * 24);
    expect(sets.test.length).toBe(20 * 42 * 24);
  });
});
