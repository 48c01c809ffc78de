import {
  ChildWorkflowFailure,
  executeChild,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type {
  BacktestInput,
  BacktestProgress,
  BacktestResult,
  BacktestRun,
  BacktestWeek,
  MonitorResult,
} from '../core/domain';
import { NON_RETRYABLE_ERROR_TYPES } from '../core/errors';
import { backtestProgressQuery } from './definitions';
import { monitorAndFineTune } from './monitor-and-fine-tune';
import { BACKTEST } from './search-attributes';

type Activities = ReturnType<typeof createActivities>;

const { scoreModels } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '20 seconds', // scoreModels heartbeats every 2 s (activities/keep-alive.ts)
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
  },
});

/**
 * Replays the weekly workflow over history, the way a team checks a
 * retraining policy before trusting it: for each `asOf`, in order, one child
 * `monitorAndFineTune` per chain (each chain on a copy of the data, served on
 * its own task queue), then every policy's production model scored on the
 * interval that follows: the configured policy's champion, "always promote"'s,
 * and the starting champion ("never retrain"). No shortcut around the
 * workflow: the children are the very runs production would make.
 */
export async function backtestMonitorAndFineTune(input: BacktestInput): Promise<BacktestResult> {
  const info = workflowInfo();
  const progress: BacktestProgress = { done: 0, total: input.asOfs.length * input.chains.length, current: null };
  setHandler(backtestProgressQuery, () => progress);
  const champions: Record<string, string> = { never: input.startChampion.modelUri };
  for (const chain of input.chains) champions[chain.policy] = input.startChampion.modelUri;
  const weeks: BacktestWeek[] = [];

  for (const asOf of input.asOfs) {
    const week: BacktestWeek = { asOf, runs: {}, next: {} };
    for (const chain of input.chains) {
      progress.current = `${chain.policy} run as of ${asOf}`;
      setCurrentDetails(`**${progress.done}/${progress.total} runs**: ${progress.current}`);
      const workflowId = `${info.workflowId}--${chain.policy}--${asOf.slice(0, 10)}`;
      let run: BacktestRun;
      try {
        const r: MonitorResult = await executeChild(monitorAndFineTune, {
          workflowId,
          taskQueue: chain.taskQueue,
          args: [{ ...chain.input, asOf }],
          typedSearchAttributes: [{ key: BACKTEST, value: true }],
        });
        run = { workflowId, decision: r.decision, reason: r.reason, championVersion: r.championVersion };
        if (r.championModelUri) champions[chain.policy] = r.championModelUri;
      } catch (err) {
        // A failed week is a result too (bad data, no champion…): the champion stays, the next week goes on.
        const cause = err instanceof ChildWorkflowFailure ? (err.cause?.message ?? err.message) : String(err);
        run = { workflowId, decision: 'failed', reason: cause, championVersion: null };
      }
      week.runs[chain.policy] = run;
      progress.done++;
    }
    const fromMs = Date.parse(asOf);
    week.next = await scoreModels.executeWithOptions(
      {
        taskQueue: input.scoreTaskQueue,
        summary: `each policy's model on the ${Math.round(input.horizonMs / 86_400_000)} days after ${asOf}`,
      },
      [{ window: { fromMs, toMs: fromMs + input.horizonMs }, models: { ...champions } }],
    );
    weeks.push(week);
  }
  progress.current = null;
  setCurrentDetails(`**done**: ${progress.total} runs over ${input.asOfs.length} weeks`);
  return { weeks };
}
