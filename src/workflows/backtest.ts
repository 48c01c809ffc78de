import {
  ChildWorkflowFailure,
  condition,
  executeChild,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type {
  BacktestChain,
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

/**
 * patched() id: the chains run side by side (each still week after week), and
 * each week is scored as soon as every chain has run it, while the next weeks
 * run (issue 14). Backtests recorded before it replay one run at a time.
 */
export const CONCURRENT_CHAINS = 'backtest-concurrent-chains-v1';

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
 * its own task queue; the chains side by side), then every policy's production model scored on the
 * interval that follows: the configured policy's champion, "always promote"'s,
 * and the starting champion ("never retrain"). No shortcut around the
 * workflow: the children are the very runs production would make.
 */
export async function backtestMonitorAndFineTune(input: BacktestInput): Promise<BacktestResult> {
  const progress: BacktestProgress = { done: 0, total: input.asOfs.length * input.chains.length, current: null };
  setHandler(backtestProgressQuery, () => progress);
  const weeks = patched(CONCURRENT_CHAINS)
    ? await chainsSideBySide(input, progress)
    : await oneRunAtATime(input, progress);
  progress.current = null;
  setCurrentDetails(`**done**: ${progress.total} runs over ${input.asOfs.length} weeks`);
  return { weeks };
}

/**
 * Chains share nothing but the starting champion, so each runs its weeks in
 * order on its own worker while the others run theirs: on a machine with idle
 * cores while one chain reads, scores or waits on Temporal, the other trains.
 * A week's scoring needs every chain's champion after that week, and overlaps
 * the weeks after it. The result is the same as one run at a time.
 */
async function chainsSideBySide(input: BacktestInput, progress: BacktestProgress): Promise<BacktestWeek[]> {
  const start = input.startChampion.modelUri;
  const runs: Record<string, BacktestRun>[] = input.asOfs.map(() => ({}));
  const champions: Record<string, string>[] = input.asOfs.map(() => ({}));
  const next: BacktestWeek['next'][] = input.asOfs.map(() => ({}));
  const current = new Map<string, string>();
  const report = () => {
    progress.current = current.size > 0 ? [...current.values()].join('; ') : null;
    setCurrentDetails(`**${progress.done}/${progress.total} runs**: ${progress.current ?? 'scoring'}`);
  };

  const runChain = async (chain: BacktestChain): Promise<void> => {
    let champion = start;
    for (let k = 0; k < input.asOfs.length; k++) {
      current.set(chain.policy, `${chain.policy} run as of ${input.asOfs[k]}`);
      report();
      const r = await runWeek(chain, input.asOfs[k]);
      if (r.modelUri) champion = r.modelUri;
      runs[k][chain.policy] = r.run;
      champions[k][chain.policy] = champion;
      progress.done++;
    }
    current.delete(chain.policy);
    report();
  };
  const scoreWeek = async (k: number): Promise<void> => {
    await condition(() => input.chains.every((c) => runs[k][c.policy] !== undefined));
    // The same models, in the same order, as one run at a time would score.
    const models: Record<string, string> = { never: start };
    for (const c of input.chains) models[c.policy] = champions[k][c.policy];
    next[k] = await scoreNextInterval(input, input.asOfs[k], models);
  };

  await Promise.all([...input.chains.map(runChain), ...input.asOfs.map((_, k) => scoreWeek(k))]);
  // Runs keyed in chain order, whichever finished first.
  return input.asOfs.map((asOf, k) => ({
    asOf,
    runs: Object.fromEntries(input.chains.map((c) => [c.policy, runs[k][c.policy]])),
    next: next[k],
  }));
}

/** Backtests started before CONCURRENT_CHAINS: each week, each chain's run in turn, then the scoring. */
async function oneRunAtATime(input: BacktestInput, progress: BacktestProgress): Promise<BacktestWeek[]> {
  const champions: Record<string, string> = { never: input.startChampion.modelUri };
  for (const chain of input.chains) champions[chain.policy] = input.startChampion.modelUri;
  const weeks: BacktestWeek[] = [];

  for (const asOf of input.asOfs) {
    const week: BacktestWeek = { asOf, runs: {}, next: {} };
    for (const chain of input.chains) {
      progress.current = `${chain.policy} run as of ${asOf}`;
      setCurrentDetails(`**${progress.done}/${progress.total} runs**: ${progress.current}`);
      const r = await runWeek(chain, asOf);
      if (r.modelUri) champions[chain.policy] = r.modelUri;
      week.runs[chain.policy] = r.run;
      progress.done++;
    }
    week.next = await scoreNextInterval(input, asOf, { ...champions });
    weeks.push(week);
  }
  return weeks;
}

/** One chain's weekly run as a child workflow; a failed week is a result too (bad data, no champion…). */
async function runWeek(chain: BacktestChain, asOf: string): Promise<{ run: BacktestRun; modelUri?: string | null }> {
  const workflowId = `${workflowInfo().workflowId}--${chain.policy}--${asOf.slice(0, 10)}`;
  try {
    const r: MonitorResult = await executeChild(monitorAndFineTune, {
      workflowId,
      taskQueue: chain.taskQueue,
      args: [{ ...chain.input, asOf }],
      typedSearchAttributes: [{ key: BACKTEST, value: true }],
    });
    return {
      run: { workflowId, decision: r.decision, reason: r.reason, championVersion: r.championVersion },
      modelUri: r.championModelUri,
    };
  } catch (err) {
    // The champion stays, the next week goes on.
    const cause = err instanceof ChildWorkflowFailure ? (err.cause?.message ?? err.message) : String(err);
    return { run: { workflowId, decision: 'failed', reason: cause, championVersion: null } };
  }
}

/** Each policy's production model scored on the interval after `asOf`. */
function scoreNextInterval(
  input: BacktestInput,
  asOf: string,
  models: Record<string, string>,
): Promise<BacktestWeek['next']> {
  const fromMs = Date.parse(asOf);
  return scoreModels.executeWithOptions(
    {
      taskQueue: input.scoreTaskQueue,
      summary: `each policy's model on the ${Math.round(input.horizonMs / 86_400_000)} days after ${asOf}`,
    },
    [{ window: { fromMs, toMs: fromMs + input.horizonMs }, models }],
  );
}
