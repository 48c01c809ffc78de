import type { EnvConfig } from '../config/env-config';
import type { MonitorInput } from '../core/domain';

/** The run's input with the deployment's heavy task queue, unless the caller chose one. */
export function withHeavyTaskQueue(input: MonitorInput, cfg: Partial<Pick<EnvConfig, 'heavyTaskQueue'>>): MonitorInput {
  return cfg.heavyTaskQueue && !input.heavyTaskQueue ? { ...input, heavyTaskQueue: cfg.heavyTaskQueue } : input;
}
