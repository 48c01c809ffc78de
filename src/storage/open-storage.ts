import type { EnvConfig } from '../config/env-config';
import { describeStorage } from '../config/storage-config';
import { openArtifactStore, openRegistryDocument, openWarehouse } from './index';
import type { OpenedStorage } from './opened-storage';

export type { OpenedStorage } from './opened-storage';

/**
 * Async because the GCP client libraries load only when the storage is `gcp`:
 * an embedded `audit` or `status` must not pay for them.
 */
export async function openStorage(cfg: Pick<EnvConfig, 'home' | 'storage'>): Promise<OpenedStorage> {
  const s = cfg.storage;
  if (s.kind === 'gcp') {
    const { openGcpStorage } = await import('./open-gcp-storage.js');
    return openGcpStorage(s, cfg.home);
  }
  return {
    kind: 'embedded',
    warehouse: openWarehouse(cfg.home),
    artifacts: openArtifactStore(cfg.home),
    registryDocument: <T>() => openRegistryDocument<T>(cfg.home),
    describe: () => describeStorage(s, cfg.home),
  };
}
