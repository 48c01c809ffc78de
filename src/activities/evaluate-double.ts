import { Context } from '@temporalio/activity';
import type { ModelMetrics } from '../audit/audit-row';
import type { CountTable } from '../core/counts';
import { readBaselineSet } from '../datasets/baseline-datasets';
import { regressionMetrics } from '../evaluation/metrics';
import { loadTrainedModel, predictCounts } from '../model/champion-model';
import { readCountsParquet } from '../storage/count-parquet';
import type { ActivityDeps } from './deps';
import type { ChallengerRef, DoubleEvaluation, RunKey } from './types';

type Cell = 'champion.baseline' | 'champion.current' | 'challenger.baseline' | 'challenger.current';
const CELLS: Cell[] = ['champion.baseline', 'champion.current', 'challenger.baseline', 'challenger.current'];

/**
 * Champion AND challenger, each on test_baseline and on the same
 * test_current. Each finished cell goes into the heartbeat details, so an
 * attempt after a worker restart resumes with the cells still missing.
 */
export function makeEvaluateDouble(deps: ActivityDeps) {
  return async function evaluateDouble(args: { run: RunKey; championUri: string; challenger: ChallengerRef }): Promise<DoubleEvaluation> {
    const ctx = Context.current();
    const done: Partial<Record<Cell, ModelMetrics>> = { ...((ctx.info.heartbeatDetails as { done?: Partial<Record<Cell, ModelMetrics>> } | undefined)?.done ?? {}) };
    const missing = CELLS.filter((c) => !done[c]);
    if (missing.length > 0) {
      const sets: Partial<Record<'baseline' | 'current', CountTable>> = {};
      const loadSet = async (which: 'baseline' | 'current') =>
        (sets[which] ??= which === 'baseline'
          ? await readBaselineSet(deps.artifacts, 'test')
          : await readCountsParquet(await deps.artifacts.localPath(args.challenger.testCurrentUri)));
      const uris = { champion: args.championUri, challenger: args.challenger.modelUri };
      for (const cell of missing) {
        const [who, which] = cell.split('.') as ['champion' | 'challenger', 'baseline' | 'current'];
        const model = loadTrainedModel(await deps.artifacts.get(uris[who]), uris[who]);
        const { yTrue, yPred } = await predictCounts(model, await loadSet(which));
        done[cell] = regressionMetrics(yTrue, yPred);
        ctx.heartbeat({ done, progress: `${CELLS.filter((c) => done[c]).length}/4 evaluations` });
      }
    }
    return {
      champion: { baseline: done['champion.baseline']!, current: done['champion.current']! },
      challenger: { baseline: done['challenger.baseline']!, current: done['challenger.current']! },
    };
  };
}
