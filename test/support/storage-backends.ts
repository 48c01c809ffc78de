import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ArtifactStore } from '../../src/storage/artifact-store';
import { GcsArtifactStore } from '../../src/storage/gcs-artifact-store';
import { GcsVersionedDocument } from '../../src/storage/gcs-versioned-document';
import { LocalArtifactStore } from '../../src/storage/local-artifact-store';
import { LocalVersionedDocument, type VersionedDocumentStore } from '../../src/storage/versioned-document';
import { startFakeGcs, type FakeGcs } from './fake-gcs';
import { makeTmpHome } from './tmp-home';

/**
 * The storage backends the contract tests run against, unchanged: a local
 * folder and Cloud Storage (fake-gcs-server). Each `artifacts()` /
 * `document()` call is a fresh, empty place (its own folder or prefix);
 * `again()` opens a second client on the same place, as another process would.
 */
export interface StorageBackend {
  name: 'local' | 'gcs';
  start(): Promise<void>;
  stop(): Promise<void>;
  artifacts(): Promise<StorePair<ArtifactStore>>;
  document<T>(): Promise<DocumentPair<T>>;
  /** The URI scheme and host part every URI of this backend starts with. */
  uriStart: string;
}

export interface StorePair<S> {
  store: S;
  again(): S;
}

export interface DocumentPair<T> extends StorePair<VersionedDocumentStore<T>> {
  /** Overwrites the stored bytes behind the store's back (a damaged or hand-edited document). */
  writeRaw(text: string): Promise<void>;
}

export function localBackend(): StorageBackend {
  let tmp: { home: string; cleanup: () => void } | undefined;
  const place = () => join(tmp!.home, randomUUID());
  return {
    name: 'local',
    uriStart: 'file:///',
    async start() {
      tmp = makeTmpHome('bike-retrain-contract-');
    },
    async stop() {
      tmp?.cleanup();
    },
    async artifacts() {
      const root = place();
      return { store: new LocalArtifactStore(root), again: () => new LocalArtifactStore(root) };
    },
    async document<T>() {
      const path = join(place(), 'registry', 'registry.json');
      return {
        store: new LocalVersionedDocument<T>(path),
        again: () => new LocalVersionedDocument<T>(path),
        writeRaw: async (text: string) => {
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, text);
        },
      };
    },
  };
}

export function gcsBackend(): StorageBackend & { gcs(): FakeGcs } {
  let gcs: FakeGcs | undefined;
  let tmp: { home: string; cleanup: () => void } | undefined;
  const backend = {
    name: 'gcs' as const,
    uriStart: 'gs://',
    gcs: () => gcs!,
    async start() {
      gcs = await startFakeGcs();
      tmp = makeTmpHome('bike-retrain-contract-gcs-');
      console.log(`fake-gcs-server answered ${gcs.startMs.toFixed(0)} ms after spawn`);
    },
    async stop() {
      await gcs?.stop();
      tmp?.cleanup();
    },
    async artifacts() {
      const { storage, bucket } = gcs!;
      const prefix = `t-${randomUUID()}/`;
      const open = () => new GcsArtifactStore({ storage, bucket, prefix, cacheDir: join(tmp!.home, randomUUID()) });
      return { store: open(), again: open };
    },
    async document<T>() {
      const { storage, bucket } = gcs!;
      const key = `t-${randomUUID()}/registry/registry.json`;
      const open = () => new GcsVersionedDocument<T>({ storage, bucket, key });
      return {
        store: open(),
        again: open,
        writeRaw: async (text: string) => {
          await storage.bucket(bucket).file(key).save(text, { resumable: false });
        },
      };
    },
  };
  return backend;
}
