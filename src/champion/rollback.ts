import type { AuditRow } from '../core/domain';
import type { ChampionDeps } from './deps';

/**
 * Points `champion` back at `to` (default: `previous_champion`). A rollback is
 * a change of champion like a promotion, so it writes its own audit row.
 */
export async function rollbackChampion(
  deps: Pick<ChampionDeps, 'registry' | 'warehouse' | 'clock'>,
  opts: { to?: number; by: string },
): Promise<{ version: number; previousChampion: number | null; changed: boolean }> {
  const at = deps.clock().toISOString();
  const r = await deps.registry.rollback({ to: opts.to, at, by: opts.by });
  if (r.changed)
    await deps.warehouse.writeAudit(
      rollbackAuditRow({ at, by: opts.by, version: r.version, previous: r.previousChampion, thresholds: {} }),
    );
  return r;
}

export function rollbackAuditRow(r: {
  at: string;
  by: string;
  version: number;
  previous: number | null;
  thresholds: Record<string, unknown>;
}): AuditRow {
  return {
    workflowId: 'registry-rollback',
    runId: r.at,
    startedAt: r.at,
    finishedAt: r.at,
    asOf: r.at,
    triggerSource: 'manual',
    forced: false,
    testMode: false,
    driftDetected: null,
    driftShare: null,
    driftedFeatures: [],
    championValidation: null,
    triggerRule: null,
    fineTuneTriggered: false,
    recentData: null,
    championVersion: r.previous,
    championModelUri: null,
    challengerModelUri: null,
    challengerVersion: r.version,
    champion: null,
    challenger: null,
    decision: 'rollback',
    decisionReason: `champion rolled back from v${r.previous ?? '—'} to v${r.version} by ${r.by}`,
    promoted: true,
    thresholds: r.thresholds,
    stepDurationsMs: {},
    reportUris: [],
    error: null,
  };
}
