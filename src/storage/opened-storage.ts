import type { StorageConfig } from '../config/storage-config';
import type { ArtifactStore } from './artifact-store';
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
