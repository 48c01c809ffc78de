import { z } from 'zod';
import type { TriggerSource } from '../core/domain';
import { ConfigError } from '../core/errors';
import { formatZodError } from './zod-errors';
import { DAY_MS } from '../core/time';
import { bootstrapSettingsFields, driftConfigSchema } from '../drift/config';

/**
 * Every threshold and window of a weekly run, in one place. Defaults here,
 * optionally replaced by a JSON file at worker start (BIKE_RETRAIN_CONFIG),
 * then by the per-run `overrides` of the workflow input. The effective values
 * are returned by the `resolveRunConfig` activity, so they are recorded in
 * the run's history and written to its audit row.
 */
const triggerSchema = z.strictObject({
  /** Fine-tune when the champion's RMSE on the last labelled days exceeds this. */
  maxChampionRmse: z.number().positive().default(50),
  /** ...or when drift is detected and the champion's R² falls below this. */
  degradedR2Below: z.number().max(1).default(0.6),
  /**
   * Train a challenger every run (unless data quality blocks it) and let the
   * promotion rule decide, instead of only when the assessment or the RMSE
   * ceiling triggers. true from the backtests: in the summer-holidays season
   * the assessment stayed quiet through the August dip while weekly
   * challengers would have served it better (README, "Choosing the defaults").
   */
  fineTuneEveryRun: z.boolean().default(true),
});

/**
 * The promotion rules a run can use (see src/workflows/decision.ts):
 * - `intervals-v1`: floor and no-regression bound on test_baseline, then a significant gain on test_current;
 * - `next-week-v1`: the floor and a regression tolerance on test_baseline (catastrophic forgetting only), then a
 *   significant gain on test_current, the data most like the weeks the model will serve;
 * - `next-week-v2`: next-week-v1, and a challenger better on test_current (point estimate) and significantly
 *   better on test_baseline deploys too;
 * - `point-estimate`: deploy whenever the challenger's RMSE on test_current is below the champion's, no other
 *   check (the backtest's "always promote" policy, not meant for production).
 */
export const PROMOTION_RULES = ['intervals-v1', 'next-week-v1', 'next-week-v2', 'point-estimate'] as const;
export type PromotionRule = (typeof PROMOTION_RULES)[number];

const promotionSchema = z.strictObject({
  /** next-week-v2 from the backtests over the simulated seasons (README, "Choosing the defaults"). */
  rule: z.enum(PROMOTION_RULES).default('next-week-v2'),
  /** Floor on test_baseline: below it the challenger regressed. */
  minBaselineR2: z.number().max(1).default(0.6),
  /** Relative RMSE gain on test_current the challenger needs over the champion (5%, as the old fine-tuning doc set). */
  minRelativeImprovement: z.number().min(0).max(1).default(0.05),
  /** No regression on test_baseline: the upper bound of RMSE(challenger) ÷ RMSE(champion) may not exceed this. */
  maxBaselineRatio: z.number().gt(0).default(1.02),
  /** next-week-v1: how much worse on test_baseline (RMSE ratio, point estimate) a challenger may be. */
  maxBaselineRegression: z.number().gt(0).default(1.25),
  /**
   * next-week rules: the RMSE gain a challenger needs (its interval must also exclude no gain), on test_current
   * or, for next-week-v2, on test_baseline. 5% from the backtests: with 2% (or 0) the stable season deployed
   * 3 (or 6) times in 15 weeks for a 0.4% lower mean error; with 5%, once.
   */
  minCurrentGain: z.number().min(0).max(1).default(0.05),
  /** The paired bootstrap of RMSE(challenger) ÷ RMSE(champion) on each test set. */
  ...bootstrapSettingsFields,
  /** A deploy waits for a person's approve/reject Update... */
  requireApproval: z.boolean().default(false),
  /** ...for at most this long; then the champion is kept. Milliseconds, so tests can use seconds. */
  approvalTimeoutMs: z.number().int().min(1000).default(DAY_MS),
});

const windowsSchema = z.strictObject({
  driftDays: z.number().int().min(1).max(366).default(7),
  validationDays: z.number().int().min(1).max(366).default(7),
  recentDays: z.number().int().min(2).max(366).default(30),
  /** Share of the recent rows held out as test_current: the most recent whole days. */
  holdoutFraction: z.number().gt(0).lt(1).default(0.2),
  /** Whole days test_current must keep after leaving out rows a model trained on; fewer keeps the champion. */
  minTestCurrentDays: z.number().int().min(1).max(366).default(3),
});

/**
 * How the challenger is trained beyond its model sizes. `recentShare`: the
 * share of the total training weight the recent rows carry (baseline rows
 * weigh 1 each, recent rows the same weight each); null trains on the rows
 * as they come, where a year of baseline outweighs three recent weeks about
 * 15 to 1 and a shift in traffic barely moves the model.
 */
const trainingSchema = z.strictObject({
  recentShare: z.number().gt(0).lt(1).nullable().default(null),
  /**
   * With false, the challenger leaves out the position in the year (month, day of month, day of year):
   * then weighted recent rows set the level of the coming weeks instead of last year's same dates.
   */
  seasonalFeatures: z.boolean().default(true),
  /**
   * Train on this many rows only, drawn without replacement (seeded by the model's seed): the old system's
   * test mode (a challenger of about 1K rows), kept so that the catastrophic case can be reproduced.
   */
  sampleRows: z.number().int().min(1).nullable().default(null),
  /**
   * The challenger measures each counter's level (actual ÷ predicted) over the
   * last this-many days of its training rows and predicts at that level from
   * then on (src/model/level-adjustment.ts); null: the trees alone. 7 from the
   * backtests (README, "Choosing the defaults").
   */
  levelWindowDays: z.number().int().min(1).max(28).nullable().default(7),
});

const fetchSchema = z.strictObject({
  /** Optional cap on fetched recent rows; sampled deterministically across days and counters. */
  rowCap: z.number().int().positive().nullable().default(null),
  sampleSeed: z.number().int().default(0),
});

/**
 * Model sizes by job and type: the one table of them (the engine has none,
 * only its other knobs: see src/model/index.ts). Naming only a type takes
 * that type's sizes.
 * - `fineTune`, the weekly challenger (the run config's `model` section): a
 *   forest of 30 trees of depth 16 (~3 s on 660K rows), or up to 200 boosting
 *   rounds of 31-leaf trees with early stopping on 10% of the rows held out
 *   (as HistGradientBoosting).
 * - `fullRetrain`, the champion trained on train_baseline
 *   (`bike-retrain train-champion`, the quarterly job; see fullRetrainParams):
 *   a forest as scikit-learn's RandomForestRegressor (100 trees, leaves of one
 *   row) but depth 20, or 100 boosting rounds (HistGradientBoosting's
 *   max_iter).
 */
export const MODEL_SIZES = {
  fineTune: {
    rf: { nEstimators: 30, maxDepth: 16, minSamplesLeaf: 5 },
    gbt: { nEstimators: 200, maxDepth: 0, minSamplesLeaf: 20 },
  },
  fullRetrain: {
    rf: { nEstimators: 100, maxDepth: 20, minSamplesLeaf: 1 },
    gbt: { nEstimators: 100, maxDepth: 0, minSamplesLeaf: 20 },
  },
} as const;

const modelFields = z.strictObject({
  modelType: z.enum(['rf', 'gbt']),
  /** Trees (rf) or boosting rounds at most (gbt). */
  nEstimators: z.number().int().min(1).max(2000),
  /** 0: no depth limit (gbt's trees are bounded by their 31 leaves). */
  maxDepth: z.number().int().min(0).max(64),
  minSamplesLeaf: z.number().int().min(1),
  seed: z.number().int().default(42),
});

const modelSchema = z.preprocess((v) => {
  if (!isPlainObject(v)) return v;
  const modelType = v.modelType ?? 'rf';
  const sizes = MODEL_SIZES.fineTune[modelType as ModelConfig['modelType']];
  return sizes ? { ...sizes, ...v, modelType } : v;
}, modelFields);

export type ModelConfig = z.infer<typeof modelFields>;

/** The engine's parameters for a model config: its sizes and seed (the engine's other knobs keep their defaults). */
export function modelParams(m: ModelConfig): ModelConfig {
  return {
    modelType: m.modelType,
    nEstimators: m.nEstimators,
    maxDepth: m.maxDepth,
    minSamplesLeaf: m.minSamplesLeaf,
    seed: m.seed,
  };
}

/**
 * The full retrain's parameters (`bike-retrain train-champion`): the model
 * type and seed of the run defaults unless `chosen` names a type, that type's
 * MODEL_SIZES.fullRetrain sizes, then whatever `chosen` sets (any of
 * modelType, nEstimators, maxDepth, minSamplesLeaf, seed; undefined ones are
 * left out). The run defaults' sizes are the weekly fine-tune's and do not
 * apply.
 */
export function fullRetrainParams(
  runDefaults: RunConfig,
  chosen: unknown = {},
  where = 'train-champion options',
): ModelConfig {
  // No defaults in the choice's schema: a seed left out is the run defaults', not the schema's 42.
  const choiceSchema = z.strictObject({ model: modelFields.extend({ seed: z.number().int() }).partial() });
  const parsed = choiceSchema.safeParse({ model: chosen ?? {} });
  if (!parsed.success) throw new ConfigError(`invalid ${where}: ${formatZodError(parsed.error)}`);
  const choice = Object.fromEntries(
    Object.entries(parsed.data.model).filter(([, v]) => v !== undefined),
  ) as typeof parsed.data.model;
  const modelType = choice.modelType ?? runDefaults.model.modelType;
  return modelParams({ modelType, ...MODEL_SIZES.fullRetrain[modelType], seed: runDefaults.model.seed, ...choice });
}

export const runConfigSchema = z.strictObject({
  trigger: triggerSchema.prefault({}),
  promotion: promotionSchema.prefault({}),
  windows: windowsSchema.prefault({}),
  /** Drift, data-quality and performance-drift thresholds and gates (see src/drift/config.ts). */
  drift: driftConfigSchema.prefault({}),
  fetch: fetchSchema.prefault({}),
  training: trainingSchema.prefault({}),
  model: modelSchema.prefault({}),
});

export type RunConfig = z.infer<typeof runConfigSchema>;

/** What a run's `overrides` may carry: any subset of any section. */
export const runConfigOverridesSchema = z.strictObject({
  trigger: triggerSchema.partial().optional(),
  promotion: promotionSchema.partial().optional(),
  windows: windowsSchema.partial().optional(),
  /** Any subset, at any depth; validated against the full schema after merging. */
  drift: z.record(z.string(), z.unknown()).optional(),
  fetch: fetchSchema.partial().optional(),
  training: trainingSchema.partial().optional(),
  model: modelFields.partial().optional(),
});

export type RunConfigOverrides = z.infer<typeof runConfigOverridesSchema>;

export const DEFAULT_RUN_CONFIG: RunConfig = runConfigSchema.parse({});

/** Applies overrides section by section and validates the result. */
export function resolveRunConfig(base: RunConfig, overrides: unknown, where = 'overrides'): RunConfig {
  const parsed = runConfigOverridesSchema.safeParse(overrides ?? {});
  if (!parsed.success) throw new ConfigError(`invalid ${where}: ${formatZodError(parsed.error)}`);
  // Merge what the caller wrote, not the parsed copy: zod fills a partial section's unnamed fields with their
  // defaults, which would silently reset values the base (a config file) had changed.
  const given = (overrides ?? {}) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...base };
  for (const [section, values] of Object.entries(given)) {
    if (values !== undefined) merged[section] = deepMerge((base as Record<string, unknown>)[section], values);
  }
  // Switching the model type drops the old type's sizes: the new type's defaults apply unless overridden too.
  const model = given.model as Partial<ModelConfig> | undefined;
  if (model?.modelType && model.modelType !== base.model.modelType) merged.model = { seed: base.model.seed, ...model };
  const result = runConfigSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(`invalid ${where}: ${formatZodError(result.error)}`);
  return result.data;
}

export { formatZodError } from './zod-errors';

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A run's validated input: the effective config (after overrides) and when it looks back from. */
export interface ResolvedRun {
  config: RunConfig;
  asOfMs: number;
  forced: boolean;
  testMode: boolean;
  triggerSource: TriggerSource;
  /** Where training and evaluation run (the input's `heavyTaskQueue`); absent: the run's own queue. */
  heavyTaskQueue?: string;
}
