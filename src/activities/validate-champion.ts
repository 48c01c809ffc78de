import { Context } from '@temporalio/activity';
import { resolveChampionRef } from '../champion/champion-ref';
import { evaluateModelOnWindow } from '../champion/evaluate-model';
import type { RunConfig } from '../config/run-config';
import type { ChampionRef, ChampionValidation } from '../core/domain';
import { DAY_MS } from '../core/time';
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
    Context.current().heartbeat({ phase: 'scoring', version: champion.version });
    const window = { fromMs: args.asOfMs - args.config.windows.validationDays * DAY_MS, toMs: args.asOfMs };
    const metrics = await evaluateModelOnWindow(deps, champion.modelUri, window);
    return {
      championVersion: champion.version,
      modelUri: champion.modelUri,
      metrics,
      ...window,
    };
  };
}
