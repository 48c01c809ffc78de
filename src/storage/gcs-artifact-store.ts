import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { File, Storage } from '@google-cloud/storage';
import { ArtifactConflictError, type ArtifactListing, type ArtifactStore } from './artifact-store';
import { checkObjectKey, gsUri, isNotFound, isPreconditionFailed, md5Base64, parseGsUri } from './gcs-objects';

/** Above this, `putFile` uploads in resumable chunks (the library's own default threshold is 5 MB). */
const RESUMABLE_ABOVE_BYTES = 8 * 1024 * 1024;
const LIST_PAGE_SIZE = 1000;

export interface GcsArtifactStoreOptions {
  storage: Storage;
  bucket: string;
  /** Where this store's keys live in the bucket, e.g. `bike-retrain/` ('' = the bucket's root). */
  prefix?: string;
  /** A local folder for `localPath` downloads and scratch files. */
  cacheDir: string;
}

/**
 * Artifacts as Cloud Storage objects; URIs are `gs://bucket/prefix+key`.
 * Single-request and resumable uploads both become visible only once
 * complete, so readers never see a partial artifact; write-once artifacts
 * rely on `ifGenerationMatch: 0`, the only first-writer-wins primitive GCS has.
 */
export class GcsArtifactStore implements ArtifactStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly cacheDir: string;
  private readonly storage: Storage;

  constructor(o: GcsArtifactStoreOptions) {
    if (!/^[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]$/.test(o.bucket))
      throw new Error(`not a Cloud Storage bucket name: ${JSON.stringify(o.bucket)} (give the name alone, no gs://)`);
    const prefix = (o.prefix ?? '').replace(/^\/+/, '');
    if (prefix !== '') checkObjectKey(prefix.replace(/\/$/, ''));
    this.storage = o.storage;
    this.bucket = o.bucket;
    this.prefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    this.cacheDir = o.cacheDir;
  }

  uriFor(key: string): string {
    return gsUri(this.bucket, this.objectFor(key));
  }

  async put(key: string, data: Uint8Array | string): Promise<string> {
    await this.file(this.objectFor(key)).save(toBuffer(data), { resumable: false, validation: 'md5' });
    return this.uriFor(key);
  }

  async putIfAbsent(key: string, data: Uint8Array | string): Promise<{ uri: string; created: boolean }> {
    const uri = this.uriFor(key);
    const file = this.file(this.objectFor(key));
    try {
      await file.save(toBuffer(data), {
        resumable: false,
        validation: 'md5',
        preconditionOpts: { ifGenerationMatch: 0 },
      });
      return { uri, created: true };
    } catch (err) {
      if (!isPreconditionFailed(err)) throw err;
    }
    // Already there: a retry (maybe of this very request, whose first answer was lost) is
    // fine only with the same bytes. Composite objects (written by other tools) have no md5Hash.
    const [meta] = await file.getMetadata();
    const same = meta.md5Hash ? meta.md5Hash === md5Base64(data) : (await file.download())[0].equals(toBuffer(data));
    if (!same) throw new ArtifactConflictError(uri);
    return { uri, created: false };
  }

  async putFile(key: string, localPath: string): Promise<string> {
    const { size } = await stat(localPath);
    // Streamed from disk either way: a large Parquet snapshot never sits whole in memory.
    await this.storage.bucket(this.bucket).upload(localPath, {
      destination: this.objectFor(key),
      resumable: size > RESUMABLE_ABOVE_BYTES,
      validation: 'crc32c',
    });
    return this.uriFor(key);
  }

  async get(uri: string): Promise<Uint8Array> {
    return new Uint8Array(await this.download(uri));
  }

  async getText(uri: string): Promise<string> {
    return (await this.download(uri)).toString('utf8');
  }

  async exists(uri: string): Promise<boolean> {
    const [exists] = await this.file(this.objectOfUri(uri)).exists();
    return exists;
  }

  /**
   * Downloads into the cache, once per object generation: an unchanged object
   * costs one metadata request, a rewritten one is fetched again. The file is
   * renamed into place whole, so a concurrent reader never opens a partial one.
   * Older generations' files are left for the cache's owner to prune.
   */
  async localPath(uri: string): Promise<string> {
    const object = this.objectOfUri(uri);
    const dir = join(
      this.cacheDir,
      'gcs',
      createHash('sha256').update(`${this.bucket}/${object}`).digest('hex').slice(0, 24),
    );
    for (let attempt = 1; ; attempt++) {
      let generation: string;
      try {
        [{ generation }] = (await this.file(object).getMetadata()) as unknown as [{ generation: string }];
      } catch (err) {
        if (isNotFound(err)) throw new Error(`artifact not found: ${gsUri(this.bucket, object)}`, { cause: err });
        throw err;
      }
      const path = join(dir, `${generation}-${basename(object)}`);
      if (await exists(path)) return path;
      await mkdir(dir, { recursive: true });
      const tmp = `${path}.${randomUUID()}.tmp`;
      try {
        // That exact generation: a rewrite meanwhile cannot put other bytes under this generation's name.
        await this.storage
          .bucket(this.bucket)
          .file(object, { generation: Number(generation) })
          .download({ destination: tmp });
        await rename(tmp, path);
        return path;
      } catch (err) {
        // Rewritten between the two requests (that generation is gone): look again.
        if (!isNotFound(err) || attempt >= 3) throw err;
      } finally {
        await rm(tmp, { force: true });
      }
    }
  }

  async scratchPath(name: string): Promise<string> {
    const dir = join(this.cacheDir, 'scratch');
    await mkdir(dir, { recursive: true });
    return join(dir, `${randomUUID()}-${basename(name)}`);
  }

  async list(prefix: string): Promise<ArtifactListing[]> {
    const bucket = this.storage.bucket(this.bucket);
    const out: ArtifactListing[] = [];
    let pageToken: string | undefined;
    do {
      const [files, next] = await bucket.getFiles({
        prefix: this.prefix + prefix,
        autoPaginate: false,
        maxResults: LIST_PAGE_SIZE,
        ...(pageToken ? { pageToken } : {}),
      });
      for (const f of files) {
        if (f.name.endsWith('/')) continue; // a console-made "folder" placeholder, not an artifact
        const key = f.name.slice(this.prefix.length);
        const updated = f.metadata.updated ?? f.metadata.timeCreated;
        out.push({ key, uri: gsUri(this.bucket, f.name), modifiedMs: updated ? Date.parse(updated) : 0 });
      }
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
    } while (pageToken);
    // GCS lists in UTF-8 byte order; sort as the local store does so both agree on "key order".
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  private objectFor(key: string): string {
    checkObjectKey(key);
    return this.prefix + key;
  }

  /** `gs://` URIs of this bucket (any prefix: a registry may name models written elsewhere in it) or bare keys. */
  private objectOfUri(uri: string): string {
    const parsed = parseGsUri(uri);
    if (parsed) {
      if (parsed.bucket !== this.bucket)
        throw new Error(
          `artifact URI ${uri} is in bucket ${parsed.bucket}; this store reads gs://${this.bucket}/ only`,
        );
      return parsed.object;
    }
    if (uri.includes('://') || uri.startsWith('/'))
      throw new Error(`not a Cloud Storage artifact URI: ${uri} (expected gs://${this.bucket}/${this.prefix}…)`);
    return this.objectFor(uri);
  }

  private file(object: string): File {
    return this.storage.bucket(this.bucket).file(object);
  }

  private async download(uri: string): Promise<Buffer> {
    const object = this.objectOfUri(uri);
    try {
      const [bytes] = await this.file(object).download();
      return bytes;
    } catch (err) {
      if (isNotFound(err)) throw new Error(`artifact not found: ${gsUri(this.bucket, object)}`, { cause: err });
      throw err;
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function toBuffer(data: Uint8Array | string): Buffer {
  return typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
