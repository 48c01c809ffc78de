import { z } from 'zod';
import { formatZodError, resolveRunConfig } from '../config/run-config';
import { ConfigError } from '../core/errors';
import type { ActivityDeps } from './deps';
import type { ResolvedRun } from '../config/run-config';
import type { MonitorInput } from '../core/domain';

const inputSchema = z.strictObject({
  forceFineTune: z.boolean().optional(),
  testMode: z.boolean().optional(),
  asOf: z
    .string()
    .refine((s) => Number.isFinite(Date.parse(s)), { message: 'not an ISO-8601 date or instant' })
    .optional(),
  overrides: z.unknown().optional(),
  triggerSource: z.enum(['schedule', 'manual']).optional(),
  heavyTaskQueue: z.string().min(1).optional(),
});

export function makeResolveRunConfig(deps: ActivityDeps) {
  /** Validates the workflow input and applies its overrides to the worker's defaults. */
  return async function resolveRunConfigActivity(input: MonitorInput, runStartMs: number): Promise<ResolvedRun> {
    const parsed = inputSchema.safeParse(input ?? {});
    if (!parsed.success) throw new ConfigError(`invalid workflow input: ${formatZodError(parsed.error)}`);
    const i = parsed.data;
    return {
      config: resolveRunConfig(deps.runDefaults, i.overrides, 'workflow input overrides'),
      asOfMs: i.asOf !== undefined ? Date.parse(i.asOf) : runStartMs,
      forced: i.forceFineTune === true,
      testMode: i.testMode === true,
      triggerSource: i.triggerSource ?? 'manual',
      ...(i.heavyTaskQueue ? { heavyTaskQueue: i.heavyTaskQueue } : {}),
    };
  };
}
