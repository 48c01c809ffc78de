import { describe, expect, it } from 'vitest';
import type { CountTable } from '../../../src/core/counts';
import { ConfigError } from '../../../src/core/errors';
import { DAY_MS } from '../../../src/core/time';
import { countTableContentHash } from '../../../src/data/baseline';
import { dailyEffects, keyframeValue, localDayNo } from '../../../src/data/effect-schedule';
import { SCENARIOS, simulateCounts } from '../../../src/data/simulator';
import { ParisCalendar } from '../../../src/features/paris-time';

const FROM = Date.parse('2024-03-04T00:00:00Z');
const opts = { fromMs: FROM, toMs: FROM + 28 * DAY_MS, counters: 5, seed: 11 };

function daySums(t: CountTable): Map<number, number> {
  const cal = new ParisCalendar();
  const out = new Map<number, number>();
  for (let i = 0; i < t.length; i++) {
    const d = cal.at(t.timestampMs[i]).day.dayNo;
    out.set(d, (out.get(d) ?? 0) + t.count[i]);
  }
  return out;
}

describe('effect schedule', () => {
  it('interpolates keyframes by day, holds them outside, and steps on consecutive days', () => {
    const kf = [
      ['2024-03-10', 1],
      ['2024-03-11', 0.2],
      ['2024-03-21', 0.7],
    ] as const;
    const d = localDayNo('2024-03-11');
    expect(keyframeValue(kf, d - 30, 1)).toBe(1);
    expect(keyframeValue(kf, d - 1, 1)).toBe(1);
    expect(keyframeValue(kf, d, 1)).toBe(0.2);
    expect(keyframeValue(kf, d + 5, 1)).toBeCloseTo(0.45, 12);
    expect(keyframeValue(kf, d + 100, 1)).toBe(0.7);
    expect(keyframeValue(undefined, d, 1)).toBe(1);
    const e = dailyEffects({ level: kf }, d - 1, d + 1);
    expect([e.level[0], e.level[1]]).toEqual([1, 0.2]);
    expect(e.level[2]).toBeCloseTo(0.25, 12);
    expect(e.mixes).toBe(false);
  });

  it('refuses keyframes out of order, bad dates and mixes above 1', () => {
    expect(() =>
      dailyEffects(
        {
          level: [
            ['2024-03-11', 1],
            ['2024-03-10', 1],
          ],
        },
        0,
        1,
      ),
    ).toThrow(ConfigError);
    expect(() => dailyEffects({ level: [['11/03/2024', 1]] }, 0, 1)).toThrow(ConfigError);
    expect(() => dailyEffects({ shapeMix: [['2024-03-11', 1.5]] }, 0, 1)).toThrow(ConfigError);
  });

  it('leaves every scenario unchanged without a schedule or with an empty one', () => {
    for (const scenario of SCENARIOS) {
      const plain = simulateCounts({ ...opts, scenario });
      const empty = simulateCounts({ ...opts, scenario, effects: {} });
      const flat = simulateCounts({ ...opts, scenario, effects: { level: [['2024-03-01', 1]] } });
      expect(countTableContentHash(empty), scenario).toBe(countTableContentHash(plain));
      expect(countTableContentHash(flat), scenario).toBe(countTableContentHash(plain));
    }
  });

  it('scales each day by its level; a shape mix keeps day totals but flattens the commute peaks', () => {
    const plain = simulateCounts({ ...opts, scenario: 'stable' });
    const halved = simulateCounts({ ...opts, scenario: 'stable', effects: { level: [['2024-03-01', 0.5]] } });
    const a = daySums(plain);
    const b = daySums(halved);
    let sa = 0;
    let sb = 0;
    for (const [d, v] of a) {
      sa += v;
      sb += b.get(d)!;
    }
    expect(sb / sa).toBeGreaterThan(0.47);
    expect(sb / sa).toBeLessThan(0.53);

    const mixed = simulateCounts({ ...opts, scenario: 'stable', effects: { shapeMix: [['2024-03-01', 1]] } });
    const total = (t: CountTable) => t.count.reduce((x, y) => x + y, 0);
    expect(total(mixed) / total(plain)).toBeGreaterThan(0.97);
    expect(total(mixed) / total(plain)).toBeLessThan(1.03);
    const cal = new ParisCalendar();
    const peakOverMidday = (t: CountTable) => {
      let peak = 0;
      let midday = 0;
      for (let i = 0; i < t.length; i++) {
        const { hour, day } = cal.at(t.timestampMs[i]);
        if (day.weekday >= 5 || day.isHoliday) continue;
        if (hour === 8) peak += t.count[i];
        if (hour === 13) midday += t.count[i];
      }
      return peak / midday;
    };
    expect(peakOverMidday(mixed)).toBeLessThan(0.6 * peakOverMidday(plain));
  });
});
