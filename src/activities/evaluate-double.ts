import { Context } from '@temporalio/activity';
import { championPredictionsOnTestBaseline, keepTestBaselinePredictions } from '../champion/baseline-predictions';
import { loadModelAndDigestOnce, loadModelOnce } from '../champion/champion-ref';
import type { RunConfig } from '../config/run-config';
import type { CountTable } from '../core/counts';
import type { ChallengerRef, ChampionRef, DoubleEvaluation, ModelMetrics, RunKey, SetComparison } from '../core/domain';
import { utcDay } from '../core/time';
import { readBaselineManifest, readBaselineSet } from '../data/baseline-store';
import { readCountTableArtifactKept } from '../data/kept-count-tables';
import { predictCounts } from '../model/champion-model';
import { pairedBlockBootstrapRatio, regressionMetrics, residuals, wilcoxonSignedRank } from '../stats';
import type { ActivityDeps } from './deps';

type TestSet = 'baseline' | 'current';
interface SetResult {
  champion: ModelMetrics;
  challenger: ModelMetrics;
  comparison: SetComparison;
}

/**
 * Champion AND challenger on exactly the same rows of test_baseline and of
 * test_current, with a paired block bootstrap (blocks = counter × day) of
 * RMSE(challenger) ÷ RMSE(champion) on each set and a Wilcoxon signed-rank
 * test on absolute errors. Each finished test set goes into the heartbeat
 * details, so an attempt after a worker restart resumes with what is missing.
 */
export function makeEvaluateDouble(deps: ActivityDeps) {
  return async function evaluateDouble(args: {
    run: RunKey;
    championUri: string;
    /** The run's champion (absent in runs recorded before it was resolved once): its test_baseline scores are cached. */
    champion?: ChampionRef;
    challenger: ChallengerRef;
    config?: RunConfig;
  }): Promise<DoubleEvaluation> {
    const ctx = Context.current();
    const done: Partial<Record<TestSet, SetResult>> = {
      ...((ctx.info.heartbeatDetails as { sets?: Partial<Record<TestSet, SetResult>> } | undefined)?.sets ?? {}),
    };
    const p = args.config?.promotion ?? deps.runDefaults.promotion;
    const championModel = () => loadModelOnce(deps.artifacts, args.championUri);
    const testContentHash = async () => (await readBaselineManifest(deps.artifacts)).test.contentHash;
    for (const set of ['baseline', 'current'] as const) {
      if (done[set]) continue;
      const rows: CountTable =
        set === 'baseline'
          ? await readBaselineSet(deps.artifacts, 'test')
          : await readCountTableArtifactKept(
              deps.artifacts,
              args.challenger.testCurrentUri,
              args.challenger.testCurrentSha256,
            );
      const champ =
        set === 'baseline' && args.champion
          ? await championPredictionsOnTestBaseline(deps.artifacts, args.champion, championModel, {
              table: rows,
              contentHash: await testContentHash(),
            })
          : await predictCounts(await championModel(), rows);
      const challenger = await loadModelAndDigestOnce(deps.artifacts, args.challenger.modelUri);
      const chall = await predictCounts(challenger.model, rows);
      // Were the challenger promoted, the next run's champion predictions on test_baseline are these.
      if (set === 'baseline')
        await keepTestBaselinePredictions(deps.artifacts, challenger.sha256, await testContentHash(), chall.yPred);
      const errChamp = residuals(champ.yTrue, champ.yPred);
      const errChall = residuals(chall.yTrue, chall.yPred);
      const ratio = pairedBlockBootstrapRatio({
        errorsA: errChall,
        errorsB: errChamp,
        blocks: counterDayBlocks(rows),
        resamples: p.bootstrapResamples,
        seed: p.bootstrapSeed,
        confidence: p.confidence,
      });
      const w = wilcoxonSignedRank(errChall.map(Math.abs), errChamp.map(Math.abs));
      done[set] = {
        champion: regressionMetrics(champ.yTrue, champ.yPred),
        challenger: regressionMetrics(chall.yTrue, chall.yPred),
        comparison: {
          rmseRatio: ratio.ratio,
          lo: ratio.lo,
          hi: ratio.hi,
          confidence: ratio.confidence,
          resamples: ratio.resamples,
          blocks: ratio.blocks,
          wilcoxonZ: w.z,
          wilcoxonP: w.pValue,
        },
      };
      ctx.heartbeat({ sets: done, progress: `${Object.keys(done).length}/2 test sets` });
    }
    const b = done.baseline!;
    const c = done.current!;
    return {
      champion: { baseline: b.champion, current: c.champion },
      challenger: { baseline: b.challenger, current: c.challenger },
      comparison: { baseline: b.comparison, current: c.comparison },
    };
  };
}

function counterDayBlocks(t: CountTable): string[] {
  const out = new Array<string>(t.length);
  for (let i = 0; i < t.length; i++) out[i] = `${t.counterId[i]}|${utcDay(t.timestampMs[i])}`;
  return out;
}
