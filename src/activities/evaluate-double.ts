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

/**
 * One block id per counter × UTC day: counter k (in order of first appearance) and day d give
 * k × 2^21 + (d + 2^20), one number per pair for any day within ±2,800 years of 1970. Numbers, not
 * `${counter}|${day}` strings: 100K string keys cost the bootstrap's block index more than its draws.
 */
function counterDayBlocks(t: CountTable): Float64Array {
  const counters = new Map<string, number>();
  const out = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) {
    let k = counters.get(t.counterId[i]);
    if (k === undefined) counters.set(t.counterId[i], (k = counters.size));
    const day = utcDay(t.timestampMs[i]);
    if (!(Math.abs(day) < 2 ** 20))
      throw new RangeError(`row ${i}: timestamp ${t.timestampMs[i]} is not a day of ±2,800 years`);
    out[i] = k * 2 ** 21 + (day + 2 ** 20);
  }
  return out;
}
