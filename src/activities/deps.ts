import type { ChampionDeps } from '../champion/deps';
import type { RunConfig } from '../config/run-config';

/** Everything activities touch, injected so tests and production swap storage and clock. */
export interface ActivityDeps extends ChampionDeps {
  /** Run-config defaults read and validated once at worker start. */
  runDefaults: RunConfig;
  /** Notification webhook (a secret: never logged or returned). */
  webhookUrl?: string;
  /** Base of Web UI links in notifications. */
  webUiBase?: string;
}
