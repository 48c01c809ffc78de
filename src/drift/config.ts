import { z } from 'zod';
import { DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES } from '../stats/bootstrap';

/**
 * Every threshold of the drift, data-quality, performance and trigger
 * assessment, validated in one place. Defaults follow the issue (effect
 * sizes 0.1, share 0.5, 1,000 rows, +10 % / -0.05 / +15 %); the values
 * actually used are echoed in every result so the audit row can store them.
 */
/** A block-bootstrap interval's settings: the performance check's here, promotion's in the run config. */
export const bootstrapSettingsFields = {
  bootstrapResamples: z.number().int().min(100).max(100_000).default(DEFAULT_RESAMPLES),
  bootstrapSeed: z.number().int().default(0),
  confidence: z.number().gt(0).lt(1).default(DEFAULT_CONFIDENCE),
};

const columnSchema = z.strictObject({
  /** A numeric signal drifts when significant AND KS distance reaches this... */
  ksThreshold: z.number().gt(0).max(1).default(0.1),
  /** ...or the Wasserstein distance reaches this many reference standard deviations. */
  wassersteinThreshold: z.number().gt(0).default(0.1),
  /** A categorical signal (hour, weekday profile) drifts when significant AND Jensen–Shannon distance reaches this. */
  jsdThreshold: z.number().gt(0).max(1).default(0.1),
  /** Quantile bins for the population stability index (reported, not a rule). */
  psiBins: z.number().int().min(2).max(100).default(10),
});

const counterMixSchema = z.strictObject({
  /** The counter mix drifts when its Jensen–Shannon distance reaches this (and is significant)... */
  jsdThreshold: z.number().gt(0).max(1).default(0.1),
  /** ...or counters never seen in the reference carry at least this share of current rows. */
  newCounterShare: z.number().gt(0).max(1).default(0.05),
});

const calendarSchema = z.strictObject({
  /**
   * How the calendar is handled. `auto`: same weeks of the year when the
   * reference covers them, else the reference reweighted to the current
   * weekday × hour mix. `exclude`: whole reference as is, calendar signals
   * left out.
   */
  policy: z.enum(['auto', 'seasonal-match', 'weekday-hour-mix', 'exclude']).default('auto'),
  /** Reference rows within this many days of a current day of the year count as the same season. */
  seasonalWindowDays: z.number().int().min(1).max(60).default(7),
  /** Seasonal matching needs at least this many matched reference rows... */
  minMatchedRows: z.number().int().min(1).default(1000),
  /** ...and at least this share of the current days having a matched reference day. */
  minCoveredDayShare: z.number().gt(0).max(1).default(0.8),
});

/** Default physical bound on one counter's hourly count: above it is a sensor or export fault, not traffic. */
export const DEFAULT_MAX_HOURLY_COUNT = 10_000;

const qualitySchema = z.strictObject({
  /**
   * The physical bound on an hourly count, for the import (a count above it is quarantined) and for data quality
   * (a window holding one is CRITICAL, naming counter, hour and value): one setting for both.
   */
  maxHourlyCount: z.number().int().positive().default(DEFAULT_MAX_HOURLY_COUNT),
  /** Modified z-score |0.6745 (x - median) / MAD| on log(count + 1) above which a row is an outlier (Iglewicz & Hoaglin). */
  robustZ: z.number().gt(0).default(3.5),
  /** Floor on the MAD (log units) so quiet cells with near-constant counts do not turn every 1 into an outlier. */
  madFloor: z.number().gt(0).default(0.1),
  /** Outlier share of the current rows flagged as a warning above this... */
  outlierShareWarn: z.number().gt(0).max(1).default(0.05),
  /** ...and as critical above this. */
  outlierShareCritical: z.number().gt(0).max(1).default(0.25),
  /** Reference rows a (counter, hour, weekend) cell needs for its own baseline; fewer fall back to the counter's. */
  minBaselineRows: z.number().int().min(3).default(20),
  /** A counter reading 0 this many consecutive hours is broken (a quiet counter's night is shorter). */
  zeroRunHours: z.number().int().min(2).default(24),
  /** A counter repeating one non-zero value this many consecutive hours is stuck. */
  stuckRunHours: z.number().int().min(2).default(12),
  /** Share of current rows inside broken runs from which data quality is critical (blocks retraining). */
  brokenRowShareCritical: z.number().gt(0).max(1).default(0.05),
  /** Share of expected counter-hours missing: warning above the first, critical above the second. */
  missingHourShareWarn: z.number().gt(0).max(1).default(0.05),
  missingHourShareCritical: z.number().gt(0).max(1).default(0.5),
});

const performanceSchema = z.strictObject({
  /** Performance drop when recent RMSE / reference RMSE - 1 exceeds this... */
  rmseRise: z.number().gt(0).default(0.1),
  /** ...or reference R² - recent R² exceeds this. */
  r2Fall: z.number().gt(0).default(0.05),
  /** Concept drift when the RMSE rises more than this AND the bootstrap interval of the ratio lies above 1. */
  conceptRmseRise: z.number().gt(0).default(0.15),
  ...bootstrapSettingsFields,
  /** Without block ids, consecutive chunks of this many rows are the blocks (rows come in time order). */
  defaultBlockRows: z.number().int().min(1).default(240),
});

const gatesSchema = z.strictObject({
  /** Current rows needed for the drift check to count. */
  minDriftRows: z.number().int().min(1).default(1000),
  /** Recent labelled rows needed for the RMSE check to count. */
  minPerformanceRows: z.number().int().min(1).default(1000),
  /** New rows a fine-tune needs. */
  minTrainingRows: z.number().int().min(1).default(1000),
  /** Distinct days the new rows must cover. */
  minTrainingDays: z.number().int().min(1).default(7),
});

const severitySchema = z.strictObject({
  /** Effect sizes (KS distance, Wasserstein/sd, JSD) from which a drift signal is strong / very strong. */
  strongEffect: z.number().gt(0).default(0.3),
  veryStrongEffect: z.number().gt(0).default(0.5),
  /** RMSE rises from which a performance signal is strong / very strong. */
  strongRmseRise: z.number().gt(0).default(0.3),
  veryStrongRmseRise: z.number().gt(0).default(0.6),
  /** New-counter row share from which that signal is strong. */
  strongNewCounterShare: z.number().gt(0).max(1).default(0.2),
});

export const driftConfigSchema = z.strictObject({
  /** Benjamini–Hochberg false discovery rate over the compared signals. */
  alpha: z.number().gt(0).lt(1).default(0.05),
  /** Dataset drift when at least this share of compared signals drifted. */
  datasetDriftShare: z.number().gt(0).max(1).default(0.5),
  column: columnSchema.prefault({}),
  counterMix: counterMixSchema.prefault({}),
  calendar: calendarSchema.prefault({}),
  quality: qualitySchema.prefault({}),
  performance: performanceSchema.prefault({}),
  gates: gatesSchema.prefault({}),
  severity: severitySchema.prefault({}),
});

export type DriftConfig = z.infer<typeof driftConfigSchema>;
/** What a run may override: any subset of any section. */
export type DriftConfigInput = z.input<typeof driftConfigSchema>;

export const DEFAULT_DRIFT_CONFIG: DriftConfig = driftConfigSchema.parse({});

/** Defaults plus overrides, validated; throws a ZodError naming the bad field. */
export function resolveDriftConfig(overrides: DriftConfigInput = {}): DriftConfig {
  return driftConfigSchema.parse(overrides);
}
