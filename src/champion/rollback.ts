import type { AuditRow } from '../core/domain';
import { manualActionAuditRow } from '../core/audit-row';
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
    ...manualActionAuditRow({
      workflowId: 'registry-rollback',
      at: r.at,
      decision: 'rollback',
      decisionReason: `champion rolled back from v${r.previous ?? '—'} to v${r.version} by ${r.by}`,
    }),
    championVersion: r.previous,
    challengerVersion: r.version,
    promoted: true,
    thresholds: r.thresholds,
  };
}
