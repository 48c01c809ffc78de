import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/errors';
import { storageConfigFrom, storageEnvSchema, type StorageConfig } from './storage-config';
import { formatZodError } from './zod-errors';

/**
 * Process-level settings, read from the environment once at start and
 * validated (storage settings: storage-config.ts). One is a secret: the webhook URL (it carries the channel's
 * token). It stays in the worker (see src/activities/notify.ts) and is never
 * logged, printed or echoed in an error; keep any further secret the same way.
 */
/** A `host:port` to listen on, as Prometheus targets name it (`0.0.0.0:9464`, `127.0.0.1:9000`, `[::1]:9000`). */
export const listenAddress = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/, { message: 'expected host:port, e.g. 127.0.0.1:9464' })
  .refine((a) => Number(a.slice(a.lastIndexOf(':') + 1)) <= 65535, { message: 'port above 65535' });

/** Unset or empty (`VAR=`, as compose files write it): off. */
const offWhenEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const envSchema = z
  .object({
    BIKE_RETRAIN_HOME: z.string().min(1).default('.bike-retrain'),
    TEMPORAL_ADDRESS: z.string().min(1).default('localhost:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    BIKE_RETRAIN_TASK_QUEUE: z.string().min(1).default('bike-retrain'),
    /** Training and evaluation (`worker --queues heavy`); default: the task queue's name + `-heavy`. */
    BIKE_RETRAIN_HEAVY_TASK_QUEUE: z.string().min(1).optional(),
    BIKE_RETRAIN_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
    BIKE_RETRAIN_ENV: z.string().min(1).default('local'),
    /** Optional JSON file with run-config defaults (same shape as a run's overrides). */
    BIKE_RETRAIN_CONFIG: z.string().optional(),
    /** Slack/Discord-compatible webhook for deploy, rejection and failure. A secret: never logged. */
    BIKE_RETRAIN_WEBHOOK_URL: z
      .url({ protocol: /^https?$/ })
      // zod's url() takes what WHATWG URL repairs (`htp:/bad url`, `http:/host`): ask for the written form.
      .refine((u) => /^https?:\/\/[^\s/]+/.test(u), { message: 'expected an http(s)://host/… URL' })
      .optional(),
    // Metrics (issue 15): host:port listen addresses, both off when unset.
    /** Where `bike-retrain metrics serve` serves the domain metrics (one process only). */
    BIKE_RETRAIN_METRICS_ADDRESS: offWhenEmpty(listenAddress),
    /** Where each worker serves the Temporal SDK's own metrics; give each worker its own port. */
    BIKE_RETRAIN_WORKER_METRICS_ADDRESS: offWhenEmpty(listenAddress),
  })
  .extend(storageEnvSchema.shape);

/** What every command needs: where the data and the server are. The run config is apart (app-config.ts). */
export interface EnvConfig {
  home: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  /** Where runs send their heavy steps (training, evaluation). */
  heavyTaskQueue: string;
  uiPort: number;
  env: string;
  /** BIKE_RETRAIN_CONFIG: a JSON file of run-config defaults, read by loadAppConfig. */
  runConfigFile?: string;
  webhookUrl?: string;
  /** BIKE_RETRAIN_METRICS_ADDRESS: `bike-retrain metrics serve` listens here. */
  metricsAddress?: string;
  /** BIKE_RETRAIN_WORKER_METRICS_ADDRESS: a worker serves the SDK's Prometheus metrics here (off when unset). */
  workerMetricsAddress?: string;
  /** BIKE_RETRAIN_STORAGE and its settings: where tables and artifacts live (src/storage/open-storage.ts). */
  storage: StorageConfig;
}

/**
 * The environment, validated. Light on purpose (no run-config schemas), so
 * `status`, `audit` and `approve` answer at once.
 */
export function loadEnvConfig(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const parsed = envSchema.safeParse(env);
  // zod's messages name the variable, never its value: a malformed webhook URL is not echoed.
  if (!parsed.success) throw new ConfigError(`invalid environment: ${formatZodError(parsed.error)}`);
  const e = parsed.data;
  return {
    home: resolve(e.BIKE_RETRAIN_HOME),
    temporalAddress: e.TEMPORAL_ADDRESS,
    namespace: e.TEMPORAL_NAMESPACE,
    taskQueue: e.BIKE_RETRAIN_TASK_QUEUE,
    heavyTaskQueue: e.BIKE_RETRAIN_HEAVY_TASK_QUEUE ?? `${e.BIKE_RETRAIN_TASK_QUEUE}-heavy`,
    uiPort: e.BIKE_RETRAIN_UI_PORT,
    env: e.BIKE_RETRAIN_ENV,
    ...(e.BIKE_RETRAIN_CONFIG ? { runConfigFile: e.BIKE_RETRAIN_CONFIG } : {}),
    ...(e.BIKE_RETRAIN_WEBHOOK_URL ? { webhookUrl: e.BIKE_RETRAIN_WEBHOOK_URL } : {}),
    ...(e.BIKE_RETRAIN_METRICS_ADDRESS ? { metricsAddress: e.BIKE_RETRAIN_METRICS_ADDRESS } : {}),
    ...(e.BIKE_RETRAIN_WORKER_METRICS_ADDRESS ? { workerMetricsAddress: e.BIKE_RETRAIN_WORKER_METRICS_ADDRESS } : {}),
    storage: storageConfigFrom(e),
  };
}

export function webUiUrl(cfg: Pick<EnvConfig, 'uiPort' | 'namespace'>, workflowId?: string, runId?: string): string {
  const base = `http://localhost:${cfg.uiPort}/namespaces/${encodeURIComponent(cfg.namespace)}/workflows`;
  if (!workflowId) return base;
  return `${base}/${encodeURIComponent(workflowId)}${runId ? `/${encodeURIComponent(runId)}` : ''}`;
}
