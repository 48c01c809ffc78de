import { createHash } from 'node:crypto';
import { sliceRows, takeRows, type CountTable } from '../core/counts';
import { ConfigError } from '../core/errors';
import { lowerBound } from '../core/sorted';
import { DAY_MS, utcDay } from '../core/time';
import { simulateCounts } from './simulator';

/**
 * The fixed baseline sets evaluation results cite: `train_baseline` and
 * `test_baseline`, split BY TIME (the test set is a later period, never
 * random rows: random rows leak tomorrow into yesterday's training).
 */

export interface BaselineSetManifest {
  name: 'train_baseline' | 'test_baseline';
  rows: number;
  /** First row's timestamp (epoch ms). */
  fromMs: number;
  /** Last row's timestamp (epoch ms, inclusive), as the warehouse summaries report it. */
  toMs: number;
  /** sha256 of the set's columns in canonical row order: see `countTableContentHash`. */
  contentHash: string;
}

export interface BaselineSets {
  train: CountTable;
  test: CountTable;
  manifests: { train: BaselineSetManifest; test: BaselineSetManifest };
  /** First instant of the test period. */
  splitMs: number;
}

export interface BuildBaselineOptions {
  table: CountTable;
  /** Share of whole UTC days that go to training (default 365/438: a year, then 73 days of test). */
  trainFraction?: number;
  /** Explicit split instant instead of a fraction; rows at or after it are test rows. */
  testFromMs?: number;
}

export const DEFAULT_TRAIN_FRACTION = 365 / 438;

/**
 * The sizes of a simulated world, by name: the one scale table, for
 * `bike-retrain data baseline`, the demo world and the integration tests'
 * worlds. `trainDays` and `testDays` size the baseline sets; `recentDays` is
 * the demo world's weeks after them, where its scenario plays.
 */
export const SIMULATION_SCALES = {
  /** Integration tests: seconds end to end, yet a full year, so the champion has seen every season. */
  tiny: { counters: 6, trainDays: 365, testDays: 21, recentDays: 35 },
  /** The demo's default: ≈86K train / ≈20K test rows, in seconds. */
  small: { counters: 20, trainDays: 180, testDays: 42, recentDays: 35 },
  /** The real scale: ≈657K train / ≈131K test rows. */
  full: { counters: 75, trainDays: 365, testDays: 73, recentDays: 35 },
} as const;
export type SimulationScale = keyof typeof SIMULATION_SCALES;
/** The `data baseline` command's name for SimulationScale (src/cli/commands/data.ts imports it). */
export type BaselineScale = SimulationScale;

export function buildBaselineSets(options: BuildBaselineOptions): BaselineSets {
  const t = canonicalOrder(options.table);
  if (t.length === 0) throw new ConfigError('cannot build baseline sets from an empty table');
  const firstDay = utcDay(t.timestampMs[0]);
  const lastDay = utcDay(t.timestampMs[t.length - 1]);
  let splitMs: number;
  if (options.testFromMs !== undefined) splitMs = options.testFromMs;
  else {
    const f = options.trainFraction ?? DEFAULT_TRAIN_FRACTION;
    if (!(f > 0 && f < 1)) throw new ConfigError(`trainFraction must be between 0 and 1, got ${f}`);
    const days = lastDay - firstDay + 1;
    // Whole days: a test set starting mid-day would split a day's rhythm in two.
    splitMs = (firstDay + Math.min(days - 1, Math.max(1, Math.round(days * f)))) * DAY_MS;
  }
  const cut = lowerBound(t.timestampMs, splitMs);
  if (cut === 0 || cut === t.length)
    throw new ConfigError(
      `split at ${new Date(splitMs).toISOString()} leaves one baseline set empty (data spans ${new Date(t.timestampMs[0]).toISOString()} to ${new Date(t.timestampMs[t.length - 1]).toISOString()})`,
    );
  const train = sliceRows(t, 0, cut);
  const test = sliceRows(t, cut, t.length);
  return {
    train,
    test,
    splitMs,
    manifests: { train: manifestOf('train_baseline', train), test: manifestOf('test_baseline', test) },
  };
}

export function manifestOf(name: BaselineSetManifest['name'], t: CountTable): BaselineSetManifest {
  return {
    name,
    rows: t.length,
    fromMs: t.timestampMs[0],
    toMs: t.timestampMs[t.length - 1],
    contentHash: countTableContentHash(t),
  };
}

/**
 * sha256 over the columns, in the table's row order: a format tag, the row
 * count, each string column joined by NUL, then the numeric columns as
 * little-endian float64. Independent of file format and compression, so the
 * same rows hash the same whether read from Parquet, CSV or the warehouse.
 */
export function countTableContentHash(t: CountTable): string {
  const h = createHash('sha256');
  h.update(`bike-retrain/counts/v1\n${t.length}\n`);
  for (const col of [t.counterId, t.counterName, t.siteId]) {
    for (let i = 0; i < t.length; i += 65_536) h.update(col.slice(i, i + 65_536).join('\0') + '\0');
    h.update('\n');
  }
  for (const col of [t.timestampMs, t.count, t.lat, t.lon]) h.update(littleEndianBytes(col));
  return h.digest('hex');
}

function littleEndianBytes(a: Float64Array): Uint8Array {
  const out = new DataView(new ArrayBuffer(a.length * 8));
  for (let i = 0; i < a.length; i++) out.setFloat64(i * 8, a[i], true);
  return new Uint8Array(out.buffer);
}

/** Rows ordered by (timestamp, counter id), the warehouse's order; a sorted table is returned as is. */
export function canonicalOrder(t: CountTable): CountTable {
  let sorted = true;
  for (let i = 1; i < t.length && sorted; i++) {
    const dt = t.timestampMs[i] - t.timestampMs[i - 1];
    sorted = dt > 0 || (dt === 0 && t.counterId[i] >= t.counterId[i - 1]);
  }
  if (sorted) return t;
  const idx = Array.from({ length: t.length }, (_, i) => i);
  idx.sort(
    (a, b) =>
      t.timestampMs[a] - t.timestampMs[b] ||
      (t.counterId[a] < t.counterId[b] ? -1 : t.counterId[a] > t.counterId[b] ? 1 : 0),
  );
  return takeRows(t, idx);
}

export interface SimulateBaselineOptions {
  scale: SimulationScale;
  seed: number;
  /** End of the test period (exclusive); default: today 00:00 UTC. */
  endMs?: number;
}

/** The stable simulated world the baseline sets are cut from, and where to cut it. */
export function simulateBaselineTable(o: SimulateBaselineOptions): { table: CountTable; testFromMs: number } {
  const s = SIMULATION_SCALES[o.scale];
  const endMs = o.endMs ?? utcDay(Date.now()) * DAY_MS;
  const testFromMs = endMs - s.testDays * DAY_MS;
  const fromMs = testFromMs - s.trainDays * DAY_MS;
  return {
    table: simulateCounts({ scenario: 'stable', fromMs, toMs: endMs, counters: s.counters, seed: o.seed }),
    testFromMs,
  };
}
