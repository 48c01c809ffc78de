import { Context } from '@temporalio/activity';
import { championPredictionsOnTestBaseline } from '../champion/baseline-predictions';
import { loadModelOnce, resolveChampionRef } from '../champion/champion-ref';
import { driftReferenceKey, keepDriftReference, readDriftReference } from '../champion/drift-reference';
import type { RunConfig } from '../config/run-config';
import type { CountTable } from '../core/counts';
import type { ChampionRef, ChampionValidation, DriftResult, RunKey } from '../core/domain';
import { ConfigError } from '../core/errors';
import { DAY_MS, utcDay } from '../core/time';
import { assertValidCounts } from '../core/validate-counts';
import { readBaselineManifest, readBaselineSet } from '../data/baseline-store';
import { renderDriftReportHtml, renderDriftReportJson, runDriftCheck } from '../drift';
import { predictCounts } from '../model/champion-model';
import { regressionMetrics } from '../stats/regression-metrics';
import type { ActivityDeps } from './deps';
import { runArtifactKey } from './run-artifacts';

/**
 * The weekly assessment: the training baseline against the last `driftDays`
 * before asOf — data drift (seasonally matched, effect size AND corrected
 * significance), data quality, the champion's performance on those days
 * against its own on test_baseline, and whether a fine-tune would have enough
 * new data (the training gates). The full report (HTML + JSON) is stored as
 * artifacts; the result carries only the verdict and small summaries.
 *
 * With the run's champion given and the drift window equal to the validation
 * window (the default), the champion's scores on that window are the
 * validation too: the window is read and scored once.
 */
export function makeDetectDrift(deps: ActivityDeps) {
  return async function detectDrift(args: {
    run: RunKey;
    asOfMs: number;
    config: RunConfig;
    champion?: ChampionRef;
  }): Promise<DriftResult> {
    const { config, asOfMs } = args;
    const ctx = Context.current();
    ctx.heartbeat({ phase: 'loading' });
    const manifest = await readBaselineManifest(deps.artifacts);
    // train_baseline is read while the warehouse answers (two DuckDB instances, overlapping their I/O).
    const referenceRead = readBaselineSet(deps.artifacts, 'train');
    referenceRead.catch(() => undefined); // awaited below
    const summaryKey = driftReferenceKey(manifest.train.contentHash, config.drift.quality.minBaselineRows);
    const referenceSummary = await readDriftReference(deps.artifacts, summaryKey);
    const window = { fromMs: asOfMs - config.windows.driftDays * DAY_MS, toMs: asOfMs };
    // The training gates: would a fine-tune have enough new rows, over enough days? Asked together with
    // the window's rows, so the embedded warehouse opens its file once for both (concurrent operations
    // share one DuckDB instance) instead of opening and closing it twice.
    const recentWindow = { fromMs: asOfMs - config.windows.recentDays * DAY_MS, toMs: asOfMs };
    const newDataSummary = deps.warehouse.summarizeCounts(recentWindow);
    newDataSummary.catch(() => undefined); // awaited below; a failure before then is not unhandled
    const current = await deps.warehouse.queryCounts(window);
    // No rows at all is bad input (nothing to monitor), not a transient fault: fail now, name the window.
    assertValidCounts(current, deps.warehouse.source(window));
    const reference = await referenceRead;
    // Runs recorded before the champion was resolved once look it up here; without one the data checks still run.
    const champion =
      args.champion ??
      (await resolveChampionRef(deps).catch((err: unknown) => {
        if (err instanceof ConfigError) return null; // no champion yet
        throw err;
      }));
    let performance;
    let championValidation: ChampionValidation | undefined;
    if (champion) {
      ctx.heartbeat({ phase: 'scoring champion', version: champion.version });
      const model = () => loadModelOnce(deps.artifacts, champion.modelUri);
      const recent = await predictCounts(await model(), current);
      const testBaseline = await readBaselineSet(deps.artifacts, 'test');
      const ref = await championPredictionsOnTestBaseline(deps.artifacts, champion, model, {
        table: testBaseline,
        contentHash: manifest.test.contentHash,
      });
      performance = {
        recent: { yTrue: recent.yTrue, yPred: recent.yPred, blocks: dayBlocks(current) },
        reference: { yTrue: ref.yTrue, yPred: ref.yPred, blocks: dayBlocks(testBaseline) },
      };
      if (args.champion && config.windows.validationDays === config.windows.driftDays)
        championValidation = {
          championVersion: champion.version,
          modelUri: champion.modelUri,
          metrics: regressionMetrics(recent.yTrue, recent.yPred),
          ...window,
        };
    }
    const newData = await newDataSummary;
    ctx.heartbeat({ phase: 'assessing', referenceRows: reference.length, currentRows: current.length });
    const check = runDriftCheck({
      reference,
      current,
      performance,
      gates: { newRows: newData.rows, daysCovered: newData.days },
      config: config.drift,
      generatedAt: deps.clock(),
      title: `Drift check ${args.run.workflowId} as of ${new Date(asOfMs).toISOString()}`,
      referenceSummary,
    });
    // Kept for the next runs when it was computed here (a miss, or an entry that did not fit).
    if (check.referenceSummary !== referenceSummary)
      await keepDriftReference(deps.artifacts, summaryKey, check.referenceSummary);
    const reportUri = await deps.artifacts.put(
      runArtifactKey(args.run, 'drift-report.html'),
      renderDriftReportHtml(check.report),
    );
    const reportJsonUri = await deps.artifacts.put(
      runArtifactKey(args.run, 'drift-report.json'),
      renderDriftReportJson(check.report),
    );
    const a = check.assessment;
    return {
      driftDetected: check.drift.assessed ? check.drift.datasetDrift : null,
      driftShare: check.drift.assessed ? check.drift.share : null,
      driftedFeatures: check.drift.driftedFeatures,
      features: check.drift.signals.map((s) => {
        // The effect closest to (or furthest past) its threshold stands for the signal.
        const e = s.effects.reduce((m, x) => (x.value / x.threshold > m.value / m.threshold ? x : m), s.effects[0]);
        return {
          name: s.name,
          effect: e?.name ?? '',
          statistic: e?.value ?? Number.NaN,
          threshold: e?.threshold ?? Number.NaN,
          pAdjusted: s.pAdjusted,
          drifted: s.drifted,
        };
      }),
      referenceRows: reference.length,
      currentRows: current.length,
      note: check.drift.note,
      reportUri,
      reportJsonUri,
      assessment: {
        triggered: a.triggered,
        severity: a.severity,
        confidence: a.confidence,
        reasons: a.reasons,
        blockedBy: a.blockedBy,
        qualityStatus: check.quality.status,
        qualityCritical: check.quality.critical,
        performance: check.performance?.assessed
          ? {
              rmseChange: check.performance.rmseChange,
              recentRmse: check.performance.recent.rmse,
              referenceRmse: check.performance.reference.rmse,
            }
          : null,
      },
      ...(championValidation ? { championValidation } : {}),
    };
  };
}

/**
 * Bootstrap blocks: whole days. One day's weather or strike moves every
 * counter at once, so counter × day blocks would treat correlated errors as
 * independent and give intervals narrower than the data supports.
 */
function dayBlocks(t: CountTable): Float64Array {
  const out = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) out[i] = utcDay(t.timestampMs[i]);
  return out;
}
