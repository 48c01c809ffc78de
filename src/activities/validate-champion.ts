import { Context } from '@temporalio/activity';
import { loadModelOnce, resolveChampionRef } from '../champion/champion-ref';
import type { RunConfig } from '../config/run-config';
import type { ChampionRef, ChampionValidation } from '../core/domain';
import { DAY_MS } from '../core/time';
import { assertValidCounts } from '../core/validate-counts';
import { predictCounts } from '../model/champion-model';
import { regressionMetrics } from '../stats/regression-metrics';
import type { ActivityDeps } from './deps';

/**
 * Scores the run's champion itself on the last labelled days. (The old DAG
 * read whatever predictions happened to be stored, and so could audit a
 * model that was no longer champion.) Runs whose drift window is the
 * validation window get this from detectDrift instead; runs recorded before
 * the champion was resolved once pass none and look it up here.
 */
export function makeValidateChampion(deps: ActivityDeps) {
  return async function validateChampion(args: {
    asOfMs: number;
    config: RunConfig;
    champion?: ChampionRef;
  }): Promise<ChampionValidation> {
    const champion = args.champion ?? (await resolveChampionRef(deps));
    const ctx = Context.current();
    ctx.heartbeat({ phase: 'loading champion', version: champion.version });
    const model = await loadModelOnce(deps.artifacts, champion.modelUri);
    const window = { fromMs: args.asOfMs - args.config.windows.validationDays * DAY_MS, toMs: args.asOfMs };
    const recent = await deps.warehouse.queryCounts(window);
    assertValidCounts(recent, deps.warehouse.source(window));
    ctx.heartbeat({ phase: 'scoring', rows: recent.length });
    const { yTrue, yPred } = await predictCounts(model, recent);
    return {
      championVersion: champion.version,
      modelUri: champion.modelUri,
      metrics: regressionMetrics(yTrue, yPred),
      ...window,
    };
  };
}
