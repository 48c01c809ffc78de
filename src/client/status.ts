import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { MonitorResult, MonitorStatus } from '../core/domain';
import { statusQuery } from '../workflows/definitions';
import { BACKTEST } from '../workflows/search-attributes';
import { WORKFLOW_TYPE } from './ids';

/** The most recent monitorAndFineTune run. */
/** The latest weekly run, backtest replays left out (they carry BikeRetrainBacktest = true). */
export async function latestWorkflowId(client: Client): Promise<string | null> {
  const latest = async (query: string) => {
    for await (const wf of client.workflow.list({ query, pageSize: 1 })) return wf.workflowId;
    return null;
  };
  const all = `WorkflowType = '${WORKFLOW_TYPE}'`;
  // A server that never ran a backtest may lack the attribute (it is registered with the others, by
  // `bike-retrain server` or a backtest): then no run is a backtest run.
  return latest(`${all} AND ${BACKTEST.name} IS NULL`).catch((err: unknown) => {
    if (
      /BikeRetrainBacktest|not defined|invalid/i.test(
        String((err as Error).message) + String((err as { cause?: Error }).cause?.message),
      )
    )
      return latest(all);
    throw err;
  });
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
