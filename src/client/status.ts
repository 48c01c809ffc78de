import type { Client } from '@temporalio/client';
import { statusQuery, type MonitorStatus } from '../workflows';
import { WORKFLOW_TYPE } from './triggers';

/** The given run, or the most recent monitorAndFineTune run. */
export async function latestWorkflowId(client: Client): Promise<string | null> {
  for await (const wf of client.workflow.list({ query: `WorkflowType = '${WORKFLOW_TYPE}'`, pageSize: 1 })) return wf.workflowId;
  return null;
}

export async function queryStatus(client: Client, workflowId: string, runId?: string): Promise<{ status: MonitorStatus; runStatus: string; runId: string }> {
  const handle = client.workflow.getHandle(workflowId, runId);
  const d = await handle.describe();
  const status = await handle.query(statusQuery);
  return { status, runStatus: d.status.name, runId: d.runId };
}
