import type { RunKey } from '../core/domain';

/** Artifact keys of one run: a retry finds what an earlier attempt already wrote. */
export function runArtifactKey(run: RunKey, name: string): string {
  return `runs/${safe(run.workflowId)}/${safe(run.runId)}/${name}`;
}

export function challengerModelKey(run: RunKey): string {
  return `models/challengers/${safe(run.workflowId)}/${safe(run.runId)}.brf`;
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_');
}
