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

export async function readBaselineSet(store: ArtifactStore, which: 'train' | 'test'): Promise<CountTable> {
  const manifest = await readBaselineManifest(store);
  return readCountTableArtifact(store, manifest[which].uri);
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
