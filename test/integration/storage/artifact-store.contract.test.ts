import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactConflictError } from '../../../src/storage/artifact-store';
import { gcsBackend, localBackend, type StorageBackend } from '../../support/storage-backends';

/**
 * What every ArtifactStore promises, checked unchanged against the local
 * folder and Cloud Storage (fake-gcs-server): the activities only see this
 * interface, so a backend passing it can be swapped in.
 */
describe.each<StorageBackend>([localBackend(), gcsBackend()])('ArtifactStore contract: $name', (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it('put, get and getText round-trip bytes and text; put replaces; URIs carry the backend scheme', async () => {
    const { store } = await backend.artifacts();
    const bytes = randomBytes(1000);
    const uri = await store.put('runs/r1/data.bin', bytes);
    expect(uri).toBe(store.uriFor('runs/r1/data.bin'));
    expect(uri.startsWith(backend.uriStart)).toBe(true);
    expect(Buffer.from(await store.get(uri)).equals(bytes)).toBe(true);
    await store.put('runs/r1/note.txt', 'vélo ✓');
    expect(await store.getText(store.uriFor('runs/r1/note.txt'))).toBe('vélo ✓');
    await store.put('runs/r1/note.txt', 'second');
    expect(await store.getText(store.uriFor('runs/r1/note.txt'))).toBe('second');
  });

  it('exists answers for present and absent artifacts; reading an absent one fails', async () => {
    const { store } = await backend.artifacts();
    await store.put('a.json', '{}');
    expect(await store.exists(store.uriFor('a.json'))).toBe(true);
    expect(await store.exists(store.uriFor('missing.json'))).toBe(false);
    await expect(store.get(store.uriFor('missing.json'))).rejects.toThrow();
  });

  it('putIfAbsent: the first write wins; a retry with the same bytes is a no-op; different bytes are a conflict', async () => {
    const { store } = await backend.artifacts();
    const first = await store.putIfAbsent('models/v1.brf', 'model-1');
    expect(first).toEqual({ uri: store.uriFor('models/v1.brf'), created: true });
    expect(await store.putIfAbsent('models/v1.brf', 'model-1')).toEqual({ uri: first.uri, created: false });
    const err = await store.putIfAbsent('models/v1.brf', 'model-2').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArtifactConflictError);
    expect((err as Error).message).toContain(first.uri);
    expect(await store.getText(first.uri)).toBe('model-1');
  });

  it('putIfAbsent racing from two clients: exactly one creates, whatever the bytes', async () => {
    const { store, again } = await backend.artifacts();
    const other = again();
    const same = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? store : other).putIfAbsent('same.bin', 'x')),
    );
    expect(same.filter((r) => r.created)).toHaveLength(1);
    const different = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? store : other).putIfAbsent('different.bin', `v${i}`)),
    );
    const won = different.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect((won[0] as PromiseFulfilledResult<{ created: boolean }>).value.created).toBe(true);
    for (const r of different.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ArtifactConflictError);
  });

  it('putFile copies a large scratch file in; localPath gives its bytes, and the new ones after a rewrite', async () => {
    const { store, again } = await backend.artifacts();
    const scratch = await store.scratchPath('snapshot.parquet');
    expect(await store.scratchPath('snapshot.parquet')).not.toBe(scratch);
    const big = randomBytes(12 * 1024 * 1024); // above the resumable-upload threshold
    await writeFile(scratch, big);
    const uri = await store.putFile('runs/r1/recent.parquet', scratch);
    expect(uri).toBe(store.uriFor('runs/r1/recent.parquet'));
    const path = await store.localPath(uri);
    expect(sha256(await readFile(path))).toBe(sha256(big));
    expect(await store.localPath(uri)).toBe(path);
    // Another process's view (its own cache) sees the same bytes.
    expect(sha256(await readFile(await again().localPath(uri)))).toBe(sha256(big));

    await writeFile(scratch, 'small now');
    await store.putFile('runs/r1/recent.parquet', scratch);
    expect(await readFile(await store.localPath(uri), 'utf8')).toBe('small now');
  });

  it('list: every key under a prefix, in key order, with URIs and modification times; none: []', async () => {
    const { store } = await backend.artifacts();
    for (const key of ['models/versions/v2.json', 'models/versions/v10.json', 'models/champions/a.brf', 'modelsX/b'])
      await store.put(key, key);
    const listed = await store.list('models/versions/');
    expect(listed.map((l) => l.key)).toEqual(['models/versions/v10.json', 'models/versions/v2.json']);
    expect(listed.map((l) => l.uri)).toEqual(listed.map((l) => store.uriFor(l.key)));
    for (const l of listed) expect(Math.abs(l.modifiedMs - Date.now())).toBeLessThan(10 * 60_000);
    expect((await store.list('models/')).map((l) => l.key)).toEqual([
      'models/champions/a.brf',
      'models/versions/v10.json',
      'models/versions/v2.json',
    ]);
    expect((await store.list('models')).map((l) => l.key)).toHaveLength(4);
    expect(await store.list('nothing/')).toEqual([]);
  });

  it('list goes past one page of results (1,000 objects a page on Cloud Storage)', async () => {
    const { store } = await backend.artifacts();
    const keys = Array.from({ length: 1010 }, (_, i) => `many/k${String(i).padStart(4, '0')}`);
    for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => store.put(k, '')));
    expect((await store.list('many/')).map((l) => l.key)).toEqual(keys);
  });

  it('refuses keys that leave the store and URIs of another scheme, naming them', async () => {
    const { store } = await backend.artifacts();
    expect(() => store.uriFor('../outside')).toThrow(/outside/);
    await expect(store.put('../outside', 'x')).rejects.toThrow(/outside/);
    await expect(store.get('s3://bucket/key')).rejects.toThrow(/s3:\/\/bucket\/key/);
    await expect(store.localPath('s3://bucket/key')).rejects.toThrow(/s3:\/\/bucket\/key/);
  });
});

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}
