import type { EnvConfig } from '../config/env-config';
import { describeStorage } from '../config/storage-config';
import { championCheck } from './champion-check';
import { formatResults, runChecks, type Check, type CheckResult } from './check';
import { embeddedChecks } from './embedded-checks';
import { redactor } from './redact';
import { temporalChecks } from './temporal-checks';

export interface DoctorReport {
  header: string;
  results: CheckResult[];
  text: string;
  failed: boolean;
}

/** Every check of a deployment, run side by side; the report never holds a secret. */
export async function runDoctor(cfg: EnvConfig, o: { timeoutMs: number }): Promise<DoctorReport> {
  const temporal = temporalChecks(cfg);
  const storage: Check[] =
    cfg.storage.kind === 'gcp' ? (await import('./gcp-checks.js')).gcpChecks(cfg.storage) : embeddedChecks(cfg.home);
  const redact = redactor([cfg.webhookUrl]);
  try {
    const results = await runChecks([...temporal.checks, ...storage, championCheck(cfg)], {
      timeoutMs: o.timeoutMs,
      redact,
    });
    const header = redact(
      `bike-retrain doctor: Temporal ${cfg.temporalAddress} (namespace ${cfg.namespace}); ${describeStorage(cfg.storage, cfg.home)}`,
    );
    return {
      header,
      results,
      text: `${header}\n${formatResults(results)}`,
      failed: results.some((r) => r.status === 'fail'),
    };
  } finally {
    await temporal.close().catch(() => undefined);
  }
}
