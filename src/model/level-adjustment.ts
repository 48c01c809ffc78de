import type { CountTable } from '../core/counts';
import type { LevelSummary } from '../core/domain';
import { ModelArtifactError } from '../core/errors';

/**
 * A counter's current level, relative to what the trees predict for it.
 *
 * Why: the trees learn the calendar (hour, weekday, day of the year) from a
 * year of baseline rows, so for next week they predict last year's same week;
 * a month of recent rows cannot outvote a year of them (recent weighting and
 * dropping the calendar features were both tried in backtests and lost: the
 * level follows, the yearly curve goes). A lockdown at 18 % of normal, a
 * growth trend or a new cycle lane shows up as every hour of one counter
 * being off by the same factor. So a fine-tuned model also carries, per
 * counter, sum(actual) / sum(predicted) over the last days of its training
 * rows, and multiplies its predictions by it from the start of that window
 * on: the past (test_baseline) is scored by the trees alone, the present and
 * the weeks ahead at the measured level. Backtests on the simulated seasons
 * (README, "Choosing the defaults") chose a 7-day window: every weekday once,
 * and the lowest next-week error across the seasons.
 *
 * Scikit-learn and the other tree libraries have no such layer (it is a
 * forecasting idea, a level correction), hence our own, here, small.
 */
export interface LevelAdjustment {
  /** The window the factors were measured on, epoch ms [fromMs, toMs); the factors apply from fromMs on. */
  fromMs: number;
  toMs: number;
  /** Per counter id: actual ÷ predicted over the window. Counters absent keep factor 1. */
  factors: Record<string, number>;
}

/** A counter needs at least a day of hourly rows in the window for its factor to be measured; else it keeps 1. */
export const MIN_LEVEL_ROWS = 24;

export function estimateLevelAdjustment(
  rows: CountTable,
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  window: { fromMs: number; toMs: number },
): LevelAdjustment {
  const sums = new Map<string, { actual: number; predicted: number; rows: number }>();
  for (let i = 0; i < rows.length; i++) {
    const ts = rows.timestampMs[i];
    if (ts < window.fromMs || ts >= window.toMs) continue;
    const id = rows.counterId[i];
    let s = sums.get(id);
    if (!s) sums.set(id, (s = { actual: 0, predicted: 0, rows: 0 }));
    s.actual += yTrue[i];
    s.predicted += yPred[i];
    s.rows++;
  }
  const factors: Record<string, number> = {};
  for (const [id, s] of [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    if (s.rows >= MIN_LEVEL_ROWS && s.predicted > 0) factors[id] = s.actual / s.predicted;
  return { fromMs: window.fromMs, toMs: window.toMs, factors };
}

/** Multiplies, in place, the predictions of rows at or after the window's start by their counter's factor. */
export function applyLevelAdjustment(adj: LevelAdjustment, rows: CountTable, yPred: Float64Array): void {
  for (let i = 0; i < rows.length; i++) {
    if (rows.timestampMs[i] < adj.fromMs) continue;
    const f = adj.factors[rows.counterId[i]];
    if (f !== undefined) yPred[i] *= f;
  }
}

/** Reads the adjustment from a model's metadata: absent is none; a malformed one is a damaged artifact. */
export function levelAdjustmentOf(metadata: Record<string, unknown>, source: string): LevelAdjustment | null {
  const raw = metadata.levelAdjustment;
  if (raw === undefined || raw === null) return null;
  const a = raw as Partial<LevelAdjustment>;
  const ok =
    typeof a.fromMs === 'number' &&
    typeof a.toMs === 'number' &&
    a.factors !== null &&
    typeof a.factors === 'object' &&
    Object.values(a.factors).every((f) => typeof f === 'number' && Number.isFinite(f) && f >= 0);
  if (!ok) throw new ModelArtifactError(`model artifact ${source}: malformed levelAdjustment in its metadata`);
  return a as LevelAdjustment;
}

/** The spread of the factors, for run summaries and audit rows. */
export function summarizeLevelAdjustment(adj: LevelAdjustment): LevelSummary | null {
  const f = Object.values(adj.factors).sort((a, b) => a - b);
  if (f.length === 0) return null;
  const mid = f.length >> 1;
  const median = f.length % 2 ? f[mid] : (f[mid - 1] + f[mid]) / 2;
  return { fromMs: adj.fromMs, toMs: adj.toMs, counters: f.length, min: f[0], median, max: f[f.length - 1] };
}
