import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/errors';
import { DEFAULT_RUN_CONFIG, formatZodError, resolveRunConfig, type RunConfig } from './run-config';

/**
 * Process-level settings, read from the environment once at start and
 * validated. One is a secret: the webhook URL (it carries the channel's
 * token). It stays in the worker (see src/activities/notify.ts) and is never
 * logged, printed or echoed in an error; keep any further secret the same way.
 */
const envSchema = z.object({
  BIKE_RETRAIN_HOME: z.string().min(1).default('.bike-retrain'),
  TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  BIKE_RETRAIN_TASK_QUEUE: z.string().min(1).default('bike-retrain'),
  BIKE_RETRAIN_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  BIKE_RETRAIN_ENV: z.string().min(1).default('local'),
  /** Optional JSON file with run-config defaults (same shape as a run's overrides). */
  BIKE_RETRAIN_CONFIG: z.string().optional(),
  /** Slack/Discord-compatible webhook for deploy, rejection and failure. A secret: never logged. */
  BIKE_RETRAIN_WEBHOOK_URL: z.url().optional(),
});

export interface AppConfig {
  home: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  uiPort: number;
  env: string;
  runDefaults: RunConfig;
  webhookUrl?: string;
}

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  // zod's messages name the variable, never its value: a malformed webhook URL is not echoed.
  if (!parsed.success) throw new ConfigError(`invalid environment: ${formatZodError(parsed.error)}`);
  const e = parsed.data;
  let runDefaults = DEFAULT_RUN_CONFIG;
  if (e.BIKE_RETRAIN_CONFIG) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(e.BIKE_RETRAIN_CONFIG, 'utf8'));
    } catch (err) {
      throw new ConfigError(`cannot read BIKE_RETRAIN_CONFIG ${e.BIKE_RETRAIN_CONFIG}: ${(err as Error).message}`);
    }
    runDefaults = resolveRunConfig(DEFAULT_RUN_CONFIG, json, `config file ${e.BIKE_RETRAIN_CONFIG}`);
  }
  return {
    home: resolve(e.BIKE_RETRAIN_HOME),
    temporalAddress: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.BIKE_RETRAIN_TASK_QUEUE,
    uiPort: e.BIKE_RETRAIN_UI_PORT,
    env: e.BIKE_RETRAIN_ENV,
    runDefaults,
    webhookUrl: e.BIKE_RETRAIN_WEBHOOK_URL,
  };
}

export function webUiUrl(cfg: Pick<AppConfig, 'uiPort' | 'namespace'>, workflowId?: string, runId?: string): string {
  const base = `http://localhost:${cfg.uiPort}/namespaces/${encodeURIComponent(cfg.namespace)}/workflows`;
  if (!workflowId) return base;
  return `${base}/${encodeURIComponent(workflowId)}${runId ? `/${encodeURIComponent(runId)}` : ''}`;
}
