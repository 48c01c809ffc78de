import { afterAll, describe, expect, it, vi } from 'vitest';
import { countTableFromRows } from '../../../src/core/counts';
import { manifestOf } from '../../../src/data/baseline';
import {
  BASELINE_KEYS,
  forgetReadBaselineSets,
  readBaselineManifest,
  readBaselineSet,
  storeBaselineSets,
} from '../../../src/data/baseline-store';
import { openArtifactStore } from '../../../src/storage';
import { hourlyRows } from '../../support/count-rows';
import { makeTmpHome } from '../../support/tmp-home';

describe('baseline sets are read once per process', () => {
  const { home, cleanup } = makeTmpHome('bike-retrain-baseline-cache-');
  afterAll(cleanup);
  const store = openArtifactStore(home);
  const train = countTableFromRows(hourlyRows(3, 48));
  const test = countTableFromRows(hourlyRows(3, 24, Date.UTC(2026, 0, 10)));

  it('a second read of the same set (same URI and content hash) is the same table, not a second read', async () => {
    forgetReadBaselineSets();
    await storeBaselineSets(
      store,
      {
        train,
        test,
        manifests: { train: manifestOf('train_baseline', train), test: manifestOf('test_baseline', test) },
      },
      new Date(),
    );
    const reads = vi.spyOn(store, 'localPath');
    const first = await readBaselineSet(store, 'train');
    const second = await readBaselineSet(store, 'train');
    expect(second).toBe(first);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(first.length).toBe(train.length);
    expect(Array.from(first.count)).toEqual(Array.from(train.count));
    expect((await readBaselineSet(store, 'test')).length).toBe(test.length);
    expect(reads).toHaveBeenCalledTimes(2);
    reads.mockRestore();
  });

  it('reads again when the manifest names other content, and after a failed read', async () => {
    const before = await readBaselineSet(store, 'train');
    const manifest = await readBaselineManifest(store);
    await store.put(
      BASELINE_KEYS.manifest,
      JSON.stringify({ ...manifest, train: { ...manifest.train, contentHash: 'rebuilt' } }),
    );
    const after = await readBaselineSet(store, 'train');
    expect(after).not.toBe(before);
    expect(after.length).toBe(before.length);

    const failing = vi.spyOn(store, 'localPath').mockRejectedValueOnce(new Error('transient'));
    await store.put(
      BASELINE_KEYS.manifest,
      JSON.stringify({ ...manifest, train: { ...manifest.train, contentHash: 'again' } }),
    );
    await expect(readBaselineSet(store, 'train')).rejects.toThrow('transient');
    expect((await readBaselineSet(store, 'train')).length).toBe(train.length); // not the failure, cached
    failing.mockRestore();
  });
});
