import { ConfigError } from '../core/errors';
import { DAY_MS } from '../core/time';

/**
 * A time-varying effect on the simulated world, by local (Europe/Paris) day:
 * a multiplicative level on every count, and a shape mix that moves each
 * day's rhythm from the counter's normal shape towards its leisure shape
 * (`lockdownShape` in traffic-model.ts: commute peaks halfway to the Sunday
 * hump, each day's total kept). Used by the seasons (seasons.ts) on top of
 * the ordinary world (`stable`).
 */

/** `[local date 'YYYY-MM-DD', value]`: the value on that day. */
export type Keyframe = readonly [date: string, value: number];

export interface EffectSchedule {
  /**
   * Level factor keyframes, in date order: linear between two keyframes
   * (by day), held before the first and after the last. Two keyframes on
   * consecutive days make a step. None: 1 every day.
   */
  level?: readonly Keyframe[];
  /** Share of the leisure shape, 0 (normal rhythm) to 1 (lockdown rhythm); same keyframe rules. None: 0. */
  shapeMix?: readonly Keyframe[];
}

/** Per-day values of a schedule over a range of local day numbers. */
export interface DailyEffects {
  firstDayNo: number;
  level: Float64Array;
  shapeMix: Float64Array;
  /** Whether any day has a shape mix above 0 (the simulator then builds the leisure shapes). */
  mixes: boolean;
}

/** Local day number (days since 1970-01-01) of a 'YYYY-MM-DD' date, as ParisCalendar numbers days. */
export function localDayNo(date: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
  if (!Number.isFinite(ms)) throw new ConfigError(`effect keyframe date must be YYYY-MM-DD, got "${date}"`);
  return ms / DAY_MS;
}

/** The value of keyframes on a local day: linear between keyframes, held outside them. */
export function keyframeValue(keyframes: readonly Keyframe[] | undefined, dayNo: number, none: number): number {
  if (!keyframes || keyframes.length === 0) return none;
  const days = keyframes.map(([d]) => localDayNo(d));
  if (dayNo <= days[0]) return keyframes[0][1];
  for (let i = 1; i < days.length; i++) {
    if (dayNo <= days[i]) {
      // Exact at both keyframes (a held value stays exactly that value).
      const f = (dayNo - days[i - 1]) / (days[i] - days[i - 1]);
      return (1 - f) * keyframes[i - 1][1] + f * keyframes[i][1];
    }
  }
  return keyframes[keyframes.length - 1][1];
}

export function validateSchedule(s: EffectSchedule): void {
  for (const [name, kfs] of [
    ['level', s.level],
    ['shapeMix', s.shapeMix],
  ] as const) {
    if (!kfs) continue;
    let prev = -Infinity;
    for (const [date, value] of kfs) {
      const day = localDayNo(date);
      if (day <= prev) throw new ConfigError(`${name} keyframes must be in strictly increasing date order (${date})`);
      prev = day;
      if (!Number.isFinite(value) || value < 0) throw new ConfigError(`${name} keyframe ${date} must be ≥ 0`);
      if (name === 'shapeMix' && value > 1) throw new ConfigError(`shapeMix keyframe ${date} must be ≤ 1`);
    }
  }
}

/** A schedule's values for local days firstDayNo … lastDayNo (inclusive), looked up per row by the simulator. */
export function dailyEffects(s: EffectSchedule, firstDayNo: number, lastDayNo: number): DailyEffects {
  validateSchedule(s);
  const n = Math.max(0, lastDayNo - firstDayNo + 1);
  const level = new Float64Array(n);
  const shapeMix = new Float64Array(n);
  let mixes = false;
  for (let i = 0; i < n; i++) {
    level[i] = keyframeValue(s.level, firstDayNo + i, 1);
    shapeMix[i] = keyframeValue(s.shapeMix, firstDayNo + i, 0);
    if (shapeMix[i] > 0) mixes = true;
  }
  return { firstDayNo, level, shapeMix, mixes };
}
