import type { RunConfig } from '../config/run-config';
import type { ChampionRegistry } from '../registry/champion-registry';
import type { ArtifactStore } from '../storage/artifact-store';
import type { Warehouse } from '../storage/warehouse';

/** Everything activities touch, injected so tests and production swap storage and clock. */
export interface ActivityDeps {
  warehouse: Warehouse;
  artifacts: ArtifactStore;
  registry: ChampionRegistry;
  /** Run-config defaults read and validated once at worker start. */
  runDefaults: RunConfig;
  /** Deployment label written into registry entries (e.g. 'local', 'prod'). */
  env: string;
  clock: () => Date;
  /** Notification webhook (a secret: never logged or returned). */
  webhookUrl?: string;
  /** Base of Web UI links in notifications. */
  webUiBase?: string;
}
