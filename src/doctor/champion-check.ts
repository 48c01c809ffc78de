import type { EnvConfig } from '../config/env-config';
import { ChampionRegistry, type RegistryDoc } from '../registry/champion-registry';
import { openStorage } from '../storage/open-storage';
import { errorText, fail, ok, type Check } from './check';

/** A weekly run needs a champion to judge: the registry must name one, and its artifact must exist. */
export function championCheck(cfg: Pick<EnvConfig, 'home' | 'storage'>): Check {
  return {
    name: 'champion',
    async run() {
      const storage = await openStorage(cfg);
      const registry = new ChampionRegistry(storage.registryDocument<RegistryDoc>(), storage.artifacts);
      let champion;
      try {
        champion = await registry.champion();
      } catch (err) {
        // A damaged document is rebuilt; an unreachable one is the storage checks' business.
        return fail(
          `registry ${registry.location}: ${errorText(err)}`,
          (err as Error).name === 'BadInputError'
            ? '`bike-retrain registry rebuild`'
            : `make ${registry.location} readable (see the storage checks), then run doctor again`,
        );
      }
      if (!champion)
        return fail(
          `no champion in ${registry.location}`,
          '`bike-retrain train-champion` trains and registers the first one',
        );
      if (!(await storage.artifacts.exists(champion.modelUri)))
        return fail(
          `champion v${champion.version}'s model ${champion.modelUri} is missing`,
          '`bike-retrain registry rollback` to the previous champion, or `bike-retrain train-champion`',
        );
      return ok(`v${champion.version} (${champion.modelType}), ${champion.modelUri}`);
    },
  };
}
