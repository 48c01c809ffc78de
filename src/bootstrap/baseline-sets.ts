import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import type { ArtifactStore } from '../storage/artifact-store';
import type { Warehouse } from '../storage/warehouse';
import { BASELINE_KEYS, type BaselineManifest, type DatasetManifest } from '../datasets/baseline-datasets';

const DAY_MS = 86_400_000;

export interface BaselineWindow {
  trainFromMs: number;
  /** train_baseline is [trainFromMs, testFromMs), test_baseline [testFromMs, testToMs): test is later, never random rows. */
  testFromMs: number;
  testToMs: number;
}

/** Exports the baseline sets from the warehouse as Parquet artifacts and writes their manifest. */
export async function buildBaselineFromWarehouse(warehouse: Warehouse, artifacts: ArtifactStore, w: BaselineWindow, now: Date): Promise<BaselineManifest> {
  const exportSet = async (name: 'train_baseline' | 'test_baseline', key: string, fromMs: number, toMs: number): Promise<DatasetManifest> => {
    const scratch = await artifacts.scratchPath(`${name}.parquet`);
    const s = await warehouse.exportCounts({ fromMs, toMs }, scratch);
    if (s.rows === 0) throw new Error(`no rows in the warehouse for ${name} [${new Date(fromMs).toISOString()}, ${new Date(toMs).toISOString()})`);
    const contentHash = createHash('sha256').update(await readFile(scratch)).digest('hex');
    const uri = await artifacts.putFile(key, scratch);
    await rm(scratch, { force: true });
    return { name, uri, rows: s.rows, fromMs: s.minMs!, toMs: s.maxMs!, contentHash };
  };
  const manifest: BaselineManifest = {
    createdAt: now.toISOString(),
    train: await exportSet('train_baseline', BASELINE_KEYS.train, w.trainFromMs, w.testFromMs),
    test: await exportSet('test_baseline', BASELINE_KEYS.test, w.testFromMs, w.testToMs),
  };
  await artifacts.put(BASELINE_KEYS.manifest, JSON.stringify(manifest, null, 2));
  return manifest;
}

export function daysBefore(ms: number, days: number): number {
  return ms - days * DAY_MS;
}
