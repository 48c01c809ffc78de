import { Context } from '@temporalio/activity';
import type { CountTable } from '../core/counts';
import { assertValidCounts } from '../core/validate-counts';
import { readBaselineSet } from '../data/baseline-store';
import { renderDriftReportHtml, renderDriftReportJson, runDriftCheck } from '../drift';
import { loadTrainedModel, predictCounts } from '../model/champion-model';
import { RAW } from '../storage/count-columns-sql';
import { RAW_COUNTS_TABLE } from '../storage/duckdb-warehouse';
import type { RunConfig } from '../config/run-config';
import type { ActivityDeps } from './deps';
import { runArtifactKey } from './run-artifacts';
import type { DriftResult, RunKey } from '../core/domain';

const DAY_MS = 86_400_000;

/**
 * The weekly assessment: the training baseline against the last `driftDays`
 * before asOf — data drift (seasonally matched, effect size AND corrected
 * significance), data quality, and the champion's performance on those days
 * against its own on test_baseline. The full report (HTML + JSON) is stored
 * as artifacts; the result carries only the verdict and small summaries.
 */
export function makeDetectDrift(deps: ActivityDeps) {
  return async function detectDrift(args: { run: RunKey; asOfMs: number; config: RunConfig }): Promise<DriftResult> {
    const { config, asOfMs } = args;
    const ctx = Context.current();
    ctx.heartbeat({ phase: 'loading' });
    const reference = await readBaselineSet(deps.artifacts, 'train');
    const fromMs = asOfMs - config.windows.driftDays * DAY_MS;
    const current = await deps.warehouse.queryCounts({ fromMs, toMs: asOfMs });
    // No rows at all is bad input (nothing to monitor), not a transient fault: fail now, name the window.
    assertValidCounts(
      current,
      `${RAW_COUNTS_TABLE} [${new Date(fromMs).toISOString()}, ${new Date(asOfMs).toISOString()})`,
      {
        count: RAW.count,
        timestamp: RAW.timestamp,
        counterId: RAW.counterId,
      },
    );

    // Performance drift needs the champion on both windows; without a champion the data checks still run.
    const champion = await deps.registry.champion();
    let performance;
    if (champion) {
      ctx.heartbeat({ phase: 'scoring champion', version: champion.version });
      const model = loadTrainedModel(await deps.artifacts.get(champion.modelUri), champion.modelUri);
      const recent = await predictCounts(model, current);
      const refSet = await readBaselineSet(deps.artifacts, 'test');
      const ref = await predictCounts(model, refSet);
      performance = {
        recent: { yTrue: recent.yTrue, yPred: recent.yPred, blocks: dayBlocks(current) },
        reference: { yTrue: ref.yTrue, yPred: ref.yPred, blocks: dayBlocks(refSet) },
      };
    }
    ctx.heartbeat({ phase: 'assessing', referenceRows: reference.length, currentRows: current.length });
    const check = runDriftCheck({
      reference,
      current,
      performance,
      config: config.drift,
      generatedAt: deps.clock(),
      title: `Drift check ${args.run.workflowId} as of ${new Date(asOfMs).toISOString()}`,
    });
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
  for (let i = 0; i < t.length; i++) out[i] = Math.floor(t.timestampMs[i] / DAY_MS);
  return out;
}
