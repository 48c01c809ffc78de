import { z } from 'zod';
import { ConfigError } from '../core/errors';
import { driftConfigSchema } from '../drift/config';

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
});

const promotionSchema = z.strictObject({
  /** Floor on test_baseline: below it the challenger regressed. */
  minBaselineR2: z.number().max(1).default(0.6),
  /** Relative RMSE gain on test_current the challenger needs over the champion (5%, as the old fine-tuning doc set). */
  minRelativeImprovement: z.number().min(0).max(1).default(0.05),
  /** No regression on test_baseline: the upper bound of RMSE(challenger) ÷ RMSE(champion) may not exceed this. */
  maxBaselineRatio: z.number().gt(0).default(1.02),
  bootstrapResamples: z.number().int().min(100).max(100_000).default(2000),
  bootstrapSeed: z.number().int().default(0),
  confidence: z.number().gt(0).lt(1).default(0.95),
  /** A deploy waits for a person's approve/reject Update... */
  requireApproval: z.boolean().default(false),
  /** ...for at most this long; then the champion is kept. Milliseconds, so tests can use seconds. */
  approvalTimeoutMs: z.number().int().min(1000).default(86_400_000),
});

const windowsSchema = z.strictObject({
  driftDays: z.number().int().min(1).max(366).default(7),
  validationDays: z.number().int().min(1).max(366).default(7),
  recentDays: z.number().int().min(2).max(366).default(30),
  /** Share of the recent rows held out as test_current: the most recent whole days. */
  holdoutFraction: z.number().gt(0).lt(1).default(0.2),
});

const fetchSchema = z.strictObject({
  /** Optional cap on fetched recent rows; sampled deterministically across days and counters. */
  rowCap: z.number().int().positive().nullable().default(null),
  sampleSeed: z.number().int().default(0),
});

const modelSchema = z.strictObject({
  modelType: z.enum(['rf', 'gbt']).default('rf'),
  nEstimators: z.number().int().min(1).max(2000).default(30),
  maxDepth: z.number().int().min(1).max(64).default(16),
  minSamplesLeaf: z.number().int().min(1).default(5),
  seed: z.number().int().default(42),
});

export const runConfigSchema = z.strictObject({
  trigger: triggerSchema.prefault({}),
  promotion: promotionSchema.prefault({}),
  windows: windowsSchema.prefault({}),
  /** Drift, data-quality and performance-drift thresholds and gates (see src/drift/config.ts). */
  drift: driftConfigSchema.prefault({}),
  fetch: fetchSchema.prefault({}),
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
  model: modelSchema.partial().optional(),
});

export type RunConfigOverrides = z.infer<typeof runConfigOverridesSchema>;

export const DEFAULT_RUN_CONFIG: RunConfig = runConfigSchema.parse({});

/** Applies overrides section by section and validates the result. */
export function resolveRunConfig(base: RunConfig, overrides: unknown, where = 'overrides'): RunConfig {
  const parsed = runConfigOverridesSchema.safeParse(overrides ?? {});
  if (!parsed.success) throw new ConfigError(`invalid ${where}: ${formatZodError(parsed.error)}`);
  const merged: Record<string, unknown> = { ...base };
  for (const [section, values] of Object.entries(parsed.data)) {
    if (values) merged[section] = deepMerge((base as Record<string, unknown>)[section], values);
  }
  const result = runConfigSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(`invalid ${where}: ${formatZodError(result.error)}`);
  return result.data;
}

export function formatZodError(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
