import { ConfigError } from '../core/errors';
import { loadModel } from '../model';
import {
  REGISTRY_KEYS,
  type ChampionRegistry,
  type ModelVersion,
  type RegistryDoc,
  type VersionRecord,
  type VersionSource,
} from '../registry/champion-registry';
import type { ArtifactStore } from '../storage/artifact-store';
import { manifestSource } from './lineage';

export interface RebuildResult {
  doc: RegistryDoc;
  /** What the versions came from, e.g. "3 model version records". */
  sources: string[];
  /** Where a damaged document was kept aside. */
  keptAs: string | null;
  /** What could not be recovered exactly, or was skipped. */
  notes: string[];
}

/**
 * `bike-retrain registry rebuild`: a registry document that is missing,
 * unreadable or empty is written again from what the registry leaves beside
 * it, best first:
 * 1. the model version records (`artifacts/models/versions/`, one per version,
 *    written when it was registered): every entry exactly;
 * 2. `artifacts/registry/summary.json` (exported after every change): the
 *    versions it lists and which one is champion, each completed from its
 *    model artifact's metadata (hyperparameters, feature pipeline, training data);
 * 3. with neither, the full retrains' artifacts (`artifacts/models/champions/`,
 *    each registered when trained) in the order they were written.
 * The champion is summary.json's when it names one (a rollback is kept), else
 * the latest version. A readable registry with versions is never replaced.
 */
export async function rebuildRegistry(
  deps: { registry: ChampionRegistry; artifacts: ArtifactStore; clock: () => Date },
  opts: { by: string },
): Promise<RebuildResult> {
  const { registry, artifacts } = deps;
  const state = await registry.state();
  if (state.state === 'ok')
    throw new ConfigError(
      `the registry document ${registry.location} is readable and holds ${state.versions} version(s): nothing to rebuild (\`bike-retrain registry list\`)`,
    );
  const notes: string[] = [];
  const sources: string[] = [];
  const versions = new Map<number, ModelVersion>();
  const promotedOver = new Map<number, number | null>();

  // 1. Version records.
  const records = (await artifacts.list(REGISTRY_KEYS.versionRecords)).filter((r) => r.key.endsWith('.json'));
  for (const r of records) {
    try {
      const rec = JSON.parse(await artifacts.getText(r.uri)) as VersionRecord;
      if (rec?.format !== 'bike-retrain-model-version' || typeof rec.version?.version !== 'number')
        throw new Error('not a model version record');
      versions.set(rec.version.version, rec.version);
      promotedOver.set(rec.version.version, rec.promotedOver);
    } catch (err) {
      notes.push(`skipped ${r.key}: ${(err as Error).message}`);
    }
  }
  if (versions.size) sources.push(`${versions.size} model version record(s)`);

  // 2. summary.json.
  const summary = await readSummary(artifacts, notes);
  let summaryChampion: number | null = null;
  if (summary) {
    let added = 0;
    for (const e of summary) {
      if (e.is_champion === true) summaryChampion = e.version;
      if (versions.has(e.version)) continue;
      versions.set(e.version, await fromSummaryEntry(artifacts, e, notes));
      added++;
    }
    sources.push(
      added > 0
        ? `artifacts/registry/summary.json (${added} version(s), completed from their model artifacts)`
        : 'artifacts/registry/summary.json (the champion)',
    );
  }

  // 3. The full retrains' artifacts alone.
  if (versions.size === 0) {
    const models = (await artifacts.list(REGISTRY_KEYS.championModels))
      .filter((m) => m.key.endsWith('.brf'))
      .sort((a, b) => a.modifiedMs - b.modifiedMs || (a.key < b.key ? -1 : 1));
    for (const [i, m] of models.entries()) {
      const facts = await artifactFacts(artifacts, m.uri, notes);
      versions.set(i + 1, {
        version: i + 1,
        modelUri: m.uri,
        modelType: facts?.modelType ?? 'unknown',
        createdAt: new Date(m.modifiedMs).toISOString(),
        source: { workflowId: 'registry-rebuild', runId: m.key },
        featurePipelineVersion: facts?.featurePipelineVersion ?? 'unknown',
        hyperparameters: facts?.hyperparameters ?? {},
        trainingData: facts?.trainingData ?? {},
        ...trainingSourcesOf(facts?.trainingData),
        metrics: {},
        env: 'unknown',
        testMode: false,
      });
    }
    if (models.length) {
      sources.push(`${models.length} champion model artifact(s), numbered in the order they were written`);
      notes.push('metrics are unknown for versions rebuilt from model artifacts alone');
    }
  }
  if (versions.size === 0)
    throw new ConfigError(
      `nothing to rebuild ${registry.location} from: no model version records, no artifacts/registry/summary.json, no champion model artifacts; \`bike-retrain train-champion\` registers a first champion`,
    );

  const numbers = [...versions.keys()].sort((a, b) => a - b);
  const latest = numbers[numbers.length - 1];
  const champion = summaryChampion !== null && versions.has(summaryChampion) ? summaryChampion : latest;
  // A champion below the latest version was rolled back to, from the latest; else it replaced the one it was promoted over.
  const recorded = promotedOver.get(champion);
  const previous =
    champion !== latest
      ? latest
      : recorded !== undefined && recorded !== null && versions.has(recorded)
        ? recorded
        : (numbers.filter((n) => n < champion).pop() ?? null);
  const doc: RegistryDoc = {
    versions: numbers.map((n) => versions.get(n)!),
    aliases: { champion, ...(previous !== null ? { previous_champion: previous } : {}) },
    events: [{ at: deps.clock().toISOString(), action: 'rebuild', version: champion, previous, by: opts.by }],
  };
  if (state.state === 'unreadable') notes.push(`the damaged document was: ${state.reason}`);
  const { keptAs } = await registry.restore(doc);
  return { doc, sources, keptAs, notes };
}

/** One entry of the old system's summary.json, as the registry exports it. */
interface SummaryEntry {
  version: number;
  model_uri: string;
  model_type?: string;
  timestamp?: string;
  run_id?: string;
  rmse?: number | null;
  r2_baseline?: number | null;
  r2_current?: number | null;
  env?: string;
  test_mode?: boolean;
  is_champion?: boolean;
}

async function readSummary(artifacts: ArtifactStore, notes: string[]): Promise<SummaryEntry[] | null> {
  const uri = artifacts.uriFor(REGISTRY_KEYS.summary);
  if (!(await artifacts.exists(uri))) return null;
  try {
    const entries = JSON.parse(await artifacts.getText(uri)) as unknown;
    if (!Array.isArray(entries)) throw new Error('not a list of versions');
    return entries.filter((e): e is SummaryEntry => {
      const ok = typeof e?.version === 'number' && typeof e?.model_uri === 'string';
      if (!ok) notes.push(`skipped a summary.json entry without version or model_uri: ${JSON.stringify(e)}`);
      return ok;
    });
  } catch (err) {
    notes.push(`skipped artifacts/registry/summary.json: ${(err as Error).message}`);
    return null;
  }
}

async function fromSummaryEntry(artifacts: ArtifactStore, e: SummaryEntry, notes: string[]): Promise<ModelVersion> {
  const facts = await artifactFacts(artifacts, e.model_uri, notes);
  const source = sourceOf(e.model_uri, e.run_id);
  const trainingData: Record<string, unknown> = { ...(facts?.trainingData ?? {}) };
  // A fine-tuned challenger: what lineage needs to rebuild its training rows (its run's test_current and audit row).
  const recent = trainingData.recent as { rows?: unknown } | undefined;
  if (recent && source.challengerRun) {
    const testCurrent = artifacts.uriFor(`runs/${source.challengerRun}/test_current.parquet`);
    if (await artifacts.exists(testCurrent)) trainingData.testCurrentUri = testCurrent;
    const baselineRows = (trainingData.baseline as { rows?: unknown } | undefined)?.rows;
    if (typeof baselineRows === 'number' && typeof recent.rows === 'number')
      trainingData.trainRows = baselineRows + recent.rows;
  }
  const r2b = typeof e.r2_baseline === 'number' ? e.r2_baseline : null;
  const r2c = typeof e.r2_current === 'number' ? e.r2_current : null;
  const rmse = typeof e.rmse === 'number' ? e.rmse : Number.NaN;
  // summary.json keeps one RMSE (test_current's when there is one) and no MAE or row counts.
  const metrics: ModelVersion['metrics'] = {
    ...(r2b !== null
      ? { baseline: { rmse: r2c === null ? rmse : Number.NaN, mae: Number.NaN, r2: r2b, rows: Number.NaN } }
      : {}),
    ...(r2c !== null ? { current: { rmse, mae: Number.NaN, r2: r2c, rows: Number.NaN } } : {}),
  };
  return {
    version: e.version,
    modelUri: e.model_uri,
    modelType: e.model_type ?? facts?.modelType ?? 'unknown',
    createdAt: e.timestamp ?? new Date(0).toISOString(),
    source: { workflowId: source.workflowId, runId: source.runId },
    featurePipelineVersion: facts?.featurePipelineVersion ?? 'unknown',
    hyperparameters: facts?.hyperparameters ?? {},
    trainingData,
    ...(recent ? {} : trainingSourcesOf(trainingData)),
    metrics,
    env: e.env ?? 'unknown',
    testMode: e.test_mode === true,
  };
}

/** What a model artifact's header says about it; null (with a note) when it cannot be read. */
async function artifactFacts(
  artifacts: ArtifactStore,
  uri: string,
  notes: string[],
): Promise<{
  modelType: string;
  featurePipelineVersion: string;
  hyperparameters: Record<string, unknown>;
  trainingData: Record<string, unknown>;
} | null> {
  try {
    const { metadata, params } = loadModel(await artifacts.get(uri));
    const { modelType, nEstimators, maxDepth, minSamplesLeaf, seed } = params;
    return {
      modelType,
      featurePipelineVersion: String(metadata.featurePipelineVersion ?? 'unknown'),
      hyperparameters: { modelType, nEstimators, maxDepth, minSamplesLeaf, seed },
      trainingData: (metadata.trainingData as Record<string, unknown> | undefined) ?? {},
    };
  } catch (err) {
    notes.push(
      `model artifact ${uri} unreadable (${(err as Error).message}): its hyperparameters and training data are unknown`,
    );
    return null;
  }
}

/** A full retrain trained on its train_baseline: that is its training source. */
function trainingSourcesOf(trainingData: Record<string, unknown> | undefined): {
  trainingSources?: ModelVersion['trainingSources'];
} {
  const baseline = manifestSource(trainingData?.baseline);
  return baseline && !trainingData?.recent ? { trainingSources: [baseline] } : {};
}

/** The run that made a model, from where its artifact is stored (see run-artifacts.ts and train-champion.ts). */
function sourceOf(uri: string, runId: string | undefined): VersionSource & { challengerRun?: string } {
  const challenger = /\/models\/challengers\/([^/]+)\/([^/]+)\.brf$/.exec(uri);
  if (challenger)
    return {
      workflowId: challenger[1],
      runId: runId ?? challenger[2],
      challengerRun: `${challenger[1]}/${challenger[2]}`,
    };
  const champion = /\/models\/champions\/([^/]+)\.brf$/.exec(uri);
  if (champion && runId) {
    const safeRun = runId.replace(/[^A-Za-z0-9._-]/g, '_');
    if (champion[1].endsWith(`-${safeRun}`)) return { workflowId: champion[1].slice(0, -safeRun.length - 1), runId };
  }
  return { workflowId: 'registry-rebuild', runId: runId ?? uri };
}
