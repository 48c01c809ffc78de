import { createHash } from 'node:crypto';

/** Helpers shared by the Cloud Storage adapters. */

/** `gs://bucket/object` → its parts; anything else: null. */
export function parseGsUri(uri: string): { bucket: string; object: string } | null {
  const m = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
  return m ? { bucket: m[1], object: m[2] } : null;
}

export function gsUri(bucket: string, object: string): string {
  return `gs://${bucket}/${object}`;
}

/** A precondition (`ifGenerationMatch`) that did not hold: someone else wrote first. */
export function isPreconditionFailed(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 412;
}

export function isNotFound(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 404;
}

/** The object's `md5Hash` metadata for these bytes (base64 of the digest). */
export function md5Base64(data: Uint8Array | string): string {
  return createHash('md5').update(data).digest('base64');
}

/**
 * Object names the way the local store accepts keys: relative, no `.`/`..`
 * segments, no empty segment, so a key can never name something outside the
 * store's prefix.
 */
export function checkObjectKey(key: string): void {
  const segments = key.split('/');
  if (key === '' || segments.some((s) => s === '' || s === '.' || s === '..'))
    throw new Error(`artifact key escapes the store or is empty: ${JSON.stringify(key)}`);
}
