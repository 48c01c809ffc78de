import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/client';
import type { MonitorInput } from '../core/domain';
import type { EnvConfig } from '../config/env-config';
import type { MonitorResult } from '../core/domain';
import { DECISION, DRIFT_DETECTED, FORCED } from '../workflows/search-attributes';
import { MANUAL_WORKFLOW_ID, WORKFLOW_TYPE } from './ids';
import { withHeavyTaskQueue } from './run-input';

/** The ids live in ./ids (no SDK import); re-exported for existing callers. */
export { MANUAL_WORKFLOW_ID, WORKFLOW_TYPE };

export class RunInProgressError extends Error {
  override readonly name = 'RunInProgressError';
}

export async function triggerRun(
  client: Client,
  cfg: Pick<EnvConfig, 'taskQueue'> & Partial<Pick<EnvConfig, 'heavyTaskQueue'>>,
  requested: MonitorInput,
  workflowId = MANUAL_WORKFLOW_ID,
): Promise<{ workflowId: string; runId: string; result: () => Promise<MonitorResult> }> {
  const input = withHeavyTaskQueue(requested, cfg);
  try {
    const handle = await client.workflow.start(WORKFLOW_TYPE, {
      taskQueue: cfg.taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: [{ key: FORCED, value: input.forceFineTune === true }],
      staticSummary: describeInput(input),
      staticDetails: `Weekly monitor & fine-tune of the bike-count champion.\n\nInput: \`${JSON.stringify(input)}\``,
    });
    return {
      workflowId: handle.workflowId,
      runId: handle.firstExecutionRunId,
      result: () => handle.result() as Promise<MonitorResult>,
    };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError)
      throw new RunInProgressError(
        `a run of ${workflowId} is already in progress; wait for it (\`bike-retrain status\`) or cancel it (\`temporal workflow cancel --workflow-id ${workflowId}\`)`,
      );
    throw err;
  }
}

export function describeInput(input: MonitorInput): string {
  const parts = [input.forceFineTune ? 'forced fine-tune' : 'monitor'];
  if (input.testMode) parts.push('test mode');
  if (input.asOf) parts.push(`as of ${input.asOf}`);
  if (input.overrides) parts.push('with overrides');
  if (input.triggerSource === 'schedule') parts.push('scheduled');
  return parts.join(', ');
}

export { DECISION, DRIFT_DETECTED, FORCED };
