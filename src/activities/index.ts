import type { ActivityDeps } from './deps';
import { makeDetectDrift } from './detect-drift';
import { makeEvaluateDouble } from './evaluate-double';
import { makeFetchRecentData } from './fetch-recent-data';
import { makeNotify } from './notify';
import { makePromoteChampion } from './promote-champion';
import { makeResolveChampion } from './resolve-champion';
import { makeResolveRunConfig } from './resolve-run-config';
import { makeScoreModels } from './score-models';
import { makeTrainChallenger } from './train-challenger';
import { makeValidateChampion } from './validate-champion';
import { makeWriteAudit } from './write-audit';

export type { ActivityDeps } from './deps';

/** The weekly run's activities, over injected storage and clock. */
export function createActivities(deps: ActivityDeps) {
  return {
    resolveRunConfig: makeResolveRunConfig(deps),
    resolveChampion: makeResolveChampion(deps),
    detectDrift: makeDetectDrift(deps),
    validateChampion: makeValidateChampion(deps),
    fetchRecentData: makeFetchRecentData(deps),
    trainChallenger: makeTrainChallenger(deps),
    evaluateDouble: makeEvaluateDouble(deps),
    promoteChampion: makePromoteChampion(deps),
    writeAudit: makeWriteAudit(deps),
    notify: makeNotify(deps),
    scoreModels: makeScoreModels(deps),
  };
}
