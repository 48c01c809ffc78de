import { createHash } from 'node:crypto';
import { ArtifactConflictError } from '../core/errors';
import type { ArtifactStore } from '../storage/artifact-store';

/**
 * Caches kept as artifacts (so they work on any artifact store, Cloud Storage
 * included), under keys naming everything the content depends on, written
 * once. A cached value must never be a wrong answer: each entry carries the
 * sha256 of its payload, and a missing, truncated or altered entry reads as a
 * miss, so the caller computes the value again.
 */
const MAGIC = new TextEncoder().encode('BRC1');
const HEADER_BYTES = MAGIC.length + 32;

/** The payload stored at `key`, or null when there is none or it fails its checksum. */
export async function readCacheEntry(artifacts: ArtifactStore, key: string): Promise<Uint8Array | null> {
  const uri = artifacts.uriFor(key);
  if (!(await artifacts.exists(uri))) return null;
  const bytes = await artifacts.get(uri);
  if (bytes.byteLength < HEADER_BYTES || !MAGIC.every((b, i) => bytes[i] === b)) return null;
  const payload = bytes.subarray(HEADER_BYTES);
  const digest = createHash('sha256').update(payload).digest();
  return digest.equals(bytes.subarray(MAGIC.length, HEADER_BYTES)) ? payload : null;
}

/**
 * Stores `payload` at `key` unless an entry is there. A corrupt entry already
 * there stays (artifacts are write-once) and the caller goes on with the value
 * it computed: the cache misses until someone removes the entry.
 */
export async function writeCacheEntry(artifacts: ArtifactStore, key: string, payload: Uint8Array): Promise<void> {
  const entry = new Uint8Array(HEADER_BYTES + payload.byteLength);
  entry.set(MAGIC, 0);
  entry.set(createHash('sha256').update(payload).digest(), MAGIC.length);
  entry.set(payload, HEADER_BYTES);
  try {
    await artifacts.putIfAbsent(key, entry);
  } catch (err) {
    if (!(err instanceof ArtifactConflictError)) throw err;
  }
}
