export { ArtifactConflictError } from '../core/errors';
/**
 * Where artifacts live: datasets and snapshots (Parquet), models, the champion
 * registry, reports. Temporal payloads carry the URIs this returns, never the
 * bytes. Implementations: `LocalArtifactStore` (a folder, `file://` URIs) and,
 * in production, Cloud Storage (`gs://` URIs) behind the same interface.
 */
export interface ArtifactStore {
  /** The URI a key maps to (no I/O). Keys are relative paths like `models/v3.brf`. */
  uriFor(key: string): string;
  /** Writes atomically (readers never see a partial artifact) and returns the URI. */
  put(key: string, data: Uint8Array | string): Promise<string>;
  /**
   * Writes only when nothing is at `key` yet; idempotent retries rely on it. What `putIfAbsent`
   * writes is immutable (models, version records, caches keyed by content): a retry writes the same
   * bytes and gets `created: false`; different bytes already there are an `ArtifactConflictError`,
   * never silently accepted (the caller would go on with bytes the store does not hold).
   */
  putIfAbsent(key: string, data: Uint8Array | string): Promise<{ uri: string; created: boolean }>;
  /** Copies a local file in (large Parquet snapshots are written to disk first). */
  putFile(key: string, localPath: string): Promise<string>;
  get(uri: string): Promise<Uint8Array>;
  getText(uri: string): Promise<string>;
  exists(uri: string): Promise<boolean>;
  /** A local path with the artifact's content (remote stores download to a cache). */
  localPath(uri: string): Promise<string>;
  /** A scratch file path for writing before `putFile`. */
  scratchPath(name: string): Promise<string>;
  /** Every artifact whose key starts with `prefix` (e.g. `models/champions/`), in key order; none: []. */
  list(prefix: string): Promise<ArtifactListing[]>;
}

export interface ArtifactListing {
  key: string;
  uri: string;
  /** Last modified, epoch ms. */
  modifiedMs: number;
}
