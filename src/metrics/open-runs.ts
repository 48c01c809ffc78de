import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { WORKFLOW_TYPE } from '../client/ids';
import { BACKTEST, STEP } from '../workflows/search-attributes';
import type { OpenRun } from './domain-metrics';

const AWAITING_APPROVAL = 'awaitingApproval';
const MAX_OPEN_RUNS = 100;

/**
 * The weekly runs open now, from visibility (backtest replays left out). For
 * a deploy waiting for approval, the wait's start and length come from its
 * history: the approval `condition` is the run's one pending timer, started
 * when the wait began with the run's own `approvalTimeoutMs` (runs may
 * override it). Needs no worker: histories are read from the server.
 */
export async function listOpenRuns(client: Client): Promise<OpenRun[]> {
  const open = `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;
  const runs = await list(client, `${open} AND ${BACKTEST.name} IS NULL`).catch((err: unknown) => {
    // A server that never ran a backtest may not know the attribute (as in client/status.ts): no run is one.
    if (/BikeRetrainBacktest|not defined|invalid/i.test(describe(err))) return list(client, open);
    throw err;
  });
  return Promise.all(
    runs.map(async (r) =>
      r.step === AWAITING_APPROVAL ? { ...r, ...(await approvalWait(client, r.workflowId, r.runId)) } : r,
    ),
  );
}

async function list(client: Client, query: string): Promise<OpenRun[]> {
  const out: OpenRun[] = [];
  for await (const wf of client.workflow.list({ query, pageSize: MAX_OPEN_RUNS })) {
    out.push({ workflowId: wf.workflowId, runId: wf.runId, step: wf.typedSearchAttributes.get(STEP) ?? null });
    if (out.length >= MAX_OPEN_RUNS) break;
  }
  return out;
}

async function approvalWait(client: Client, workflowId: string, runId: string): Promise<Pick<OpenRun, 'approvalWait'>> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const pending = new Map<string, { sinceMs: number; timeoutMs: number }>();
  for (const e of history.events ?? []) {
    const started = e.timerStartedEventAttributes;
    if (started?.timerId)
      pending.set(started.timerId, { sinceMs: tsToMs(e.eventTime), timeoutMs: tsToMs(started.startToFireTimeout) });
    const closedId = e.timerFiredEventAttributes?.timerId ?? e.timerCanceledEventAttributes?.timerId;
    if (closedId) pending.delete(closedId);
  }
  const wait = [...pending.values()].at(-1);
  return wait ? { approvalWait: wait } : {};
}

function describe(err: unknown): string {
  return String((err as Error).message) + String((err as { cause?: Error }).cause?.message);
}
