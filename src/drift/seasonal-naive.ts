import type { CountTable } from '../core/counts';
import { HOUR_MS, utcDay } from '../core/time';
import { featureColumn, prepareTables } from './prepared-tables';

/**
 * A seasonal-naive forecaster: each counter's mean count at that weekday and
 * hour in the reference. Not a production model; it stands in for a champion
 * where the drift code needs predictions it can trust to be simple (the
 * offline CLI without a model, scenario tests, the benchmark).
 */
export function seasonalNaivePredictions(reference: CountTable, target: CountTable): Float64Array {
  const p = prepareTables(reference, target);
  const nCells = (p.spec.counters.length + 1) * 168;
  const sum = new Float64Array(nCells);
  const n = new Float64Array(nCells);
  const overall = new Float64Array(168);
  const overallN = new Float64Array(168);
  const cell = (code: Float32Array, wd: Float32Array, hr: Float32Array, i: number) =>
    code[i] * 168 + wd[i] * 24 + hr[i];
  {
    const code = featureColumn(p.ref, 'counter');
    const wd = featureColumn(p.ref, 'weekday');
    const hr = featureColumn(p.ref, 'hour');
    for (let i = 0; i < reference.length; i++) {
      const c = cell(code, wd, hr, i);
      sum[c] += reference.count[i];
      n[c]++;
      overall[wd[i] * 24 + hr[i]] += reference.count[i];
      overallN[wd[i] * 24 + hr[i]]++;
    }
  }
  const code = featureColumn(p.cur, 'counter');
  const wd = featureColumn(p.cur, 'weekday');
  const hr = featureColumn(p.cur, 'hour');
  const out = new Float64Array(target.length);
  for (let i = 0; i < target.length; i++) {
    const c = cell(code, wd, hr, i);
    const k = wd[i] * 24 + hr[i];
    out[i] = n[c] > 0 ? sum[c] / n[c] : overallN[k] > 0 ? overall[k] / overallN[k] : 0;
  }
  return out;
}

/** Block ids counter × Paris day for a table, as the bootstrap wants them. */
export function counterDayBlocks(t: CountTable): string[] {
  const out = new Array<string>(t.length);
  for (let i = 0; i < t.length; i++) out[i] = `${t.counterId[i]}|${utcDay(t.timestampMs[i] + HOUR_MS)}`;
  return out;
}
