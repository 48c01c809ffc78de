import { Context } from '@temporalio/activity';
import { ConfigError } from '../core/errors';
import { assertValidCounts } from '../core/validate-counts';
import { regressionMetrics } from '../stats/regression-metrics';
import { loadTrainedModel, predictCounts } from '../model/champion-model';
import { RAW } from '../storage/count-columns-sql';
import { RAW_COUNTS_TABLE } from '../storage/duckdb-warehouse';
import type { RunConfig } from '../config/run-config';
import type { ActivityDeps } from './deps';
import type { ChampionValidation } from '../core/domain';

const DAY_MS = 86_400_000;

/**
 * Scores the registered champion itself on the last labelled days. (The old
 * DAG read whatever predictions happened to be stored, and so could audit a
 * model that was no longer champion.)
 */
export function makeValidateChampion(deps: ActivityDeps) {
  return async function validateChampion(args: { asOfMs: number; config: RunConfig }): Promise<ChampionValidation> {
    const champion = await deps.registry.champion();
    if (!champion)
      throw new ConfigError('no champion registered: run `bike-retrain train-champion` or `bike-retrain demo` first');
    Context.current().heartbeat({ phase: 'loading champion', version: champion.version });
    const model = loadTrainedModel(await deps.artifacts.get(champion.modelUri), champion.modelUri);
    const fromMs = args.asOfMs - args.config.windows.validationDays * DAY_MS;
    const recent = await deps.warehouse.queryCounts({ fromMs, toMs: args.asOfMs });
    assertValidCounts(recent, `${RAW_COUNTS_TABLE} (last ${args.config.windows.validationDays} days)`, {
      count: RAW.count,
      timestamp: RAW.timestamp,
      counterId: RAW.counterId,
    });
    Context.current().heartbeat({ phase: 'scoring', rows: recent.length });
    const { yTrue, yPred } = await predictCounts(model, recent);
    return {
      championVersion: champion.version,
      modelUri: champion.modelUri,
      metrics: regressionMetrics(yTrue, yPred),
      fromMs,
      toMs: args.asOfMs,
    };
  };
}
