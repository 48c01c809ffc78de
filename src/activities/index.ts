import type { ActivityDeps } from './deps';
import { makeDetectDrift } from './detect-drift';
import { makeEvaluateDouble } from './evaluate-double';
import { makeFetchRecentData } from './fetch-recent-data';
import { keepAlive } from './keep-alive';
import { makeNotify } from './notify';
import { makePromoteChampion } from './promote-champion';
import { makeResolveChampion } from './resolve-champion';
import { makeResolveRunConfig } from './resolve-run-config';
import { makeScoreModels } from './score-models';
import { makeTrainChallenger } from './train-challenger';
import { makeValidateChampion } from './validate-champion';
import { makeWriteAudit } from './write-audit';

export type { ActivityDeps } from './deps';

/** The weekly run's activities, over injected storage and clock; each heartbeats while it runs (keep-alive.ts). */
export function createActivities(deps: ActivityDeps) {
  return {
    resolveRunConfig: keepAlive(makeResolveRunConfig(deps)),
    resolveChampion: keepAlive(makeResolveChampion(deps)),
    detectDrift: keepAlive(makeDetectDrift(deps)),
    validateChampion: keepAlive(makeValidateChampion(deps)),
    fetchRecentData: keepAlive(makeFetchRecentData(deps)),
    trainChallenger: keepAlive(makeTrainChallenger(deps)),
    evaluateDouble: keepAlive(makeEvaluateDouble(deps)),
    promoteChampion: keepAlive(makePromoteChampion(deps)),
    writeAudit: keepAlive(makeWriteAudit(deps)),
    notify: keepAlive(makeNotify(deps)),
    scoreModels: keepAlive(makeScoreModels(deps)),
  };
}
