import { mkdir } from 'node:fs/promises';
import type { RunConfig } from '../config/run-config';
import type { StorageConfig } from '../config/storage-config';
import type { OpenedStorage } from '../storage/open-storage';

export interface DataCommandContext {
  /** The data folder (BIKE_RETRAIN_HOME), resolved when a command runs. */
  home: () => string | Promise<string>;
  /** The run-config defaults (BIKE_RETRAIN_CONFIG): the import takes drift.quality.maxHourlyCount from them. */
  runDefaults?: () => Promise<RunConfig>;
  /** BIKE_RETRAIN_STORAGE and its settings; unset: the embedded storage of the data folder. */
  storage?: () => Promise<StorageConfig>;
}

/** The configured storage; the data folder is created first (it holds the embedded storage, or GCP's caches). */
export async function openDataStorage(ctx: DataCommandContext): Promise<OpenedStorage> {
  const home = await ctx.home();
  await mkdir(home, { recursive: true });
  const { openStorage } = await import('../storage/open-storage.js');
  return openStorage({ home, storage: (await ctx.storage?.()) ?? { kind: 'embedded' } });
}
