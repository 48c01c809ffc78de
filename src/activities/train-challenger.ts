import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { modelParams, type RunConfig } from '../config/run-config';
import { lineageOf, manifestSource } from '../champion/lineage';
import { concatCountTables, emptyCountTable, takeRows, timeSpan, type CountTable } from '../core/counts';
import type {
  ChallengerRef,
  ChampionRef,
  RecentDataRef,
  RunKey,
  TestSetIntegrity,
  TestSetOverlap,
  TrainingLineage,
  TrainingSource,
} from '../core/domain';
import { DAY_MS, HOUR_MS, utcDay } from '../core/time';
import { readBaselineManifest, readBaselineSet, type BaselineManifest } from '../data/baseline-store';
import { readCountTableArtifact } from '../data/count-artifacts';
import { putCountTableArtifactKept } from '../data/kept-count-tables';
import { countSharedRows } from '../data/shared-rows';
import { countTableContentHash } from '../data/baseline';
import { FEATURE_PIPELINE_VERSION, SEASONAL_FEATURES } from '../features/pipeline';
import { trainModel } from '../model/champion-model';
import type { ModelParams } from '../model';
import { summarizeLevelAdjustment } from '../model/level-adjustment';
import { SeededRandom } from '../stats/random';
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
    /** The run's champion: test_current leaves out every row it trained on (absent in older runs). */
    champion?: ChampionRef;
  }): Promise<ChallengerRef> {
    const { artifacts } = deps;
    const ctx = Context.current();
    const refUri = artifacts.uriFor(runArtifactKey(args.run, 'challenger.json'));
    // An earlier attempt that finished training already wrote everything: return it.
    if (await artifacts.exists(refUri)) return JSON.parse(await artifacts.getText(refUri)) as ChallengerRef;

    ctx.heartbeat({ phase: 'loading' });
    const manifest = await readBaselineManifest(artifacts);
    const recent = await readCountTableArtifact(artifacts, args.recent.uri);
    const testBaseline = await readBaselineSet(artifacts, 'test');
    const sets = await keepTestSetsUnseen(deps, {
      recent,
      recentUri: args.recent.uri,
      manifest,
      testBaseline,
      holdoutFraction: args.config.windows.holdoutFraction,
      champion: args.champion ?? null,
    });
    // Kept in this process too: evaluateDouble, when it runs here, does not read these rows again.
    const testCurrent = await putCountTableArtifactKept(
      artifacts,
      runArtifactKey(args.run, 'test_current.parquet'),
      sets.testCurrent,
    );
    const baseline = await readBaselineSet(artifacts, 'train');
    const training = concatCountTables([baseline, sets.recentTrain]);
    ctx.heartbeat({ phase: 'checking test sets' });
    const integrity: TestSetIntegrity = {
      champion: sets.champion,
      challenger: {
        lineage: { sources: [manifestSource(manifest.train)!, ...sets.recentSources] },
        overlap: {
          testBaseline: countSharedRows(testBaseline, training),
          testCurrent: countSharedRows(sets.testCurrent, training),
        },
        untrimmedTestBaselineOverlap: countSharedRows(testBaseline, recent),
      },
      trims: sets.trims,
    };
    const params = modelParams(args.config.model);
    const recentShare = args.config.training?.recentShare ?? null;
    const allWeights = recentWeights(baseline.length, sets.recentTrain.length, recentShare);
    const kept = sampleRowIndices(training.length, args.config.training?.sampleRows ?? null, params.seed);
    const trainingRows = kept ? takeRows(training, kept) : training;
    const weights =
      allWeights && kept
        ? { ...allWeights, sampleWeight: Float64Array.from(kept, (i) => allWeights.sampleWeight[i]) }
        : allWeights;
    const levelDays = args.config.training?.levelWindowDays ?? null;
    const levelWindow = levelDays && sets.recentTrain.length > 0 ? lastDays(sets.recentTrain, levelDays) : undefined;
    const t0 = performance.now();
    const { bytes, model } = await trainModel(trainingRows, params, {
      ...(levelWindow ? { levelWindow } : {}),
      ...(weights ? { sampleWeight: weights.sampleWeight } : {}),
      ...(args.config.training?.seasonalFeatures === false ? { omitFeatures: SEASONAL_FEATURES } : {}),
      signal: ctx.cancellationSignal,
      onProgress: (p) => ctx.heartbeat({ phase: 'training', done: p.done, total: p.total, unit: p.unit }),
      fitKey: challengerFitKey(manifest.train.contentHash, sets.recentTrain, params, args.config.training),
      trainingData: {
        baseline: manifest.train,
        recent: { uri: args.recent.uri, rows: sets.recentTrain.length, holdoutDays: sets.holdoutDays },
      },
    });
    const trainSeconds = (performance.now() - t0) / 1000;
    const { uri: modelUri } = await artifacts.putIfAbsent(challengerModelKey(args.run), bytes);
    const level = model.level ? summarizeLevelAdjustment(model.level) : null;
    const ref: ChallengerRef = {
      modelUri,
      modelType: params.modelType,
      testCurrentUri: testCurrent.uri,
      testCurrentSha256: testCurrent.sha256,
      testCurrentRows: sets.testCurrent.length,
      holdoutDays: sets.holdoutDays,
      testCurrentDays: distinctDays(sets.testCurrent),
      trainRows: trainingRows.length,
      trainSeconds,
      hyperparameters: {
        ...params,
        ...(weights ? { recentShare, recentRowWeight: weights.recentRowWeight } : {}),
        ...(args.config.training?.seasonalFeatures === false ? { seasonalFeatures: false } : {}),
        ...(kept ? { sampleRows: kept.length } : {}),
        ...(levelWindow ? { levelWindowDays: levelDays } : {}),
      },
      integrity,
      ...(level ? { level } : {}),
    };
    await artifacts.put(runArtifactKey(args.run, 'challenger.json'), JSON.stringify(ref));
    return ref;
  };
}

/**
 * No row of a test set is ever a training row of a model scored on it:
 * - the challenger never trains on recent rows at or before the end of
 *   test_baseline (they are test rows, or rows the baseline already holds);
 * - test_current, the most recent whole days, leaves out every row inside the
 *   champion's training sources.
 * Each trim is reported with its reason; the overlaps are then counted on the rows.
 */
async function keepTestSetsUnseen(
  deps: ActivityDeps,
  o: {
    recent: CountTable;
    recentUri: string;
    manifest: BaselineManifest;
    testBaseline: CountTable;
    holdoutFraction: number;
    champion: ChampionRef | null;
  },
): Promise<{
  recentTrain: CountTable;
  testCurrent: CountTable;
  holdoutDays: number;
  recentSources: TrainingSource[];
  champion: TestSetIntegrity['champion'];
  trims: string[];
}> {
  const trims: string[] = [];
  const testEndMs = o.manifest.test.toMs; // inclusive
  const fresh = rowsWhere(o.recent, (ts) => ts > testEndMs);
  if (fresh.length < o.recent.length)
    trims.push(
      `left out ${o.recent.length - fresh.length} recent rows at or before the end of test_baseline ` +
        `(${iso(testEndMs)}): the challenger never trains on a test period`,
    );
  const split =
    distinctDays(fresh) >= 2
      ? splitByRecentDays(fresh, o.holdoutFraction)
      : { train: fresh, holdout: emptyCountTable(), holdoutDays: 0 };
  const recentSources: TrainingSource[] =
    split.train.length > 0
      ? [
          {
            uri: o.recentUri,
            fromMs: testEndMs + 1,
            toMs: split.holdout.length > 0 ? timeSpan(split.holdout).minMs : timeSpan(split.train).maxMs + 1,
            rows: split.train.length,
          },
        ]
      : [];

  let testCurrent = split.holdout;
  let champion: TestSetIntegrity['champion'] = {
    lineage: { unknown: 'runs recorded before the champion was resolved once do not name it' },
    overlap: { testBaseline: null, testCurrent: null },
  };
  if (o.champion) {
    const version = await deps.registry.version(o.champion.version);
    const lineage: TrainingLineage = version
      ? await lineageOf(version, deps)
      : { unknown: `version ${o.champion.version} is not in the registry` };
    if ('sources' in lineage) {
      const seen = (ts: number) => lineage.sources.some((s) => ts >= s.fromMs && ts < s.toMs);
      const kept = rowsWhere(testCurrent, (ts) => !seen(ts));
      if (kept.length < testCurrent.length)
        trims.push(
          `left out ${testCurrent.length - kept.length} test_current rows inside the champion's training data ` +
            `(v${o.champion.version}): it is never scored on rows it trained on`,
        );
      testCurrent = kept;
    } else
      trims.push(`champion v${o.champion.version}: training rows unknown (${lineage.unknown}); overlap not checked`);
    champion = { lineage, overlap: await championOverlap(deps, lineage, o.testBaseline, testCurrent) };
  }
  return { recentTrain: split.train, testCurrent, holdoutDays: split.holdoutDays, recentSources, champion, trims };
}

/** The champion's training rows joined to both test sets: only the rows of its sources within each set's time span. */
async function championOverlap(
  deps: ActivityDeps,
  lineage: TrainingLineage,
  testBaseline: CountTable,
  testCurrent: CountTable,
): Promise<TestSetOverlap> {
  if (!('sources' in lineage)) return { testBaseline: null, testCurrent: null };
  const overlapWith = async (test: CountTable, fromMs: number, toMs: number) => {
    let shared = 0;
    for (const s of lineage.sources) {
      const window = { fromMs: Math.max(fromMs, s.fromMs), toMs: Math.min(toMs, s.toMs) };
      if (window.fromMs >= window.toMs) continue;
      shared += countSharedRows(test, await readCountTableArtifact(deps.artifacts, s.uri, window));
    }
    return shared;
  };
  // Only the rows of each source within the test set's own time span can be among its rows.
  const within = async (test: CountTable) => {
    if (test.length === 0) return 0;
    const { minMs, maxMs } = timeSpan(test);
    return overlapWith(test, minMs, maxMs + 1);
  };
  return { testBaseline: await within(testBaseline), testCurrent: await within(testCurrent) };
}

/**
 * Weights giving the recent rows `share` of the total training weight
 * (baseline rows weigh 1): after a shift, three weeks must be able to
 * outweigh a year. null: every row weighs the same.
 */
export function recentWeights(
  baselineRows: number,
  recentRows: number,
  share: number | null,
): { sampleWeight: Float64Array; recentRowWeight: number } | null {
  if (share === null || recentRows === 0 || baselineRows === 0) return null;
  const recentRowWeight = (share / (1 - share)) * (baselineRows / recentRows);
  const sampleWeight = new Float64Array(baselineRows + recentRows).fill(1);
  sampleWeight.fill(recentRowWeight, baselineRows);
  return { sampleWeight, recentRowWeight };
}

/** `rows` indices drawn without replacement from [0, n), ascending, seeded; null when no sample is asked or needed. */
export function sampleRowIndices(n: number, rows: number | null, seed: number): Uint32Array | null {
  if (rows === null || rows >= n) return null;
  // Partial Fisher–Yates over the indices: the first `rows` slots are the sample.
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const rng = new SeededRandom(seed);
  for (let i = 0; i < rows; i++) {
    const j = i + rng.int(n - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.subarray(0, rows).sort();
}

function rowsWhere(t: CountTable, keep: (timestampMs: number) => boolean): CountTable {
  const idx: number[] = [];
  for (let i = 0; i < t.length; i++) if (keep(t.timestampMs[i])) idx.push(i);
  return idx.length === t.length ? t : takeRows(t, idx);
}

/** The last `days` days of a table's rows, [from, last row's hour + 1 h), never before its first row. */
function lastDays(t: CountTable, days: number): { fromMs: number; toMs: number } {
  const { minMs, maxMs } = timeSpan(t);
  const toMs = maxMs + HOUR_MS;
  return { fromMs: Math.max(minMs, toMs - days * DAY_MS), toMs };
}

function distinctDays(t: CountTable): number {
  const days = new Set<number>();
  for (let i = 0; i < t.length; i++) days.add(utcDay(t.timestampMs[i]));
  return days.size;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
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

/**
 * What a challenger's fit depends on, hashed: train_baseline (its manifest's content hash), the recent rows
 * it trains on (their content), the model's parameters (the seed included), the training options (recent
 * share, row sample, seasonal features, level window) and the feature pipeline's version; the rows
 * concatenated, the weights, the sample and the level window all derive from these. Two runs in one
 * process with the same key (a backtest's policy chains, most weeks) share one fit (shared-fit.ts).
 */
export function challengerFitKey(
  baselineContentHash: string,
  recentTrain: CountTable,
  params: ModelParams,
  training: RunConfig['training'] | undefined,
): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        v: 1,
        pipeline: FEATURE_PIPELINE_VERSION,
        baseline: baselineContentHash,
        recent: countTableContentHash(recentTrain),
        params,
        training: training ?? null,
      }),
    )
    .digest('hex');
}
