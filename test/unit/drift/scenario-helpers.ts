import { takeRows, type CountTable } from '../../../src/core/counts';
import { DAY_MS } from '../../../src/core/time';
import { simulateCounts } from '../../../src/data/simulator';
import { counterDayBlocks, seasonalNaivePredictions } from '../../../src/drift/seasonal-naive';
import type { PerformanceInput } from '../../../src/drift';

/**
 * One simulated world split in two: a year of reference, then the first
 * week of the scenario's change (the scenario starts exactly at the split).
 */
export function simulatedWeek(
  scenario: string,
  seed: number,
  counters = 12,
): { reference: CountTable; current: CountTable } {
  const refFrom = Date.UTC(2023, 0, 2);
  const curFrom = Date.UTC(2024, 0, 1) + 7 * 7 * DAY_MS; // mid-February: no new-year holidays in the week
  const t = simulateCounts({
    scenario,
    fromMs: refFrom,
    toMs: curFrom + 7 * DAY_MS,
    counters,
    seed,
    changeAtMs: curFrom,
  });
  const ref: number[] = [];
  const cur: number[] = [];
  for (let i = 0; i < t.length; i++) (t.timestampMs[i] < curFrom ? ref : cur).push(i);
  return { reference: takeRows(t, ref), current: takeRows(t, cur) };
}

/**
 * A seasonal-naive stand-in champion (counter × weekday × hour means of the
 * reference) scored on the current week and on the reference's last 8
 * weeks, its "test_baseline".
 */
export function naiveChampionPerformance(reference: CountTable, current: CountTable): PerformanceInput {
  const cut = reference.timestampMs[reference.length - 1] - 8 * 7 * DAY_MS;
  const idx: number[] = [];
  for (let i = 0; i < reference.length; i++) if (reference.timestampMs[i] > cut) idx.push(i);
  const baseline = takeRows(reference, idx);
  return {
    recent: {
      yTrue: current.count,
      yPred: seasonalNaivePredictions(reference, current),
      blocks: counterDayBlocks(current),
    },
    reference: {
      yTrue: baseline.count,
      yPred: seasonalNaivePredictions(reference, baseline),
      blocks: counterDayBlocks(baseline),
    },
  };
}
