import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { MonitorResult, MonitorStatus } from '../core/domain';
import { statusQuery } from '../workflows/definitions';
import { WORKFLOW_TYPE } from './ids';

/** The most recent monitorAndFineTune run. */
export async function latestWorkflowId(client: Client): Promise<string | null> {
  for await (const wf of client.workflow.list({ query: `WorkflowType = '${WORKFLOW_TYPE}'`, pageSize: 1 }))
    return wf.workflowId;
  return null;
}

export type RunReport =
  | { kind: 'open'; runId: string; runStatus: string; status: MonitorStatus | null; note?: string }
  | { kind: 'completed'; runId: string; runStatus: string; result: MonitorResult }
  | { kind: 'closed'; runId: string; runStatus: string; failure: string };

const QUERY_TIMEOUT_MS = 5000;

/**
 * An open run answers the `status` query (a worker must be polling); a closed
 * run is reported from its result or failure, which needs no worker.
 */
export async function reportRun(client: Client, workflowId: string): Promise<RunReport> {
  const handle = client.workflow.getHandle(workflowId);
  const d = await handle.describe();
  const runStatus = d.status.name;
  if (runStatus === 'RUNNING') {
    const status = await client
      .withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query(statusQuery))
      .catch(() => null);
    return status
      ? { kind: 'open', runId: d.runId, runStatus, status }
      : {
          kind: 'open',
          runId: d.runId,
          runStatus,
          status: null,
          note: `no answer to the status query within ${QUERY_TIMEOUT_MS / 1000} s: is a worker polling task queue "${d.taskQueue}"? (\`bike-retrain worker\`)`,
        };
  }
  try {
    return { kind: 'completed', runId: d.runId, runStatus, result: (await handle.result()) as MonitorResult };
  } catch (err) {
    const cause = err instanceof WorkflowFailedError ? (err.cause?.message ?? err.message) : (err as Error).message;
    return { kind: 'closed', runId: d.runId, runStatus, failure: cause };
  }
}
