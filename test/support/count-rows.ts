import type { CountRow } from '../../src/core/counts';

export const H = 3_600_000;
export const T0 = Date.UTC(2026, 0, 1);

/** `hours` hours of rows for `counters` counters from `start`: deterministic counts and coordinates. */
export function hourlyRows(counters: number, hours: number, start = T0): CountRow[] {
  const out: CountRow[] = [];
  for (let h = 0; h < hours; h++)
    for (let c = 0; c < counters; c++)
      out.push({
        counterId: `c${c}`,
        counterName: `Counter ${c}`,
        siteId: `s${c}`,
        timestampMs: start + h * H,
        count: (h * 7 + c) % 50,
        lat: 48.8 + c / 100,
        lon: 2.3 + c / 100,
      });
  return out;
}
