import { Context } from '@temporalio/activity';
import { modelParams, type RunConfig } from '../config/run-config';
import { concatCountTables, takeRows, type CountTable } from '../core/counts';
import type { ChallengerRef, RecentDataRef, RunKey } from '../core/domain';
import { DAY_MS, utcDay } from '../core/time';
import { readBaselineManifest, readBaselineSet } from '../data/baseline-store';
import { putCountTableArtifact, readCountTableArtifact } from '../data/count-artifacts';
import { trainModel } from '../model/champion-model';
import type { ActivityDeps } from './deps';
import { challengerModelKey, runArtifactKey } from './run-artifacts';

/**
 * Sliding window: the training baseline plus the older part of the recent
 * rows. The held-out part (test_current) is the most recent whole days, not
 * random rows: the model is judged on the future it will face, and hours of
 * one day never leak between training and test.
 */
export function makeTrainChallenger(deps: ActivityDeps) {
  return async function trainChallenger(args: {
    run: RunKey;
    recent: RecentDataRef;
    config: RunConfig;
  }): Promise<ChallengerRef> {
    const { artifacts } = deps;
    const ctx = Context.current();
    const refUri = artifacts.uriFor(runArtifactKey(args.run, 'challenger.json'));
    // An earlier attempt that finished training already wrote everything: return it.
    if (await artifacts.exists(refUri)) return JSON.parse(await artifacts.getText(refUri)) as ChallengerRef;

    ctx.heartbeat({ phase: 'loading' });
    const recent = await readCountTableArtifact(artifacts, args.recent.uri);
    const { train: recentTrain, holdout, holdoutDays } = splitByRecentDays(recent, args.config.windows.holdoutFraction);
    const testCurrentUri = await putCountTableArtifact(
      artifacts,
      runArtifactKey(args.run, 'test_current.parquet'),
      holdout,
    );
    const baseline = await readBaselineSet(artifacts, 'train');
    const manifest = await readBaselineManifest(artifacts);
    const training = concatCountTables([baseline, recentTrain]);
    const params = modelParams(args.config.model);
    const t0 = performance.now();
    const { bytes } = await trainModel(training, params, {
      signal: ctx.cancellationSignal,
      onProgress: (p) => ctx.heartbeat({ phase: 'training', done: p.done, total: p.total, unit: p.unit }),
      trainingData: {
        baseline: manifest.train,
        recent: { uri: args.recent.uri, rows: recentTrain.length, holdoutDays },
      },
    });
    const trainSeconds = (performance.now() - t0) / 1000;
    const { uri: modelUri } = await artifacts.putIfAbsent(challengerModelKey(args.run), bytes);
    const ref: ChallengerRef = {
      modelUri,
      modelType: params.modelType,
      testCurrentUri,
      testCurrentRows: holdout.length,
      holdoutDays,
      trainRows: training.length,
      trainSeconds,
      hyperparameters: params,
    };
    await artifacts.put(runArtifactKey(args.run, 'challenger.json'), JSON.stringify(ref));
    return ref;
  };
}

/** Splits off the most recent whole (UTC) days holding about `fraction` of the days, at least one. */
export function splitByRecentDays(
  t: CountTable,
  fraction: number,
): { train: CountTable; holdout: CountTable; holdoutDays: number } {
  const days = new Set<number>();
  for (let i = 0; i < t.length; i++) days.add(utcDay(t.timestampMs[i]));
  const sorted = [...days].sort((x, y) => x - y);
  const holdoutDays = Math.min(sorted.length - 1, Math.max(1, Math.round(sorted.length * fraction)));
  if (holdoutDays < 1) throw new Error(`recent data spans ${sorted.length} day(s): cannot hold out whole days`);
  const firstHoldoutMs = sorted[sorted.length - holdoutDays] * DAY_MS;
  const trainIdx: number[] = [];
  const holdIdx: number[] = [];
  for (let i = 0; i < t.length; i++) (t.timestampMs[i] >= firstHoldoutMs ? holdIdx : trainIdx).push(i);
  return { train: takeRows(t, trainIdx), holdout: takeRows(t, holdIdx), holdoutDays };
}
