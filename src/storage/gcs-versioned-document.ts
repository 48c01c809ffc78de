import type { Storage } from '@google-cloud/storage';
import { BadInputError } from '../core/errors';
import { gsUri, isNotFound, isPreconditionFailed, md5Base64 } from './gcs-objects';
import type { VersionedDocumentStore } from './versioned-document';

export interface GcsVersionedDocumentOptions {
  storage: Storage;
  bucket: string;
  /** The object's full name, e.g. `bike-retrain/registry/registry.json`. */
  key: string;
}

/** Reads racing a rewrite retry this often before giving up. */
const READ_ATTEMPTS = 5;

/**
 * A JSON document in one Cloud Storage object, compare-and-swap on the
 * object's generation (`ifGenerationMatch`; 0 = absent): GCS refuses a stale
 * write with 412, so no lock is needed. The object holds the document alone;
 * its generation is GCS's, never stored inside.
 */
export class GcsVersionedDocument<T> implements VersionedDocumentStore<T> {
  private readonly storage: Storage;
  private readonly bucket: string;
  private readonly key: string;

  constructor(o: GcsVersionedDocumentOptions) {
    this.storage = o.storage;
    this.bucket = o.bucket;
    this.key = o.key;
  }

  get location(): string {
    return gsUri(this.bucket, this.key);
  }

  async read(): Promise<{ doc: T; generation: number } | null> {
    for (let attempt = 1; ; attempt++) {
      let generation: number;
      try {
        const [meta] = await this.file().getMetadata();
        generation = Number(meta.generation);
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
      let text: string;
      try {
        // That generation's bytes, so the document and its generation always belong together.
        const [bytes] = await this.file(generation).download();
        text = bytes.toString('utf8');
      } catch (err) {
        // Rewritten (or removed) between the two requests: read again.
        if (isNotFound(err) && attempt < READ_ATTEMPTS) continue;
        throw err;
      }
      return { doc: this.parse(text), generation };
    }
  }

  async writeIfGeneration(doc: T, expected: number): Promise<boolean> {
    const bytes = serialize(doc);
    try {
      await this.file().save(bytes, {
        resumable: false,
        validation: 'md5',
        contentType: 'application/json',
        preconditionOpts: { ifGenerationMatch: expected },
      });
      return true;
    } catch (err) {
      if (!isPreconditionFailed(err)) throw err;
    }
    // The client retries a conditional write after a lost answer; the retry then fails
    // its precondition against our own write. The same bytes stored means it was ours.
    const [meta] = await this.file()
      .getMetadata()
      .catch((err: unknown) => {
        if (isNotFound(err)) return [null];
        throw err;
      });
    return meta?.md5Hash === md5Base64(bytes);
  }

  async replace(doc: T): Promise<{ keptAs: string | null }> {
    const bytes = serialize(doc);
    for (;;) {
      let generation = 0;
      try {
        generation = Number((await this.file().getMetadata())[0].generation);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      let keptAs: string | null = null;
      if (generation !== 0) {
        const bak = `${this.key}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
        await this.file(generation).copy(this.storage.bucket(this.bucket).file(bak));
        keptAs = gsUri(this.bucket, bak);
      }
      try {
        // Only over the generation just kept aside: a write meanwhile is kept aside too on the next turn.
        await this.file().save(bytes, {
          resumable: false,
          validation: 'md5',
          contentType: 'application/json',
          preconditionOpts: { ifGenerationMatch: generation },
        });
        return { keptAs };
      } catch (err) {
        if (!isPreconditionFailed(err)) throw err;
      }
    }
  }

  private file(generation?: number) {
    return this.storage.bucket(this.bucket).file(this.key, generation ? { generation } : {});
  }

  private parse(text: string): T {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      // A truncated or hand-edited document: name it, never guess (the registry is what promotion trusts).
      throw new BadInputError(`unreadable JSON (${(err as Error).message})`, { file: this.location });
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
      throw new BadInputError('not a versioned document (not a JSON object)', { file: this.location });
    const keys = Object.keys(doc).sort().join();
    if (keys === 'doc,generation')
      // A local data folder's file copied as is: here the generation is the object's, never inside.
      throw new BadInputError('a local versioned document (generation and doc inside): upload its "doc" alone', {
        file: this.location,
      });
    return doc as T;
  }
}

function serialize(doc: unknown): Buffer {
  return Buffer.from(JSON.stringify(doc, null, 2), 'utf8');
}
