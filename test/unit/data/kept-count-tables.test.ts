import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { countTableFromRows } from '../../../src/core/counts';
import { readCountTableArtifact } from '../../../src/data/count-artifacts';
import {
  forgetKeptCountTables,
  KEPT_COUNT_TABLES,
  putCountTableArtifactKept,
  readCountTableArtifactKept,
} from '../../../src/data/kept-count-tables';
import { openArtifactStore } from '../../../src/storage';
import { hourlyRows } from '../../support/count-rows';
import { countTableBits } from '../../support/count-table-bits';
import { makeTmpHome } from '../../support/tmp-home';

describe('count tables a run writes are kept in the writing process', () => {
  const { home, cleanup } = makeTmpHome('bike-retrain-kept-tables-');
  afterAll(cleanup);
  const store = openArtifactStore(home);
  // Written newest first: the kept copy must be in the file's order, not this one.
  const table = countTableFromRows(hourlyRows(3, 48).reverse());
  beforeEach(forgetKeptCountTables);

  it('read back by URI and the sha256 of the bytes written: no storage read, the same bits as reading', async () => {
    const { uri, sha256 } = await putCountTableArtifactKept(store, 'runs/a/test_current.parquet', table);
    expect(sha256).toBe(
      createHash('sha256')
        .update(await store.get(uri))
        .digest('hex'),
    );
    const reads = vi.spyOn(store, 'localPath');
    const kept = await readCountTableArtifactKept(store, uri, sha256);
    expect(reads).not.toHaveBeenCalled();
    const read = await readCountTableArtifact(store, uri);
    expect(countTableBits(kept)).toEqual(countTableBits(read));
    reads.mockRestore();
  });

  it('read from storage without the hash, with another hash, after forgetting, and past the bound', async () => {
    const { uri, sha256 } = await putCountTableArtifactKept(store, 'runs/b/test_current.parquet', table);
    const reads = vi.spyOn(store, 'localPath');
    await readCountTableArtifactKept(store, uri, undefined); // a run recorded before the hash
    await readCountTableArtifactKept(store, uri, '0'.repeat(64)); // other bytes than this process wrote
    expect(reads).toHaveBeenCalledTimes(2);

    for (let i = 0; i < KEPT_COUNT_TABLES; i++)
      await putCountTableArtifactKept(store, `runs/later-${i}/test_current.parquet`, table);
    await readCountTableArtifactKept(store, uri, sha256); // the oldest, dropped
    expect(reads).toHaveBeenCalledTimes(3);

    const newest = await putCountTableArtifactKept(store, 'runs/c/test_current.parquet', table);
    forgetKeptCountTables();
    await readCountTableArtifactKept(store, newest.uri, newest.sha256);
    expect(reads).toHaveBeenCalledTimes(4);
    reads.mockRestore();
  });
});
