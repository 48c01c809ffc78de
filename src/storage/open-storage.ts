import type { EnvConfig } from '../config/env-config';
import { describeStorage, type StorageConfig } from '../config/storage-config';
import type { ArtifactStore } from './artifact-store';
import { openArtifactStore, openRegistryDocument, openWarehouse } from './index';
import type { VersionedDocumentStore } from './versioned-document';
import type { Warehouse } from './warehouse';

/** The storage a deployment is configured with (BIKE_RETRAIN_STORAGE), behind the interfaces activities use. */
export interface OpenedStorage {
  kind: StorageConfig['kind'];
  warehouse: Warehouse;
  artifacts: ArtifactStore;
  /** The champion registry's document (compare-and-swap). */
  registryDocument<T>(): VersionedDocumentStore<T>;
  /** For logs: names and endpoints, never a credential. */
  describe(): string;
}

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
