import type { AuditRow } from '../core/domain';
import type { ActivityDeps } from './deps';

/** Idempotent on (workflow id, run id): a retried write never adds a second row. */
export function makeWriteAudit(deps: ActivityDeps) {
  return async function writeAudit(row: AuditRow): Promise<{ written: boolean }> {
    return deps.warehouse.writeAudit(row);
  };
}
