import type { CountTable } from '../core/counts';
import { ConfigError } from '../core/errors';
import type { ArtifactStore } from '../storage/artifact-store';
import type { BaselineSetManifest, BaselineSets } from './baseline';
import { putCountTableArtifact, readCountTableArtifact } from './count-artifacts';

/** Where the fixed baseline sets live in the artifact store, and their manifest. */
export const BASELINE_KEYS = {
  train: 'datasets/train_baseline.parquet',
  test: 'datasets/test_baseline.parquet',
  manifest: 'datasets/baseline-manifest.json',
} as const;

/** A stored baseline set: its manifest (see BaselineSetManifest) and the artifact it was written to. */
export interface DatasetManifest extends BaselineSetManifest {
  uri: string;
}

export interface BaselineManifest {
  createdAt: string;
  train: DatasetManifest;
  test: DatasetManifest;
}

export async function readBaselineManifest(store: ArtifactStore): Promise<BaselineManifest> {
  const uri = store.uriFor(BASELINE_KEYS.manifest);
  if (!(await store.exists(uri)))
    throw new ConfigError(
      `no baseline datasets at ${uri}: run \`bike-retrain data baseline\` (or \`bike-retrain demo\`) first`,
    );
  return JSON.parse(await store.getText(uri)) as BaselineManifest;
}

/**
 * A baseline set, read once per process: the drift check, the training and
 * the evaluation of a run (and the next runs, while the sets do not change)
 * share one copy instead of reading the same rows again. Keyed by the
 * artifact's URI and the manifest's content hash, so a rebuilt set (new
 * hash) is read afresh; one entry per set, the previous one dropped. Callers
 * never modify a CountTable in place, so sharing one is safe.
 */
export async function readBaselineSet(store: ArtifactStore, which: 'train' | 'test'): Promise<CountTable> {
  const manifest = await readBaselineManifest(store);
  const { uri, contentHash } = manifest[which];
  const key = `${uri}#${contentHash}`;
  const hit = readSets.get(which);
  if (hit?.key === key) return hit.table;
  const table = readCountTableArtifact(store, uri);
  readSets.set(which, { key, table });
  // A failed read is not kept: the next call reads again.
  table.catch(() => {
    if (readSets.get(which)?.table === table) readSets.delete(which);
  });
  return table;
}

const readSets = new Map<'train' | 'test', { key: string; table: Promise<CountTable> }>();

/** Forgets the baseline sets read so far (tests that count reads). */
export function forgetReadBaselineSets(): void {
  readSets.clear();
}

/** Writes the baseline sets as Parquet artifacts and the manifest the workflow reads. */
export async function storeBaselineSets(
  store: ArtifactStore,
  sets: Pick<BaselineSets, 'train' | 'test' | 'manifests'>,
  now: Date,
): Promise<BaselineManifest> {
  const manifest: BaselineManifest = {
    createdAt: now.toISOString(),
    train: { ...sets.manifests.train, uri: await putCountTableArtifact(store, BASELINE_KEYS.train, sets.train) },
    test: { ...sets.manifests.test, uri: await putCountTableArtifact(store, BASELINE_KEYS.test, sets.test) },
  };
  await store.put(BASELINE_KEYS.manifest, JSON.stringify(manifest, null, 2));
  return manifest;
}
