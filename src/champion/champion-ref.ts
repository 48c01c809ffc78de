import { createHash } from 'node:crypto';
import type { ChampionRef } from '../core/domain';
import { ConfigError } from '../core/errors';
import { loadTrainedModel, type TrainedModel } from '../model/champion-model';
import type { ChampionRegistry } from '../registry/champion-registry';
import type { ArtifactStore } from '../storage/artifact-store';

/**
 * The run's champion, chosen once: version, artifact URI and the artifact's
 * sha256. Every later step of the run judges this model, whatever the
 * registry says meanwhile (a rollback mid-run changes the next run, not this one).
 */
export async function resolveChampionRef(deps: {
  registry: ChampionRegistry;
  artifacts: ArtifactStore;
}): Promise<ChampionRef> {
  const champion = await deps.registry.champion();
  if (!champion)
    throw new ConfigError('no champion registered: run `bike-retrain train-champion` or `bike-retrain demo` first');
  const bytes = await deps.artifacts.get(champion.modelUri);
  const digest = sha256(bytes);
  remember(champion.modelUri, digest, () => loadTrainedModel(bytes, champion.modelUri));
  return { version: champion.version, modelUri: champion.modelUri, modelSha256: digest };
}

/**
 * Loads a model artifact once per worker process: the drift check, the
 * validation and the evaluation of one run (and the next runs, until a
 * promotion) share the champion. Two entries, champion and challenger: a
 * forest can be hundreds of MB.
 */
export async function loadModelOnce(artifacts: ArtifactStore, uri: string): Promise<TrainedModel> {
  return (await loadModelAndDigestOnce(artifacts, uri)).model;
}

/** The model and its artifact's sha256 (what caches keyed by the model's content name it by), loaded once. */
export async function loadModelAndDigestOnce(
  artifacts: ArtifactStore,
  uri: string,
): Promise<{ model: TrainedModel; sha256: string }> {
  const hit = loaded.get(uri);
  if (hit) return hit;
  const bytes = await artifacts.get(uri);
  const digest = sha256(bytes);
  return { model: remember(uri, digest, () => loadTrainedModel(bytes, uri)), sha256: digest };
}

const MAX_LOADED = 2;
const loaded = new Map<string, { sha256: string; model: TrainedModel }>();

function remember(uri: string, digest: string, load: () => TrainedModel): TrainedModel {
  // Artifacts are write-once, so a URI names one content; the digest guards against a store that breaks that.
  const hit = loaded.get(uri);
  if (hit && hit.sha256 === digest) return hit.model;
  const model = load();
  loaded.delete(uri);
  loaded.set(uri, { sha256: digest, model });
  while (loaded.size > MAX_LOADED) loaded.delete(loaded.keys().next().value as string);
  return model;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
