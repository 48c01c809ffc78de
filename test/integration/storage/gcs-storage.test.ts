import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GcsArtifactStore } from '../../../src/storage/gcs-artifact-store';
import { GcsVersionedDocument } from '../../../src/storage/gcs-versioned-document';
import { startFakeGcs, type FakeGcs } from '../../support/fake-gcs';
import { makeTmpHome } from '../../support/tmp-home';

/** What only Cloud Storage has: buckets, prefixes, generations, the download cache. */
describe('Cloud Storage adapters (fake-gcs-server)', () => {
  let gcs: FakeGcs;
  const tmp = makeTmpHome('bike-retrain-gcs-');
  beforeAll(async () => {
    gcs = await startFakeGcs();
    console.log(`fake-gcs-server answered ${gcs.startMs.toFixed(0)} ms after spawn`);
  });
  afterAll(async () => {
    await gcs?.stop();
    tmp.cleanup();
  });

  const open = (bucket: string, prefix = 'bike-retrain/', cacheDir = join(tmp.home, 'cache')) =>
    new GcsArtifactStore({ storage: gcs.storage, bucket, prefix, cacheDir });

  it('keys live under the prefix; a prefix without its slash gets one; a gs:// bucket name is refused', async () => {
    const bucket = await gcs.newBucket();
    expect(open(bucket).uriFor('models/v1.brf')).toBe(`gs://${bucket}/bike-retrain/models/v1.brf`);
    expect(open(bucket, 'bike-retrain').uriFor('a')).toBe(`gs://${bucket}/bike-retrain/a`);
    expect(open(bucket, '').uriFor('models/summary.json')).toBe(`gs://${bucket}/models/summary.json`);
    expect(() => open(`gs://${bucket}`)).toThrow(/not a Cloud Storage bucket name.*no gs:\/\//);
  });

  it('reads any object of its bucket; another bucket or scheme is an error naming both', async () => {
    const bucket = await gcs.newBucket();
    const store = open(bucket);
    const elsewhere = open(bucket, 'older-system/');
    const uri = await elsewhere.put('models/old.brf', 'old model');
    expect(await store.getText(uri)).toBe('old model');
    expect(await store.getText('models/old.brf').catch((e: Error) => e.message)).toMatch(
      `artifact not found: gs://${bucket}/bike-retrain/models/old.brf`,
    );
    const other = await gcs.newBucket();
    await expect(store.get(`gs://${other}/bike-retrain/x`)).rejects.toThrow(
      `artifact URI gs://${other}/bike-retrain/x is in bucket ${other}; this store reads gs://${bucket}/ only`,
    );
    await expect(store.exists('file:///tmp/x')).rejects.toThrow(/not a Cloud Storage artifact URI: file:\/\/\/tmp\/x/);
  });

  it('localPath downloads once per generation, atomically, even when asked concurrently', async () => {
    const bucket = await gcs.newBucket();
    const store = open(bucket, 'p/', join(tmp.home, 'cache-local-path'));
    const uri = await store.put('runs/r1/recent.parquet', 'v1');
    const paths = await Promise.all(Array.from({ length: 5 }, () => store.localPath(uri)));
    expect(new Set(paths).size).toBe(1);
    const first = await stat(paths[0]);
    expect(await store.localPath(uri)).toBe(paths[0]);
    expect((await stat(paths[0])).mtimeMs).toBe(first.mtimeMs); // not downloaded again
    expect(await readdir(dirname(paths[0]))).toEqual([paths[0].split('/').pop()]); // no partial files left

    await store.put('runs/r1/recent.parquet', 'v2');
    const second = await store.localPath(uri);
    expect(second).not.toBe(paths[0]);
    expect(second.endsWith('recent.parquet')).toBe(true);
    await expect(store.localPath(store.uriFor('runs/none.parquet'))).rejects.toThrow(
      `artifact not found: gs://${bucket}/p/runs/none.parquet`,
    );
  });

  it('the registry document: gs:// location, the .bak copy holds the replaced document', async () => {
    const bucket = await gcs.newBucket();
    const doc = new GcsVersionedDocument<{ n: number }>({
      storage: gcs.storage,
      bucket,
      key: 'bike-retrain/registry/registry.json',
    });
    expect(doc.location).toBe(`gs://${bucket}/bike-retrain/registry/registry.json`);
    await doc.writeIfGeneration({ n: 1 }, 0);
    const { keptAs } = await doc.replace({ n: 2 });
    expect(keptAs).toMatch(new RegExp(`^gs://${bucket}/bike-retrain/registry/registry\\.json\\..*\\.bak$`));
    expect(JSON.parse(await open(bucket).getText(keptAs!))).toEqual({ n: 1 });
  });

  it('a conditional write whose precondition fails against identical bytes counts as written (a lost answer retried)', async () => {
    const bucket = await gcs.newBucket();
    const doc = new GcsVersionedDocument<{ n: number }>({ storage: gcs.storage, bucket, key: 'd.json' });
    expect(await doc.writeIfGeneration({ n: 1 }, 0)).toBe(true);
    const { generation } = (await doc.read())!;
    // As if the client retried the same request after its first answer was lost.
    expect(await doc.writeIfGeneration({ n: 1 }, 0)).toBe(true);
    expect((await doc.read())!.generation).toBe(generation);
    expect(await doc.writeIfGeneration({ n: 2 }, 0)).toBe(false);
  });

  it('a local registry.json copied as is is refused with how to fix it', async () => {
    const bucket = await gcs.newBucket();
    await gcs.storage
      .bucket(bucket)
      .file('r.json')
      .save(JSON.stringify({ generation: 4, doc: { versions: [] } }));
    const doc = new GcsVersionedDocument({ storage: gcs.storage, bucket, key: 'r.json' });
    await expect(doc.read()).rejects.toThrow(
      `a local versioned document (generation and doc inside): upload its "doc" alone (file gs://${bucket}/r.json)`,
    );
  });
});
