import { resolveChampionRef } from '../champion/champion-ref';
import type { ChampionRef } from '../core/domain';
import type { ActivityDeps } from './deps';

/**
 * Chooses the run's champion once (version, model URI, sha256): the drift
 * check, the validation, the evaluation and the promotion's compare-and-swap
 * all use this one, so a rollback between steps cannot split a run.
 */
export function makeResolveChampion(deps: ActivityDeps) {
  return async function resolveChampion(): Promise<ChampionRef> {
    return resolveChampionRef(deps);
  };
}
