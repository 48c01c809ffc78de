import type { ChampionRegistry } from '../registry/champion-registry';
import type { ArtifactStore } from '../storage/artifact-store';
import type { Warehouse } from '../storage/warehouse';

/** What the champion's services touch: storage, the registry and a clock, injected. */
export interface ChampionDeps {
  warehouse: Warehouse;
  artifacts: ArtifactStore;
  registry: ChampionRegistry;
  /** Deployment label written into registry entries (e.g. 'local', 'prod'). */
  env: string;
  clock: () => Date;
}
